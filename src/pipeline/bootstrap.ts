/**
 * bootstrap: make sure every AppConfig resource the repository names exists — applications,
 * environments (with monitors for the watched alarms when an alarm role is configured), hosted
 * profiles and the custom strategies. Creates only what is missing; never deletes or changes
 * anything, and reports what it found different instead. Idempotent.
 */
import type { Repository } from '../model/types.ts';
import { type PipelineContext, say } from './context.ts';

export interface BootstrapOptions {
  /** IAM role AppConfig assumes to read alarms (FLAGOPS_ALARM_ROLE_ARN); no role → no monitors. */
  alarmRoleArn?: string;
  /** `arn:aws:cloudwatch:<region>:<account>:alarm:` — the prefix alarm names become ARNs with. */
  alarmArnPrefix?: string;
  /** Only these applications (default: all). */
  applications?: string[];
}

export interface BootstrapAction {
  resource: 'application' | 'environment' | 'profile' | 'strategy';
  name: string;
  action: 'created' | 'exists' | 'differs';
  detail?: string;
}

/** AppConfig allows at most five monitors per environment. */
const MAX_MONITORS = 5;

export async function bootstrap(
  ctx: PipelineContext,
  repo: Repository,
  options: BootstrapOptions = {},
): Promise<BootstrapAction[]> {
  const actions: BootstrapAction[] = [];
  const note = (a: BootstrapAction) => {
    actions.push(a);
    say(ctx, a.name, {
      kind: a.action === 'differs' ? 'warning' : 'info',
      message: `${a.resource} ${a.name}: ${a.action}${a.detail ? ` — ${a.detail}` : ''}`,
    });
  };
  const appconfig = ctx.aws.appconfig;
  const apps = Object.values(repo.applications).filter(
    (a) => !options.applications || options.applications.includes(a.name),
  );

  const strategies = await appconfig.listStrategies();
  const wantedStrategies = new Map(
    apps.flatMap((a) => Object.values(a.strategies).map((s) => [s.name, s] as const)),
  );
  for (const s of wantedStrategies.values()) {
    const found = strategies.find((x) => x.name === s.name);
    if (!found) {
      await appconfig.createStrategy({
        name: s.name,
        ...(s.description ? { description: s.description } : {}),
        durationMinutes: s.durationMinutes,
        growthFactor: s.growthFactor,
        growthType: s.growthType,
        finalBakeMinutes: s.finalBakeMinutes,
      });
      note({ resource: 'strategy', name: s.name, action: 'created' });
      continue;
    }
    const differs =
      (found.durationMinutes !== undefined && found.durationMinutes !== s.durationMinutes) ||
      (found.growthFactor !== undefined && found.growthFactor !== s.growthFactor) ||
      (found.growthType !== undefined && found.growthType !== s.growthType) ||
      (found.finalBakeMinutes !== undefined && found.finalBakeMinutes !== s.finalBakeMinutes);
    note({
      resource: 'strategy',
      name: s.name,
      action: differs ? 'differs' : 'exists',
      ...(differs ? { detail: 'AppConfig strategies cannot be changed in place; left as it is' } : {}),
    });
  }

  const existingApps = await appconfig.listApplications();
  for (const app of apps) {
    let appId = existingApps.find((a) => a.name === app.name)?.id;
    if (appId === undefined) {
      appId = (
        await appconfig.createApplication({
          name: app.name,
          ...(app.description ? { description: app.description } : {}),
        })
      ).id;
      note({ resource: 'application', name: app.name, action: 'created' });
    } else {
      note({ resource: 'application', name: app.name, action: 'exists' });
    }

    const envs = await appconfig.listEnvironments(appId);
    for (const env of app.environments) {
      const name = `${app.name}/${env.name}`;
      const monitors =
        options.alarmRoleArn && options.alarmArnPrefix
          ? env.alarms.slice(0, MAX_MONITORS).map((alarm) => ({
              alarmArn: `${options.alarmArnPrefix}${alarm}`,
              alarmRoleArn: options.alarmRoleArn as string,
            }))
          : [];
      const found = envs.find((e) => e.name === env.name);
      if (!found) {
        await appconfig.createEnvironment(appId, {
          name: env.name,
          ...(env.description ? { description: env.description } : {}),
          monitors,
        });
        const extra =
          env.alarms.length > MAX_MONITORS
            ? `; only the first ${MAX_MONITORS} alarms became monitors (AppConfig's limit)`
            : '';
        note({
          resource: 'environment',
          name,
          action: 'created',
          ...(monitors.length > 0 ? { detail: `with ${monitors.length} alarm monitor(s)${extra}` } : {}),
        });
        continue;
      }
      const missing = monitors.filter((m) => !found.monitors.some((x) => x.alarmArn === m.alarmArn));
      note({
        resource: 'environment',
        name,
        action: missing.length > 0 ? 'differs' : 'exists',
        ...(missing.length > 0
          ? {
              detail: `no monitor for ${missing.map((m) => m.alarmArn).join(', ')}; flagops does not change environments it did not create — add them in AppConfig`,
            }
          : {}),
      });
    }

    const profiles = await appconfig.listProfiles(appId);
    for (const p of Object.values(app.profiles)) {
      const name = `${app.name}/${p.name}`;
      const found = profiles.find((x) => x.name === p.name);
      if (!found) {
        await appconfig.createProfile(appId, {
          name: p.name,
          type: p.type,
          ...(p.description ? { description: p.description } : {}),
        });
        note({ resource: 'profile', name, action: 'created', detail: `${p.type}, hosted` });
        continue;
      }
      const differs =
        (found.type !== undefined && found.type !== p.type) ||
        (found.locationUri !== undefined && found.locationUri !== 'hosted');
      note({
        resource: 'profile',
        name,
        action: differs ? 'differs' : 'exists',
        ...(differs
          ? {
              detail: `AppConfig has ${found.type ?? '?'} at ${found.locationUri ?? '?'}; app.yaml says ${p.type}, hosted`,
            }
          : {}),
      });
    }
  }
  return actions;
}

/**
 * Monitors need alarm ARNs; the alarm role lives in the same account as the alarms (AppConfig's
 * rule), so the account comes from the role's ARN.
 */
export function alarmArnPrefixFor(roleArn: string, region: string): string | undefined {
  const match = /^arn:(aws[\w-]*):iam::(\d{12}):role\//.exec(roleArn);
  return match ? `arn:${match[1]}:cloudwatch:${region}:${match[2]}:alarm:` : undefined;
}
