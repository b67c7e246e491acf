import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  say
} from "./chunk-C3K56K75.mjs";
import {
  alarmDrift,
  compileGuardAlarm
} from "./chunk-J65SMI3B.mjs";

// src/pipeline/bootstrap.ts
var MAX_MONITORS = 5;
async function bootstrap(ctx, repo, options = {}) {
  const actions = [];
  const note = (a) => {
    actions.push(a);
    say(ctx, a.name, {
      kind: a.action === "differs" ? "warning" : "info",
      message: `${a.resource} ${a.name}: ${a.action}${a.detail ? ` — ${a.detail}` : ""}`
    });
  };
  const appconfig = ctx.aws.appconfig;
  const apps = Object.values(repo.applications).filter(
    (a) => !options.applications || options.applications.includes(a.name)
  );
  await manageAlarms(ctx, apps, note);
  const strategies = await appconfig.listStrategies();
  const wantedStrategies = new Map(
    apps.flatMap((a) => Object.values(a.strategies).map((s) => [s.name, s]))
  );
  for (const s of wantedStrategies.values()) {
    const found = strategies.find((x) => x.name === s.name);
    if (!found) {
      await appconfig.createStrategy({
        name: s.name,
        ...s.description ? { description: s.description } : {},
        durationMinutes: s.durationMinutes,
        growthFactor: s.growthFactor,
        growthType: s.growthType,
        finalBakeMinutes: s.finalBakeMinutes
      });
      note({ resource: "strategy", name: s.name, action: "created" });
      continue;
    }
    const differs = found.durationMinutes !== void 0 && found.durationMinutes !== s.durationMinutes || found.growthFactor !== void 0 && found.growthFactor !== s.growthFactor || found.growthType !== void 0 && found.growthType !== s.growthType || found.finalBakeMinutes !== void 0 && found.finalBakeMinutes !== s.finalBakeMinutes;
    note({
      resource: "strategy",
      name: s.name,
      action: differs ? "differs" : "exists",
      ...differs ? { detail: "AppConfig strategies cannot be changed in place; left as it is" } : {}
    });
  }
  const existingApps = await appconfig.listApplications();
  for (const app of apps) {
    let appId = existingApps.find((a) => a.name === app.name)?.id;
    if (appId === void 0) {
      appId = (await appconfig.createApplication({
        name: app.name,
        ...app.description ? { description: app.description } : {}
      })).id;
      note({ resource: "application", name: app.name, action: "created" });
    } else {
      note({ resource: "application", name: app.name, action: "exists" });
    }
    const envs = await appconfig.listEnvironments(appId);
    for (const env of app.environments) {
      const name = `${app.name}/${env.name}`;
      const monitors = options.alarmRoleArn && options.alarmArnPrefix ? monitoredAlarms(app, env).slice(0, MAX_MONITORS).map((alarm) => ({
        alarmArn: `${options.alarmArnPrefix}${alarm}`,
        alarmRoleArn: options.alarmRoleArn
      })) : [];
      const found = envs.find((e) => e.name === env.name);
      if (!found) {
        await appconfig.createEnvironment(appId, {
          name: env.name,
          ...env.description ? { description: env.description } : {},
          monitors
        });
        const extra = monitoredAlarms(app, env).length > MAX_MONITORS ? `; only the first ${MAX_MONITORS} alarms became monitors (AppConfig's limit)` : "";
        note({
          resource: "environment",
          name,
          action: "created",
          ...monitors.length > 0 ? { detail: `with ${monitors.length} alarm monitor(s)${extra}` } : {}
        });
        continue;
      }
      const missing = monitors.filter((m) => !found.monitors.some((x) => x.alarmArn === m.alarmArn));
      const room = MAX_MONITORS - found.monitors.length;
      if (missing.length > 0 && room > 0) {
        const added = missing.slice(0, room);
        await appconfig.setMonitors(appId, found.id, [
          ...found.monitors.map((m) => ({
            alarmArn: m.alarmArn,
            alarmRoleArn: m.alarmRoleArn ?? options.alarmRoleArn
          })),
          ...added
        ]);
        note({
          resource: "environment",
          name,
          action: "updated",
          detail: `attached ${added.length} alarm monitor(s): ${added.map((m) => m.alarmArn).join(", ")}${added.length < missing.length ? `; ${missing.length - added.length} more do not fit AppConfig's ${MAX_MONITORS}` : ""}`
        });
        continue;
      }
      note({
        resource: "environment",
        name,
        action: missing.length > 0 ? "differs" : "exists",
        ...missing.length > 0 ? {
          detail: `no monitor for ${missing.map((m) => m.alarmArn).join(", ")}; flagops does not change environments it did not create — add them in AppConfig`
        } : {}
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
          ...p.description ? { description: p.description } : {}
        });
        note({ resource: "profile", name, action: "created", detail: `${p.type}, hosted` });
        continue;
      }
      const differs = found.type !== void 0 && found.type !== p.type || found.locationUri !== void 0 && found.locationUri !== "hosted";
      note({
        resource: "profile",
        name,
        action: differs ? "differs" : "exists",
        ...differs ? {
          detail: `AppConfig has ${found.type ?? "?"} at ${found.locationUri ?? "?"}; app.yaml says ${p.type}, hosted`
        } : {}
      });
    }
  }
  return actions;
}
function monitoredAlarms(app, env) {
  const managed = env.guards.flatMap((g) => {
    const alarm = app.guards[g]?.alarm;
    return alarm ? [alarm] : [];
  });
  return [.../* @__PURE__ */ new Set([...managed, ...env.alarms])];
}
async function manageAlarms(ctx, apps, note) {
  const wanted = apps.flatMap(
    (app) => Object.values(app.guards).flatMap(
      (g) => g.alarm ? [{ guard: g.name, ...compileGuardAlarm(g, g.alarm, `${app.dir}/app.yaml`) }] : []
    )
  );
  if (wanted.length === 0) return;
  const existing = await ctx.aws.cloudwatch.describeMetricAlarms(wanted.map((w) => w.AlarmName));
  for (const { guard, ...alarm } of wanted) {
    const found = existing.get(alarm.AlarmName);
    if (!found) {
      await ctx.aws.cloudwatch.putMetricAlarm(alarm);
      note({ resource: "alarm", name: alarm.AlarmName, action: "created", detail: `from guard ${guard}` });
      continue;
    }
    const drift = alarmDrift(alarm, found);
    if (drift.length === 0) {
      note({ resource: "alarm", name: alarm.AlarmName, action: "exists" });
      continue;
    }
    await ctx.aws.cloudwatch.putMetricAlarm(alarm);
    note({
      resource: "alarm",
      name: alarm.AlarmName,
      action: "updated",
      detail: `drift from guard ${guard} in ${drift.join(", ")}; restored what app.yaml compiles to`
    });
  }
}
function alarmArnPrefixFor(roleArn, region) {
  const match = /^arn:(aws[\w-]*):iam::(\d{12}):role\//.exec(roleArn);
  return match ? `arn:${match[1]}:cloudwatch:${region}:${match[2]}:alarm:` : void 0;
}

export {
  bootstrap,
  alarmArnPrefixFor
};
