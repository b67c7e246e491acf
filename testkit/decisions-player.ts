/**
 * Plays a per-minute metric trace through the real release on the sandbox — deploy with
 * production's strategy, bake against the guards and the managed alarms — on a stepped clock:
 * simulated time moves only when the pipeline sleeps, and each minute's datapoints are published
 * (through the sandbox's own CloudWatch store, as PutMetricData would) at the instant the trace says
 * they arrive. Deterministic and fast whatever the machine's load.
 *
 * Two enforcers can be played: `flagops` (the bake decides; AppConfig has no monitors) and
 * `appconfig` (no flagops job watches; the guards' managed alarms are the environment's monitors).
 * `both` is production as the README sets it up.
 */
import type { MetricSink } from '../packages/sandbox/src/core.ts';
import { bootstrap } from '../src/pipeline/bootstrap.ts';
import type { Clock } from '../src/pipeline/clock.ts';
import { type ReleaseResult, runRelease } from '../src/pipeline/release.ts';
import { resolveTarget } from '../src/pipeline/resolve.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from './pipeline-harness.ts';

/** One minute of the InfluxDB backend's metrics; an absent member is not published that minute. */
export interface Minute {
  requests?: number;
  errors?: number;
  /** Default: requests − errors (when requests are published). */
  successes?: number | null;
  /** Average response time (ms) of InfluxDB and of Timestream; default 800 and 1200. */
  influxMs?: number | null;
  timestreamMs?: number | null;
  failures?: number;
  /** Seconds after the minute ends that its datapoints arrive (default 0). */
  lagSeconds?: number;
  /** Seconds after the minute ends that its ErrorCount alone arrives (default: `lagSeconds`). */
  errorLagSeconds?: number;
}

export type Call = 'rolled-back' | 'healthy' | 'unverified' | 'no-data';

export interface Trace {
  name: string;
  /** Minute 0 starts with the deployment; the bake (canary 10 min + 5 min + 15 min) ends after minute 29. */
  minutes: Minute[];
  /** The call the guide's rules make on this data. */
  expected: Call;
  /** Why that call is right. */
  why: string;
  /** For rollbacks: the minute whose end completes the rule (detection is measured from there). */
  metAfterMinute?: number;
  /** What AppConfig's monitors alone would do, when it differs from `expected` (and why). */
  appconfig?: { call: Call; why: string };
  /** The step the release deploys: InfluxDB's traffic percentage, queries on (default 25). */
  percentage?: number;
}

export const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const MINUTE = 60_000;
const ALARM_ROLE = 'arn:aws:iam::123456789012:role/appconfig-alarms';
const ALARM_PREFIX = 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:';

export type Enforcer = 'flagops' | 'appconfig' | 'both';

export interface Played {
  call: Call;
  result: ReleaseResult;
  /** ROLLBACK_STARTED − the end of the minute that met the rule, simulated ms. */
  detectionMs?: number;
  triggeredBy?: string;
  harness: PipelineHarness;
}

interface Datum {
  at: number;
  name: string;
  backend: string;
  value: number;
  timestamp: number;
}

function datums(trace: Trace): Datum[] {
  const out: Datum[] = [];
  trace.minutes.forEach((m, k) => {
    const at = T0 + (k + 1) * MINUTE + (m.lagSeconds ?? 0) * 1000;
    const timestamp = T0 + k * MINUTE + MINUTE / 2;
    const put = (name: string, value: number | null | undefined, backend = 'influxdb', when = at) => {
      if (value !== undefined && value !== null) out.push({ at: when, name, backend, value, timestamp });
    };
    put('RequestCount', m.requests);
    const errorsAt = T0 + (k + 1) * MINUTE + (m.errorLagSeconds ?? m.lagSeconds ?? 0) * 1000;
    put('ErrorCount', m.errors, 'influxdb', errorsAt);
    put(
      'SuccessCount',
      m.successes === undefined && m.requests !== undefined ? m.requests - (m.errors ?? 0) : m.successes,
    );
    if (m.requests !== undefined && m.requests > 0) {
      put('ResponseTime', m.influxMs === undefined ? 800 : m.influxMs);
      put('ResponseTime', m.timestreamMs === undefined ? 1200 : m.timestreamMs, 'timestream');
    }
    put('ConnectionFailures', m.failures);
  });
  return out.sort((a, b) => a.at - b.at);
}

/** The stepped clock, publishing each datum the instant it is due (before alarms evaluate then). */
function traceClock(h: PipelineHarness, queue: Datum[]): Clock {
  const sink = h.sandbox.server.services.find((s) => s.name === 'cloudwatch') as unknown as MetricSink;
  const clock = h.sandbox.clock;
  const moveTo = (t: number) => {
    if (t > clock.now()) clock.advance(t - clock.now());
    h.sandbox.server.tick();
  };
  return {
    now: () => clock.now(),
    async sleep(ms) {
      const target = clock.now() + Math.max(0, ms);
      while (queue.length > 0 && (queue[0] as Datum).at <= target) {
        const at = (queue[0] as Datum).at;
        // Everything up to just before the datum's arrival happens without it; then it is stored,
        // and the instant it arrives is ticked on its own (as the sandbox's scenarios publish).
        moveTo(at - 1);
        while (queue.length > 0 && (queue[0] as Datum).at === at) {
          const d = queue.shift() as Datum;
          sink.putMetric({
            namespace: 'ONS/TrafficSwitching',
            name: d.name,
            dimensions: { Backend: d.backend },
            value: d.value,
            timestamp: d.timestamp,
            unit: d.name === 'ResponseTime' ? 'Milliseconds' : 'Count',
          });
        }
        moveTo(at);
      }
      moveTo(target);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

export async function playTrace(
  trace: Trace,
  enforcer: Enforcer,
  options: { keep?: boolean; onHarness?: (h: PipelineHarness) => void } = {},
): Promise<Played> {
  const h = await startPipelineHarness({ scenario: 'no-traffic', stepped: true, start: T0 - 10 * MINUTE });
  try {
    options.onHarness?.(h);
    await bootstrap(
      h.ctx,
      h.snapshot().repo,
      enforcer === 'flagops' ? {} : { alarmRoleArn: ALARM_ROLE, alarmArnPrefix: ALARM_PREFIX },
    );
    const clock = traceClock(h, datums(trace));
    await clock.sleep(T0 - clock.now());
    h.setPercentage('production', trace.percentage ?? 25);
    const result = await runRelease({
      target: PRODUCTION,
      aws: h.aws,
      clock,
      content: h.provider(() => 'abcdef25'),
      bake: enforcer !== 'appconfig',
    });
    const t = await resolveTarget(h.aws, PRODUCTION);
    const deployment =
      result.deploymentNumber === undefined
        ? undefined
        : await h.aws.appconfig.getDeployment(t.application.id, t.environment.id, result.deploymentNumber);
    const stop = deployment?.events.find((e) => e.type === 'ROLLBACK_STARTED');
    const call: Call =
      result.status === 'rolled-back' || stop
        ? 'rolled-back'
        : result.status === 'deployed'
          ? 'healthy'
          : (result.status as Call);
    return {
      call,
      result,
      harness: h,
      ...(stop && trace.metAfterMinute !== undefined
        ? { detectionMs: stop.at - (T0 + (trace.metAfterMinute + 1) * MINUTE) }
        : {}),
      ...(stop?.triggeredBy ? { triggeredBy: stop.triggeredBy } : {}),
    };
  } finally {
    if (!options.keep) await h.close();
  }
}
