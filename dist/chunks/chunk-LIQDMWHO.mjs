import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  runtimeFromEnvironment
} from "./chunk-GJIDCDSZ.mjs";
import {
  findRepoRoot,
  selectApplication
} from "./chunk-26HIZ3AG.mjs";
import {
  CliError
} from "./chunk-AHO5A5OE.mjs";
import {
  loadWorkingTree
} from "./chunk-VUZMR3KI.mjs";
import {
  EXIT
} from "./chunk-XMGGJPA5.mjs";

// src/dashboard/body.ts
var BACKEND = "Backend";
var WIDTH = 12;
var HEIGHT = 6;
var MAX_MARKERS = 20;
function dashboardBody(input) {
  const backends = [
    ...new Set(
      input.guards.flatMap((g) => Object.values(g.metrics).flatMap((m) => m.dimensions[BACKEND] ?? []))
    )
  ].sort();
  const vertical = input.deployments.slice(-MAX_MARKERS).map((d) => ({
    value: new Date(d.startedAt).toISOString(),
    label: `deployment ${d.number} (version ${d.version})`
  }));
  const widgets = [
    {
      type: "text",
      x: 0,
      y: 0,
      width: 24,
      height: 2,
      properties: {
        markdown: `## ${input.application} / ${input.environment}
Written by \`flagops dashboard --apply\` from the guards in app.yaml; edits here are reported as drift.`
      }
    }
  ];
  input.guards.forEach((guard, i) => {
    widgets.push({
      type: "metric",
      x: i % 2 * WIDTH,
      y: 2 + Math.floor(i / 2) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      properties: {
        title: guard.description ?? guard.name,
        region: input.region,
        view: "timeSeries",
        stacked: false,
        period: guard.periodSeconds,
        metrics: guardSeries(guard, backends),
        annotations: {
          horizontal: [
            {
              label: `${guard.name} breaches ${guard.breachWhen.op} ${guard.breachWhen.threshold}`,
              value: guard.breachWhen.threshold
            }
          ],
          vertical
        },
        yAxis: { left: { showUnits: false, ...guard.unit ? { label: guard.unit } : {} } }
      }
    });
  });
  return { widgets };
}
function guardSeries(guard, backends) {
  const own = new Set(Object.values(guard.metrics).flatMap((m) => m.dimensions[BACKEND] ?? []));
  const variants = own.size === 1 ? backends.map((b, n) => ({
    suffix: n === 0 ? "" : `_${n}`,
    backend: b,
    label: `${guard.name} (${b})`
  })) : [{ suffix: "", label: guard.name }];
  const out = [];
  for (const v of variants) {
    for (const [id, metric] of Object.entries(guard.metrics))
      out.push(metricEntry(`${id}${v.suffix}`, metric, v.backend));
    out.push([
      {
        expression: renameIds(guard.value, Object.keys(guard.metrics), v.suffix),
        label: v.label,
        id: `value${v.suffix}`
      }
    ]);
  }
  return out;
}
function metricEntry(id, metric, backend) {
  const dimensions = { ...metric.dimensions };
  if (backend !== void 0 && BACKEND in dimensions) dimensions[BACKEND] = backend;
  return [
    metric.namespace,
    metric.name,
    ...Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)).flat(),
    { id, stat: metric.stat, visible: false }
  ];
}
function renameIds(expression, ids, suffix) {
  if (suffix === "") return expression;
  return ids.reduce((text, id) => text.replace(new RegExp(`\\b${id}\\b`, "g"), `${id}${suffix}`), expression);
}
function withoutMarkers(body) {
  if (!body || typeof body !== "object" || !Array.isArray(body.widgets))
    return body;
  const widgets = body.widgets.map((w) => {
    const annotations = w?.properties?.annotations;
    if (!annotations || !("vertical" in annotations)) return w;
    const { vertical: _, ...rest } = annotations;
    const widget = w;
    return { ...widget, properties: { ...widget.properties, annotations: rest } };
  });
  return { ...body, widgets };
}
function sameBody(a, b, ignoreMarkers = false) {
  try {
    const parsed = JSON.parse(a);
    return ignoreMarkers ? canonical(withoutMarkers(parsed)) === canonical(withoutMarkers(b)) : canonical(parsed) === canonical(b);
  } catch {
    return false;
  }
}
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

// src/dashboard/sync.ts
var isDashboardDrift = (r) => r.state === "missing" || r.state === "drifted";
async function syncDashboards(aws, apps, options) {
  const results = [];
  const existingApps = await aws.appconfig.listApplications();
  for (const app of apps) {
    const envs = app.environments.filter(
      (e) => e.dashboard !== void 0 && (options.environment === void 0 || e.name === options.environment)
    );
    if (envs.length === 0) continue;
    const appId = existingApps.find((a) => a.name === app.name)?.id;
    const appEnvs = appId ? await aws.appconfig.listEnvironments(appId) : [];
    for (const env of envs) {
      const envId = appEnvs.find((e) => e.name === env.name)?.id;
      const deployments = appId && envId ? (await aws.appconfig.listDeployments(appId, envId)).filter((d) => d.startedAt !== void 0).map((d) => ({ number: d.number, startedAt: d.startedAt, version: d.version })).sort((a, b) => a.number - b.number) : [];
      const body = dashboardBody({
        application: app.name,
        environment: env.name,
        region: options.region,
        guards: env.guards.map((g) => app.guards[g]).filter((g) => g !== void 0),
        deployments
      });
      const name = env.dashboard;
      const current = await aws.cloudwatch.getDashboard(name);
      const same = current !== void 0 && sameBody(current, body);
      let state;
      if (same) state = "unchanged";
      else if (options.mode === "check")
        state = current === void 0 ? "missing" : sameBody(current, body, true) ? "stale" : "drifted";
      else {
        await aws.cloudwatch.putDashboard(name, JSON.stringify(body));
        state = current === void 0 ? "created" : "updated";
      }
      results.push({ application: app.name, environment: env.name, dashboard: name, state });
    }
  }
  return results;
}

// src/cli/commands/dashboard.ts
var command = {
  name: "dashboard",
  summary: "Write or check the CloudWatch dashboards app.yaml names, from the guards",
  options: {
    apply: {
      type: "boolean",
      description: "Write every dashboard that differs (PutDashboard)",
      default: false
    },
    check: {
      type: "boolean",
      description: "Exit 1 when a dashboard is missing or changed by hand",
      default: false
    },
    environment: { type: "string", description: "Only this environment", placeholder: "E" },
    "app-name": { type: "string", description: "Only this application (default: all)", placeholder: "NAME" }
  },
  async run(args, io) {
    if (args.options["apply"] && args.options["check"])
      throw new CliError("use --apply or --check, not both", EXIT.usage);
    const repo = loadWorkingTree(findRepoRoot(io.cwd, io.env));
    const appName = args.options["app-name"];
    const apps = appName ? [selectApplication(repo, appName)] : Object.values(repo.applications);
    const environment = args.options["environment"];
    const region = dashboardRegion(io.env);
    if (!args.options["apply"] && !args.options["check"]) {
      io.stdout(`${JSON.stringify(printable(apps, environment, region), null, 2)}
`);
      return EXIT.ok;
    }
    const { aws } = await runtimeFromEnvironment(io.env);
    const results = await runDashboards(
      aws,
      apps,
      {
        mode: args.options["apply"] ? "apply" : "check",
        region,
        ...environment !== void 0 ? { environment } : {}
      },
      io
    );
    return results.some(isDashboardDrift) ? EXIT.failed : EXIT.ok;
  }
};
function dashboardRegion(env) {
  return env["AWS_REGION"] || env["AWS_DEFAULT_REGION"] || "us-east-1";
}
async function runDashboards(aws, apps, options, io) {
  const results = await syncDashboards(aws, apps, options);
  for (const line of describeDashboards(results)) io.stdout(`${line}
`);
  return results;
}
function describeDashboards(results) {
  return results.map(
    (r) => `dashboard ${r.dashboard} (${r.application}/${r.environment}): ${DESCRIBE[r.state]}`
  );
}
var DESCRIBE = {
  created: "created",
  updated: "updated from the guards",
  unchanged: "matches the guards",
  stale: "matches the guards; deployment markers behind — `flagops dashboard --apply` adds them",
  missing: "missing — run `flagops dashboard --apply`",
  drifted: "changed outside git — `flagops dashboard --apply` restores it from the guards"
};
function printable(apps, environment, region) {
  const out = {};
  for (const app of apps)
    for (const env of app.environments)
      if (env.dashboard && (environment === void 0 || env.name === environment))
        out[env.dashboard] = dashboardBody({
          application: app.name,
          environment: env.name,
          region,
          guards: env.guards.map((g) => app.guards[g]).filter((g) => g !== void 0),
          deployments: []
        });
  return out;
}

export {
  isDashboardDrift,
  syncDashboards,
  command,
  dashboardRegion,
  runDashboards,
  describeDashboards
};
