import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

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

export {
  dashboardBody,
  isDashboardDrift,
  syncDashboards
};
