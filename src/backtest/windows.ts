/**
 * The time the backtest replays, split by the resolution CloudWatch keeps (CloudWatch: 1-minute
 * datapoints are kept 15 days, 5-minute ones 63 days, hourly ones 455 days; GetMetricData's
 * StartTime is rounded to the same steps). The part of the range older than 15 days is replayed on
 * 5-minute periods, and the report says so. Pure.
 */
import type { GuardDefinition } from '../model/types.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** How long CloudWatch keeps 1-minute (and finer) datapoints. */
export const FINE_RETENTION_DAYS = 15;
/** How long it keeps 5-minute datapoints; older ones are hourly. */
export const COARSE_RETENTION_DAYS = 63;
export const COARSE_PERIOD_SECONDS = 300;

export interface ReplayWindow {
  /** Epoch ms, inclusive; on a 5-minute boundary. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** `fine`: the guard's own periods; `coarse`: 5-minute periods (older than 15 days). */
  resolution: 'fine' | 'coarse';
}

/**
 * @param until end of the range (default: now), cut to the last whole 5-minute boundary so every
 *   period in it is complete.
 * @param now the current instant: what CloudWatch still keeps is counted back from it.
 */
export function replayWindows(until: number, days: number, now: number): ReplayWindow[] {
  const to = Math.floor(Math.min(until, now) / (5 * MINUTE_MS)) * 5 * MINUTE_MS;
  const from = to - days * DAY_MS;
  const fineFrom = Math.ceil((now - FINE_RETENTION_DAYS * DAY_MS) / (5 * MINUTE_MS)) * 5 * MINUTE_MS;
  if (from >= fineFrom) return [{ from, to, resolution: 'fine' }];
  if (to <= fineFrom) return [{ from, to, resolution: 'coarse' }];
  return [
    { from, to: fineFrom, resolution: 'coarse' },
    { from: fineFrom, to, resolution: 'fine' },
  ];
}

/**
 * The rule as it can be judged on 5-minute datapoints: the same threshold and gate over 5-minute
 * periods, `consecutive`, the sample gate and a window kept as long in time (rounded up to whole 5-minute periods).
 * An approximation — a 5-minute value averages what its minutes showed — that the report names.
 */
export function coarsened(guard: GuardDefinition): GuardDefinition {
  if (guard.periodSeconds >= COARSE_PERIOD_SECONDS && guard.periodSeconds % COARSE_PERIOD_SECONDS === 0)
    return guard;
  const period = Math.ceil(guard.periodSeconds / COARSE_PERIOD_SECONDS) * COARSE_PERIOD_SECONDS;
  const spanSeconds = guard.consecutive * guard.periodSeconds;
  const windowSeconds = (guard.windowMinutes ?? 0) * guard.periodSeconds;
  // A gate counts samples per period (a window guard's, over its window): scale it with the period.
  const gate = guard.minSamples;
  const scale = guard.windowMinutes === undefined ? period / guard.periodSeconds : 1;
  return {
    ...guard,
    periodSeconds: period,
    ...(gate ? { minSamples: { ...gate, atLeast: gate.atLeast * scale } } : {}),
    consecutive: Math.max(1, Math.ceil(spanSeconds / period)),
    ...(guard.windowMinutes !== undefined
      ? { windowMinutes: Math.max(1, Math.ceil(windowSeconds / period)) }
      : {}),
  };
}
