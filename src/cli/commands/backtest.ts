/**
 * `flagops backtest`: how often each guard the change adds, removes or alters would have fired
 * over the last N days of CloudWatch data — the old rule against the new one, replayed with the
 * bake's own evaluator. Reads CloudWatch (GetMetricData) and, for guards with `applies_when`, what
 * AppConfig deployed (ListDeployments, GetHostedConfigurationVersion).
 */

import { deploymentHistory } from '../../backtest/deployed-history.ts';
import { backtestJson, renderBacktestText } from '../../backtest/render.ts';
import { runBacktest } from '../../backtest/run.ts';
import { gitOutput } from '../../git/run.ts';
import { loadRevision, loadWorkingTree } from '../../model/revision.ts';
import { runtimeFromEnvironment } from '../../runtime/env.ts';
import { CliError, type Command, EXIT } from '../command.ts';
import { findRepoRoot } from '../context.ts';

export const command: Command = {
  name: 'backtest',
  summary: 'Replay the old and new rule of each changed guard over recorded CloudWatch data',
  description:
    'Compares the working tree with --base (default: in GitHub Actions the pull request base, else\n' +
    'the merge base of HEAD with origin/main, else with main). A firing is a streak of breaching\n' +
    'periods reaching `consecutive`; one episode counts once until a period is healthy again.\n' +
    'Data older than 15 days is replayed on 5-minute periods (CloudWatch keeps 1-minute data 15 days).',
  options: {
    base: { type: 'string', description: 'Git revision the change is compared with', placeholder: 'REF' },
    days: { type: 'number', description: 'Days of history to replay (1 to 63)', default: 14 },
    environment: { type: 'string', description: 'Only this environment', placeholder: 'E' },
    until: {
      type: 'string',
      description: 'End of the replayed range (ISO 8601; default: now)',
      placeholder: 'TIME',
    },
    json: { type: 'boolean', description: 'Print the result as JSON', default: false },
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const baseRef = (args.options['base'] as string | undefined) ?? defaultBase(root, io.env);
    const base = loadRevision(root, baseRef);
    const head = loadWorkingTree(root);
    const environment = args.options['environment'] as string | undefined;
    if (environment !== undefined) checkEnvironment(environment, [base, head]);
    const until = parseUntil(args.options['until'] as string | undefined);
    const { aws, clock } = await runtimeFromEnvironment(io.env);
    const report = await runBacktest({
      base,
      head,
      days: args.options['days'] as number,
      now: clock.now(),
      ...(until !== undefined ? { until } : {}),
      ...(environment !== undefined ? { environment } : {}),
      pages: (request) => aws.cloudwatch.getMetricDataPages(request),
      deployments: deploymentHistory(aws),
    });
    io.stdout(args.options['json'] === true ? backtestJson(report) : renderBacktestText(report));
    return EXIT.ok;
  },
};

/** The pull request's base in GitHub Actions, else where HEAD left main. */
function defaultBase(root: string, env: NodeJS.ProcessEnv): string {
  const prBase = env['GITHUB_BASE_REF'];
  if (prBase) return `origin/${prBase}`;
  for (const main of ['origin/main', 'main']) {
    const base = gitOutput(root, ['merge-base', 'HEAD', main]);
    if (base) return base;
  }
  throw new CliError(
    'no base to compare with: neither origin/main nor main shares history with HEAD — name one with --base REF',
    EXIT.usage,
  );
}

function checkEnvironment(name: string, repos: Array<ReturnType<typeof loadWorkingTree>>): void {
  const known = new Set(
    repos.flatMap((r) => Object.values(r.applications).flatMap((a) => a.environments.map((e) => e.name))),
  );
  if (!known.has(name))
    throw new CliError(
      `--environment ${name}: no application has this environment; known: ${[...known].join(', ') || 'none'}`,
      EXIT.usage,
    );
}

function parseUntil(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (!Number.isFinite(ms))
    throw new CliError(`--until ${raw}: not a time; give ISO 8601, e.g. 2026-12-05T09:00:00Z`, EXIT.usage);
  return ms;
}
