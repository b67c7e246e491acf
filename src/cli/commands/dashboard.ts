/**
 * `flagops dashboard`: the CloudWatch dashboards app.yaml names (`dashboard:` per environment),
 * computed from the guards. `--apply` writes those that differ (PutDashboard; re-runs write
 * nothing), `--check` exits 1 when one is missing or was changed by hand (markers for deployments
 * made since it was written are not a hand change); neither prints the bodies.
 */
import type { Aws } from '../../aws/index.ts';
import { dashboardBody } from '../../dashboard/body.ts';
import { type DashboardResult, isDashboardDrift, syncDashboards } from '../../dashboard/sync.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import type { Application, GuardDefinition } from '../../model/types.ts';
import { runtimeFromEnvironment } from '../../runtime/env.ts';
import { CliError, type CliIO, type Command, EXIT } from '../command.ts';
import { findRepoRoot, selectApplication } from '../context.ts';

export const command: Command = {
  name: 'dashboard',
  summary: 'Write or check the CloudWatch dashboards app.yaml names, from the guards',
  options: {
    apply: {
      type: 'boolean',
      description: 'Write every dashboard that differs (PutDashboard)',
      default: false,
    },
    check: {
      type: 'boolean',
      description: 'Exit 1 when a dashboard is missing or changed by hand',
      default: false,
    },
    environment: { type: 'string', description: 'Only this environment', placeholder: 'E' },
    'app-name': { type: 'string', description: 'Only this application (default: all)', placeholder: 'NAME' },
  },
  async run(args, io) {
    if (args.options['apply'] && args.options['check'])
      throw new CliError('use --apply or --check, not both', EXIT.usage);
    const repo = loadWorkingTree(findRepoRoot(io.cwd, io.env));
    const appName = args.options['app-name'] as string | undefined;
    const apps = appName ? [selectApplication(repo, appName)] : Object.values(repo.applications);
    const environment = args.options['environment'] as string | undefined;
    const region = dashboardRegion(io.env);
    if (!args.options['apply'] && !args.options['check']) {
      io.stdout(`${JSON.stringify(printable(apps, environment, region), null, 2)}\n`);
      return EXIT.ok;
    }
    const { aws } = await runtimeFromEnvironment(io.env);
    const results = await runDashboards(
      aws,
      apps,
      {
        mode: args.options['apply'] ? 'apply' : 'check',
        region,
        ...(environment !== undefined ? { environment } : {}),
      },
      io,
    );
    return results.some(isDashboardDrift) ? EXIT.failed : EXIT.ok;
  },
};

/** The region the dashboards' graphs read from: the AWS SDK's, as the widgets must name one. */
export function dashboardRegion(env: Record<string, string | undefined>): string {
  return env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || 'us-east-1';
}

/** Shared with `flagops bootstrap`: sync and print one line per dashboard. */
export async function runDashboards(
  aws: Pick<Aws, 'appconfig' | 'cloudwatch'>,
  apps: Application[],
  options: Parameters<typeof syncDashboards>[2],
  io: Pick<CliIO, 'stdout'>,
): Promise<DashboardResult[]> {
  const results = await syncDashboards(aws, apps, options);
  for (const line of describeDashboards(results)) io.stdout(`${line}\n`);
  return results;
}

export function describeDashboards(results: readonly DashboardResult[]): string[] {
  return results.map(
    (r) => `dashboard ${r.dashboard} (${r.application}/${r.environment}): ${DESCRIBE[r.state]}`,
  );
}

const DESCRIBE: Record<DashboardResult['state'], string> = {
  created: 'created',
  updated: 'updated from the guards',
  unchanged: 'matches the guards',
  stale: 'matches the guards; deployment markers behind — `flagops dashboard --apply` adds them',
  missing: 'missing — run `flagops dashboard --apply`',
  drifted: 'changed outside git — `flagops dashboard --apply` restores it from the guards',
};

/** Without AWS: the bodies as they would be written, without deployment markers. */
function printable(
  apps: Application[],
  environment: string | undefined,
  region: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const app of apps)
    for (const env of app.environments)
      if (env.dashboard && (environment === undefined || env.name === environment))
        out[env.dashboard] = dashboardBody({
          application: app.name,
          environment: env.name,
          region,
          guards: env.guards.map((g) => app.guards[g]).filter((g): g is GuardDefinition => g !== undefined),
          deployments: [],
        });
  return out;
}
