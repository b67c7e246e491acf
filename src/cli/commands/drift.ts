/**
 * `flagops drift [--json]`: for every target, what AppConfig serves vs what the checkout (in the
 * workflow: `main`) compiles to, and for every dashboard app.yaml names, whether CloudWatch's
 * matches the guards. Drifted targets open or update one GitHub issue; exit 1 when any target
 * drifted or a dashboard is missing or changed by hand, so the scheduled run fails where people look.
 */
import { isDashboardDrift, syncDashboards } from '../../dashboard/sync.ts';
import { detectDrift, type TargetDrift } from '../../drift/detect.ts';
import { gitHubIssues, reportDriftIssue } from '../../drift/issue.ts';
import { gitHubFromEnv } from '../../github/from-env.ts';
import { makeContext } from '../../pipeline/context.ts';
import { silentReporter } from '../../pipeline/events.ts';
import { noHolds } from '../../pipeline/holds.ts';
import { holdsFromEnv } from '../../revert/hold.ts';
import { runtimeFromEnvironment, workingTreeContent } from '../../runtime/env.ts';
import { type Command, EXIT } from '../command.ts';
import { findRepoRoot, selectApplication, TARGET_OPTIONS } from '../context.ts';
import { dashboardRegion, describeDashboards } from './dashboard.ts';

export const command: Command = {
  name: 'drift',
  summary: 'What AppConfig serves vs what main compiles to, for every target',
  description:
    'Run it on a checkout of main. Each target is in sync, deploying, held (a revert pull request is\n' +
    'open) or drifted (with the deployed label and who deployed it). With GITHUB_TOKEN and\n' +
    'GITHUB_REPOSITORY set, drift opens or updates one issue labelled flagops:drift and closes it once\n' +
    'everything is in sync. The dashboards app.yaml names are checked too (`flagops dashboard --check`).\n' +
    'Exit 1 when any target drifted or a dashboard is missing or was changed by hand.',
  options: {
    'app-name': TARGET_OPTIONS['app-name'],
    json: { type: 'boolean', description: 'Print the result as JSON', default: false },
    issue: { type: 'boolean', description: 'Report on GitHub (--no-issue: only print)', default: true },
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const content = workingTreeContent(root);
    const snapshot = await content();
    const appName = args.options['app-name'] as string | undefined;
    const app = selectApplication(snapshot.repo, appName);
    const scoped = {
      ...snapshot,
      repo: { ...snapshot.repo, targets: snapshot.repo.targets.filter((t) => t.application === app.name) },
    };
    const github = Boolean((io.env['GITHUB_TOKEN'] || io.env['GH_TOKEN']) && io.env['GITHUB_REPOSITORY']);
    const runtime = await runtimeFromEnvironment(io.env);
    const ctx = makeContext({ ...runtime, reporter: silentReporter });
    const drifts = await detectDrift(ctx, scoped, holdsFromEnv(io.env) ?? noHolds);
    const dashboards = await syncDashboards(runtime.aws, [app], {
      mode: 'check',
      region: dashboardRegion(io.env),
    });
    const issue =
      github && args.options['issue'] !== false
        ? await reportDriftIssue(
            gitHubIssues(gitHubFromEnv(io.env).octokit, gitHubFromEnv(io.env).api.repo),
            drifts,
          )
        : undefined;
    if (args.options['json'] === true)
      io.stdout(`${JSON.stringify({ targets: drifts, dashboards, ...(issue ? { issue } : {}) }, null, 2)}\n`);
    else {
      io.stdout(`${renderDrift(drifts)}\n`);
      for (const line of describeDashboards(dashboards)) io.stdout(`${line}\n`);
      if (issue?.issue) io.stdout(`issue #${issue.issue.number} ${issue.action}: ${issue.issue.url}\n`);
    }
    return drifts.some((d) => d.status === 'drifted') || dashboards.some(isDashboardDrift)
      ? EXIT.failed
      : EXIT.ok;
  },
};

export function renderDrift(drifts: readonly TargetDrift[]): string {
  const width = Math.max(...drifts.map((d) => d.target.length), 6);
  const lines = drifts.map((d) => {
    const by =
      d.status === 'drifted' && d.deployed ? `\n${' '.repeat(width + 13)}deployed by ${d.deployed.by}` : '';
    return `${d.target.padEnd(width)}  ${d.status.toUpperCase().padEnd(9)}  ${d.reason}${by}`;
  });
  const drifted = drifts.filter((d) => d.status === 'drifted').length;
  lines.push('', drifted === 0 ? 'no drift' : `${drifted} target(s) drifted from main`);
  return lines.join('\n');
}
