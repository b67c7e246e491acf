import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// packages/sandbox/src/scenarios.ts
var SCENARIOS = [
  "healthy",
  "influxdb-overload-above-40",
  "influxdb-latency-degraded",
  "no-traffic"
];
var NAMESPACE = "ONS/TrafficSwitching";
var MINUTE_MS = 6e4;
var QUERIES_PER_MINUTE = 1200;
var DEFAULT_TARGET = {
  application: "ons-data-platform-app",
  environment: "production",
  profile: "feature-flags"
};
function backendHealth(scenario, influxPercent) {
  const timestream = { errorRate: 4e-3, latencyMs: 1200, connectionFailures: 0 };
  const healthyInflux = { errorRate: 3e-3, latencyMs: 800, connectionFailures: 0 };
  switch (scenario) {
    case "influxdb-overload-above-40":
      return {
        timestream,
        influxdb: influxPercent > 40 ? { errorRate: 0.12, latencyMs: 14500, connectionFailures: 4 } : healthyInflux
      };
    case "influxdb-latency-degraded":
      return { timestream, influxdb: { ...healthyInflux, latencyMs: 12500 } };
    default:
      return { timestream, influxdb: healthyInflux };
  }
}
function influxShareOf(content) {
  try {
    const doc = JSON.parse(content.toString("utf8"));
    const values = doc.values ?? {};
    const queries = values["use_influxdb_for_api_queries"];
    const traffic = values["influxdb_traffic_percentage"];
    if (queries?.["enabled"] !== true || traffic?.["enabled"] !== true) return 0;
    const pct = Number(traffic["percentage"]);
    return Number.isFinite(pct) ? Math.min(100, Math.max(0, pct)) : 0;
  } catch {
    return 0;
  }
}
function jitter(seed) {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x) - 0.5;
}
function createScenarios(ctx, deps) {
  let scenario = deps.scenario;
  const target = deps.target ?? DEFAULT_TARGET;
  let lastMinute = Math.floor(ctx.clock.now() / MINUTE_MS);
  function influxPercent() {
    const served = deps.appconfig.served(target.application, target.environment, target.profile);
    return served.reduce((sum, v) => sum + v.share * influxShareOf(v.content), 0);
  }
  function publishMinute(minute) {
    if (scenario === "no-traffic") return;
    const pct = influxPercent();
    const influxRequests = Math.round(QUERIES_PER_MINUTE * pct / 100);
    const requests = { influxdb: influxRequests, timestream: QUERIES_PER_MINUTE - influxRequests };
    const health = backendHealth(scenario, pct);
    const timestamp = minute * MINUTE_MS - MINUTE_MS / 2;
    for (const backend of ["influxdb", "timestream"]) {
      const n = requests[backend];
      const h = health[backend];
      const noise = jitter(minute * 7 + (backend === "influxdb" ? 1 : 2));
      const errors = n === 0 ? 0 : Math.round(n * h.errorRate * (1 + noise * 0.4));
      const put = (name, value, unit) => deps.metrics.putMetric({
        namespace: NAMESPACE,
        name,
        dimensions: { Backend: backend },
        value,
        timestamp,
        unit
      });
      put("RequestCount", n, "Count");
      put("ErrorCount", errors, "Count");
      put("SuccessCount", n - errors, "Count");
      put("ConnectionFailures", n === 0 ? 0 : h.connectionFailures, "Count");
      if (n > 0) put("ResponseTime", Math.round(h.latencyMs * (1 + noise * 0.1)), "Milliseconds");
    }
  }
  return {
    name: "scenario",
    get current() {
      return scenario;
    },
    influxPercent,
    resolve: () => void 0,
    encodeError: (err) => ({ status: err.status, body: { message: err.message } }),
    throttleError: () => {
      throw new Error("scenarios serve no requests");
    },
    tick(now) {
      const minute = Math.floor(now / MINUTE_MS);
      while (lastMinute < minute) {
        lastMinute += 1;
        publishMinute(lastMinute);
      }
    },
    dump: () => ({ scenario, lastMinute }),
    load(data) {
      const d = data;
      if (d.scenario && SCENARIOS.includes(d.scenario)) scenario = d.scenario;
      if (typeof d.lastMinute === "number") lastMinute = d.lastMinute;
    },
    control(req) {
      if (req.path !== "/_sandbox/scenario") return void 0;
      if (req.method === "POST") {
        const body = JSON.parse(req.body.toString("utf8") || "{}");
        if (!SCENARIOS.includes(body.name)) {
          return {
            status: 400,
            body: { message: `unknown scenario ${body.name}; known: ${SCENARIOS.join(", ")}` }
          };
        }
        scenario = body.name;
        ctx.changed();
      }
      return { status: 200, body: { scenario, influxPercent: influxPercent(), known: SCENARIOS } };
    }
  };
}

export {
  SCENARIOS,
  createScenarios
};
