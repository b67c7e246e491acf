import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  runDashboards
} from "./chunk-T4E43BHN.mjs";
import "./chunk-5FMCSJNL.mjs";
import {
  makeContext,
  say
} from "./chunk-LZ5O73OD.mjs";
import {
  runtimeFromEnvironment
} from "./chunk-BEQOJOJR.mjs";
import "./chunk-DOYWIERC.mjs";
import {
  loadWorkingTree
} from "./chunk-7GHZ77ZE.mjs";
import {
  findRepoRoot,
  selectApplication
} from "./chunk-SLK3YAOL.mjs";
import {
  alarmDrift,
  compileGuardAlarm
} from "./chunk-S5U7UAL3.mjs";
import {
  CliError,
  EXIT
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

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

// src/cli/commands/bootstrap.ts
var command = {
  name: "bootstrap",
  summary: "Create missing AppConfig resources; never deletes",
  options: {
    "app-name": { type: "string", description: "Only this application (default: all)", placeholder: "NAME" },
    json: { type: "boolean", description: "Print what was done as JSON", default: false }
  },
  async run(args, io) {
    const repo = loadWorkingTree(findRepoRoot(io.cwd, io.env));
    const appName = args.options["app-name"];
    if (appName !== void 0) selectApplication(repo, appName);
    const roleArn = io.env["FLAGOPS_ALARM_ROLE_ARN"];
    const region = io.env["AWS_REGION"] ?? io.env["AWS_DEFAULT_REGION"] ?? "";
    const prefix = roleArn ? alarmArnPrefixFor(roleArn, region) : void 0;
    if (roleArn && !prefix) {
      throw new CliError(
        `FLAGOPS_ALARM_ROLE_ARN="${roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>), or AWS_REGION is unset`,
        EXIT.usage
      );
    }
    const json = args.options["json"] === true;
    const runtime = await runtimeFromEnvironment(io.env);
    const ctx = makeContext({
      ...runtime,
      reporter: { emit: (e) => json ? void 0 : io.stdout(`${e.message}
`) }
    });
    const actions = await bootstrap(ctx, repo, {
      ...roleArn && prefix ? { alarmRoleArn: roleArn, alarmArnPrefix: prefix } : {},
      ...appName ? { applications: [appName] } : {}
    });
    const dashboards = await runDashboards(
      runtime.aws,
      appName ? [selectApplication(repo, appName)] : Object.values(repo.applications),
      { mode: "apply", region: region || "us-east-1" },
      { stdout: (t) => json ? void 0 : io.stdout(t) }
    );
    const dashboardActions = dashboards.map((d) => ({
      resource: "dashboard",
      name: d.dashboard,
      action: d.state === "unchanged" ? "exists" : d.state
    }));
    if (json) io.stdout(`${JSON.stringify([...actions, ...dashboardActions], null, 2)}
`);
    else {
      const created = actions.filter((a) => a.action === "created").length;
      io.stdout(`${created} created, ${actions.length - created} already there
`);
    }
    return EXIT.ok;
  }
};
export {
  command
};
