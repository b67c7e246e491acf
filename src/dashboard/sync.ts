/**
 * Keep each environment's dashboard (`dashboard:` in app.yaml) in step with its guards: compute
 * the body, compare it with what CloudWatch holds, and write it only when it differs (`apply`),
 * or just report the difference (`check`, for drift). Deployment markers come from AppConfig.
 */
import type { Aws } from '../aws/index.ts';
import type { Application, GuardDefinition } from '../model/types.ts';
import { dashboardBody, sameBody } from './body.ts';

/**
 * `stale`: only the deployment markers are behind (deployments since it was written), which
 * `check` reports but does not count as a change by hand.
 */
export type DashboardState = 'created' | 'updated' | 'unchanged' | 'stale' | 'missing' | 'drifted';

/** Whether a checked dashboard differs from git in a way someone must act on. */
export const isDashboardDrift = (r: DashboardResult): boolean =>
  r.state === 'missing' || r.state === 'drifted';

export interface DashboardResult {
  application: string;
  environment: string;
  dashboard: string;
  state: DashboardState;
}

export async function syncDashboards(
  aws: Pick<Aws, 'appconfig' | 'cloudwatch'>,
  apps: Application[],
  options: { mode: 'apply' | 'check'; region: string; environment?: string },
): Promise<DashboardResult[]> {
  const results: DashboardResult[] = [];
  const existingApps = await aws.appconfig.listApplications();
  for (const app of apps) {
    const envs = app.environments.filter(
      (e) =>
        e.dashboard !== undefined && (options.environment === undefined || e.name === options.environment),
    );
    if (envs.length === 0) continue;
    const appId = existingApps.find((a) => a.name === app.name)?.id;
    const appEnvs = appId ? await aws.appconfig.listEnvironments(appId) : [];
    for (const env of envs) {
      const envId = appEnvs.find((e) => e.name === env.name)?.id;
      const deployments =
        appId && envId
          ? (await aws.appconfig.listDeployments(appId, envId))
              .filter((d) => d.startedAt !== undefined)
              .map((d) => ({ number: d.number, startedAt: d.startedAt as number, version: d.version }))
              .sort((a, b) => a.number - b.number)
          : [];
      const body = dashboardBody({
        application: app.name,
        environment: env.name,
        region: options.region,
        guards: env.guards.map((g) => app.guards[g]).filter((g): g is GuardDefinition => g !== undefined),
        deployments,
      });
      const name = env.dashboard as string;
      const current = await aws.cloudwatch.getDashboard(name);
      const same = current !== undefined && sameBody(current, body);
      let state: DashboardState;
      if (same) state = 'unchanged';
      else if (options.mode === 'check')
        state = current === undefined ? 'missing' : sameBody(current, body, true) ? 'stale' : 'drifted';
      else {
        await aws.cloudwatch.putDashboard(name, JSON.stringify(body));
        state = current === undefined ? 'created' : 'updated';
      }
      results.push({ application: app.name, environment: env.name, dashboard: name, state });
    }
  }
  return results;
}
