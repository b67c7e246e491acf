/**
 * Traffic scenarios: the ONS query service's metrics, published every simulated minute from the
 * InfluxDB traffic share that the sandbox's own AppConfig *currently serves* to production. A bad
 * percentage therefore produces bad metrics for real, and the pipeline's guards see them through
 * CloudWatch exactly as they would in AWS.
 *
 * Metric names and dimensions match the guards in flags/ons-data-platform-app/app.yaml:
 * namespace ONS/TrafficSwitching, dimension Backend=influxdb|timestream, metrics RequestCount,
 * ErrorCount, SuccessCount, ResponseTime (ms) and ConnectionFailures.
 */
import type {
  MetricSink,
  Reply,
  SandboxRequest,
  ServedConfiguration,
  Service,
  ServiceContext,
} from './core.ts';

export const SCENARIOS = [
  'healthy',
  'influxdb-overload-above-40',
  'influxdb-latency-degraded',
  'no-traffic',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const NAMESPACE = 'ONS/TrafficSwitching';
const MINUTE_MS = 60_000;
/** API queries per minute across both backends (about 20 per second). */
const QUERIES_PER_MINUTE = 1_200;

export interface ScenarioTarget {
  application: string;
  environment: string;
  profile: string;
}

const DEFAULT_TARGET: ScenarioTarget = {
  application: 'ons-data-platform-app',
  environment: 'production',
  profile: 'feature-flags',
};

/** How one backend behaves in one minute. */
interface BackendHealth {
  errorRate: number;
  latencyMs: number;
  connectionFailures: number;
}

/** The behaviour of each backend given the share of traffic InfluxDB receives (0..100). */
function backendHealth(
  scenario: ScenarioName,
  influxPercent: number,
): Record<'influxdb' | 'timestream', BackendHealth> {
  const timestream: BackendHealth = { errorRate: 0.004, latencyMs: 1_200, connectionFailures: 0 };
  const healthyInflux: BackendHealth = { errorRate: 0.003, latencyMs: 800, connectionFailures: 0 };
  switch (scenario) {
    case 'influxdb-overload-above-40':
      // Past 40 % the InfluxDB cluster saturates: errors, slow queries and dropped connections.
      return {
        timestream,
        influxdb:
          influxPercent > 40 ? { errorRate: 0.12, latencyMs: 14_500, connectionFailures: 4 } : healthyInflux,
      };
    case 'influxdb-latency-degraded':
      return { timestream, influxdb: { ...healthyInflux, latencyMs: 12_500 } };
    default:
      return { timestream, influxdb: healthyInflux };
  }
}

/** The InfluxDB share a FeatureFlags document routes, or 0 when queries are off. */
export function influxShareOf(content: Buffer): number {
  try {
    const doc = JSON.parse(content.toString('utf8')) as { values?: Record<string, Record<string, unknown>> };
    const values = doc.values ?? {};
    const queries = values['use_influxdb_for_api_queries'];
    const traffic = values['influxdb_traffic_percentage'];
    if (queries?.['enabled'] !== true || traffic?.['enabled'] !== true) return 0;
    const pct = Number(traffic['percentage']);
    return Number.isFinite(pct) ? Math.min(100, Math.max(0, pct)) : 0;
  } catch {
    return 0;
  }
}

/** Small deterministic jitter so graphs look alive but runs repeat exactly. */
function jitter(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x) - 0.5; // -0.5 .. 0.5
}

export interface Scenarios extends Service {
  control(req: SandboxRequest): Reply | undefined;
  readonly current: ScenarioName;
  /** The InfluxDB share served right now (0..100), weighted across a deployment in progress. */
  influxPercent(): number;
}

export function createScenarios(
  ctx: ServiceContext,
  deps: {
    appconfig: ServedConfiguration;
    metrics: MetricSink;
    scenario: ScenarioName;
    target?: ScenarioTarget;
  },
): Scenarios {
  let scenario: ScenarioName = deps.scenario;
  const target = deps.target ?? DEFAULT_TARGET;
  let lastMinute = Math.floor(ctx.clock.now() / MINUTE_MS);

  function influxPercent(): number {
    const served = deps.appconfig.served(target.application, target.environment, target.profile);
    return served.reduce((sum, v) => sum + v.share * influxShareOf(v.content), 0);
  }

  function publishMinute(minute: number): void {
    if (scenario === 'no-traffic') return;
    const pct = influxPercent();
    const influxRequests = Math.round((QUERIES_PER_MINUTE * pct) / 100);
    const requests = { influxdb: influxRequests, timestream: QUERIES_PER_MINUTE - influxRequests };
    const health = backendHealth(scenario, pct);
    // Stamp the minute that just ended, in its middle, so it falls inside that period's bucket.
    const timestamp = minute * MINUTE_MS - MINUTE_MS / 2;
    for (const backend of ['influxdb', 'timestream'] as const) {
      const n = requests[backend];
      const h = health[backend];
      const noise = jitter(minute * 7 + (backend === 'influxdb' ? 1 : 2));
      const errors = n === 0 ? 0 : Math.round(n * h.errorRate * (1 + noise * 0.4));
      const put = (name: string, value: number, unit: string): void =>
        deps.metrics.putMetric({
          namespace: NAMESPACE,
          name,
          dimensions: { Backend: backend },
          value,
          timestamp,
          unit,
        });
      put('RequestCount', n, 'Count');
      put('ErrorCount', errors, 'Count');
      put('SuccessCount', n - errors, 'Count');
      put('ConnectionFailures', n === 0 ? 0 : h.connectionFailures, 'Count');
      if (n > 0) put('ResponseTime', Math.round(h.latencyMs * (1 + noise * 0.1)), 'Milliseconds');
    }
  }

  return {
    name: 'scenario',
    get current() {
      return scenario;
    },
    influxPercent,
    resolve: () => undefined,
    encodeError: (err) => ({ status: err.status, body: { message: err.message } }),
    throttleError: () => {
      throw new Error('scenarios serve no requests');
    },
    tick(now: number) {
      const minute = Math.floor(now / MINUTE_MS);
      // Minutes are published once each, in order, as simulated time crosses their end.
      while (lastMinute < minute) {
        lastMinute += 1;
        publishMinute(lastMinute);
      }
    },
    dump: () => ({ scenario, lastMinute }),
    load(data) {
      const d = data as { scenario?: ScenarioName; lastMinute?: number };
      if (d.scenario && SCENARIOS.includes(d.scenario)) scenario = d.scenario;
      if (typeof d.lastMinute === 'number') lastMinute = d.lastMinute;
    },
    control(req) {
      if (req.path !== '/_sandbox/scenario') return undefined;
      if (req.method === 'POST') {
        const body = JSON.parse(req.body.toString('utf8') || '{}') as { name?: string };
        if (!SCENARIOS.includes(body.name as ScenarioName)) {
          return {
            status: 400,
            body: { message: `unknown scenario ${body.name}; known: ${SCENARIOS.join(', ')}` },
          };
        }
        scenario = body.name as ScenarioName;
        ctx.changed();
      }
      return { status: 200, body: { scenario, influxPercent: influxPercent(), known: SCENARIOS } };
    },
  };
}
