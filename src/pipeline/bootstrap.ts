/**
 * bootstrap: make sure every AppConfig resource the repository names exists — applications,
 * environments (with monitors for the watched alarms when an alarm role is configured), hosted
 * profiles and the custom strategies — and that every guard with an `alarm:` exists as the
 * CloudWatch alarm it compiles to (src/guards/alarm.ts). AppConfig resources: creates only what is
 * missing and reports differences, except that with an alarm role it attaches missing monitors.
 * Managed alarms: created, and overwritten when CloudWatch differs from git (reported as drift).
 * Never deletes. Idempotent.
 */
import { alarmDrift, compileGuardAlarm } from '../guards/alarm.ts';
import type { Application, EnvironmentDefinition, Repository } from '../model/types.ts';
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
  resource:
    | 'application'
    | 'environment'
    | 'profile'
    | 'strategy'
    | 'alarm'
    | 'extension'
    | 'extension-association';
  name: string;
  action: 'created' | 'exists' | 'differs' | 'updated';
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

  await manageAlarms(ctx, apps, note);

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
          ? monitoredAlarms(app, env)
              .slice(0, MAX_MONITORS)
              .map((alarm) => ({
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
          monitoredAlarms(app, env).length > MAX_MONITORS
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
      const room = MAX_MONITORS - found.monitors.length;
      if (missing.length > 0 && room > 0) {
        // With an alarm role, AppConfig's own monitors are part of the rule: attach what is missing.
        const added = missing.slice(0, room);
        await appconfig.setMonitors(appId, found.id, [
          ...found.monitors.map((m) => ({
            alarmArn: m.alarmArn,
            alarmRoleArn: m.alarmRoleArn ?? (options.alarmRoleArn as string),
          })),
          ...added,
        ]);
        note({
          resource: 'environment',
          name,
          action: 'updated',
          detail: `attached ${added.length} alarm monitor(s): ${added.map((m) => m.alarmArn).join(', ')}${added.length < missing.length ? `; ${missing.length - added.length} more do not fit AppConfig's ${MAX_MONITORS}` : ''}`,
        });
        continue;
      }
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

/** The alarms AppConfig should watch for an environment: its guards' managed alarms, then `alarms:`. */
export function monitoredAlarms(app: Application, env: EnvironmentDefinition): string[] {
  const managed = env.guards.flatMap((g) => {
    const alarm = app.guards[g]?.alarm;
    return alarm ? [alarm] : [];
  });
  return [...new Set([...managed, ...env.alarms])];
}

/** Create or update the alarm of every guard that names one; report drift from git. */
async function manageAlarms(
  ctx: PipelineContext,
  apps: Application[],
  note: (a: BootstrapAction) => void,
): Promise<void> {
  const wanted = apps.flatMap((app) =>
    Object.values(app.guards).flatMap((g) =>
      g.alarm ? [{ guard: g.name, ...compileGuardAlarm(g, g.alarm, `${app.dir}/app.yaml`) }] : [],
    ),
  );
  if (wanted.length === 0) return;
  const existing = await ctx.aws.cloudwatch.describeMetricAlarms(wanted.map((w) => w.AlarmName));
  for (const { guard, ...alarm } of wanted) {
    const found = existing.get(alarm.AlarmName);
    if (!found) {
      await ctx.aws.cloudwatch.putMetricAlarm(alarm);
      note({ resource: 'alarm', name: alarm.AlarmName, action: 'created', detail: `from guard ${guard}` });
      continue;
    }
    const drift = alarmDrift(alarm, found);
    if (drift.length === 0) {
      note({ resource: 'alarm', name: alarm.AlarmName, action: 'exists' });
      continue;
    }
    await ctx.aws.cloudwatch.putMetricAlarm(alarm);
    note({
      resource: 'alarm',
      name: alarm.AlarmName,
      action: 'updated',
      detail: `drift from guard ${guard} in ${drift.join(', ')}; restored what app.yaml compiles to`,
    });
  }
}

/**
 * Monitors need alarm ARNs; the alarm role lives in the same account as the alarms (AppConfig's
 * rule), so the account comes from the role's ARN.
 */
export function alarmArnPrefixFor(roleArn: string, region: string): string | undefined {
  const match = /^arn:(aws[\w-]*):iam::(\d{12}):role\//.exec(roleArn);
  return match ? `arn:${match[1]}:cloudwatch:${region}:${match[2]}:alarm:` : undefined;
}
