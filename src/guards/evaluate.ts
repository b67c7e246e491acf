/**
 * Guard evaluation over a time range, period by period. Pure: the GetMetricData answer in, one
 * report per guard out. The bake, `flagops status` and a later soak watch all call this.
 *
 * Rules (docs/reference.md#guards):
 * - a period is judged from its value once every metric of the guard has its datapoint; a period
 *   with one still missing is `pending` until its end plus the ingestion allowance, then judged
 *   with the metric's declared fill (a count that publishes nothing when zero) or `no-data`. So a
 *   late ErrorCount never reads as 0 % while it can still arrive, and a streak never runs across
 *   a pending period (the newest periods are the only ones that can be pending);
 * - a period below the minimum-sample gate, or without a value, is `no-data`: it neither breaches,
 *   nor resets the streak, nor counts as observed — too little traffic proves nothing either way;
 *   one below the gate while AppConfig still rolls the deployment out (`rampUntil`) is not owed
 *   either, since the canary carries a share of the step's traffic by design;
 * - a breaching period adds one to the guard's streak, a healthy one resets it; the guard trips
 *   when the streak reaches `consecutive` and stays tripped (the evidence is kept);
 * - window guards ("N per M minutes") are judged every minute on the sum of the last M minutes;
 * - the verdict over a range [from, to] (periods that begin at or after `from` and end by `to`; the
 *   period the deployment started in is judged for breaches but not owed) is settled once every
 *   one of them is judged or past
 *   its allowance, and — when one more breach would complete a streak — the next period too; it is
 *   `healthy` only when the observed share of those periods reaches the guard's coverage,
 *   `no-data` when none was observed, and `unverified` in between.
 */
import type { Comparison, GuardDefinition } from '../model/types.ts';
import { describeComparison, evaluateComparative } from './comparative.ts';
import type { GuardQuery } from './query.ts';
import type { EvaluationRange, GuardReport, GuardStatus, PeriodReading } from './report.ts';

/** One series of the answer, as CloudWatch returns it (timestamps in epoch ms, any order). */
export interface MetricSeries {
  id: string;
  timestamps: number[];
  values: number[];
}

export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

export function evaluateGuards(
  query: GuardQuery,
  series: MetricSeries[],
  range: EvaluationRange,
): GuardReport[] {
  const byId = new Map(series.map((s) => [s.id, toMap(s)]));
  const comparatives = query.plans.filter((p) => p.guard.comparative !== undefined).length;
  return query.plans.map((plan) => {
    if (plan.guard.comparative !== undefined) {
      const lookup = (id: string) => byId.get(id) ?? new Map<number, number>();
      const at = { startTime: query.startTime, ...range };
      return evaluateComparative(plan.guard, at, lookup, plan.metricIds ?? {}, comparatives);
    }
    const values = byId.get(plan.valueId) ?? new Map<number, number>();
    const samples =
      plan.samplesId === undefined ? undefined : (byId.get(plan.samplesId) ?? new Map<number, number>());
    const arrivals = Object.entries(plan.metricIds ?? {}).map(([metricId, seriesId]) => ({
      points: byId.get(seriesId) ?? new Map<number, number>(),
      fills: plan.guard.metrics[metricId]?.fill !== undefined,
    }));
    return evaluateGuard(plan.guard, { startTime: query.startTime, ...range }, values, samples, arrivals);
  });
}

/** One metric's datapoints, and whether a missing one may be filled (it publishes nothing when zero). */
export interface Arrival {
  points: Map<number, number>;
  fills: boolean;
}

export function evaluateGuard(
  guard: GuardDefinition,
  range: EvaluationRange & { startTime: number },
  values: Map<number, number>,
  samples: Map<number, number> | undefined,
  arrivals: Arrival[] = [],
): GuardReport {
  const stepMs = guard.periodSeconds * 1000;
  const windowMs = (guard.windowMinutes ?? 1) * stepMs;
  const allowance = range.allowanceMs ?? 0;
  const to = range.to ?? Number.POSITIVE_INFINITY;
  const coverage = guard.coverage ?? 1;
  const periods: PeriodReading[] = [];
  let streak = 0;
  let streakAtTo = 0;
  let trippedAt: number | undefined;
  let evidence: PeriodReading[] | undefined;
  let nextAfterTo: PeriodReading | undefined;
  let blocked = false;

  // Period ends on the query's grid, after `from`, up to now.
  const firstEnd =
    range.startTime + Math.max(1, Math.floor((range.from - range.startTime) / stepMs) + 1) * stepMs;
  for (let end = firstEnd; end <= range.now; end += stepMs) {
    const reading = readPeriod(
      guard,
      end - windowMs,
      end,
      stepMs,
      { values, samples, arrivals },
      range.now,
      allowance,
    );
    if (end > to) {
      // Past the range: only the one period that could still complete an open streak matters.
      if (nextAfterTo === undefined) nextAfterTo = reading;
      if (trippedAt !== undefined || end > to + stepMs) break;
    }
    periods.push(reading);
    // A streak never runs across a pending period: nothing after it counts until it is judged.
    if (reading.outcome === 'pending') blocked = true;
    if (trippedAt === undefined && !blocked) {
      if (reading.outcome === 'breach') {
        streak += 1;
        if (streak >= guard.consecutive) {
          trippedAt = end;
          evidence = periods.filter((p) => p.outcome === 'breach').slice(-streak);
        }
      } else if (reading.outcome === 'healthy') {
        streak = 0;
      }
    }
    if (end <= to) streakAtTo = streak;
  }

  // Required: the periods that began at or after `from` — the one the deployment started in is
  // mostly the old configuration's traffic (judged for breaches, but not owed as evidence).
  const firstRequiredEnd = firstEnd + (firstEnd - stepMs >= range.from ? 0 : stepMs);
  const inRange = periods.filter((p) => p.end <= to && p.end >= firstRequiredEnd);
  const rampUntil = range.rampUntil ?? range.from;
  const excused = inRange.filter((p) => p.gated === true && p.start < rampUntil).length;
  const required =
    (Number.isFinite(to) ? Math.max(0, Math.floor((to - firstRequiredEnd) / stepMs) + 1) : inRange.length) -
    excused;
  const observed = inRange.filter((p) => p.outcome === 'breach' || p.outcome === 'healthy').length;
  const unobserved = inRange.filter(
    (p) => p.outcome === 'no-data' && !(p.gated === true && p.start < rampUntil),
  );
  const rangeDone =
    range.now >= to && inRange.length >= required && inRange.every((p) => p.outcome !== 'pending');
  // One more breach would trip it: wait (one period at most) for the period after the range.
  const streakOpen = streakAtTo > 0 && guard.consecutive - streakAtTo === 1;
  const streakDone =
    !streakOpen ||
    (nextAfterTo !== undefined && nextAfterTo.outcome !== 'pending') ||
    range.now >= to + stepMs + allowance;
  const settled = trippedAt !== undefined || (rangeDone && streakDone);

  const status: GuardStatus =
    trippedAt !== undefined
      ? 'breached'
      : !settled
        ? 'pending'
        : observed === 0
          ? 'no-data'
          : observed >= Math.ceil(coverage * required - 1e-9)
            ? 'healthy'
            : 'unverified';
  return {
    guard: guard.name,
    status,
    settled,
    breachWhen: guard.breachWhen,
    ...(guard.unit !== undefined ? { unit: guard.unit } : {}),
    consecutive: guard.consecutive,
    streak,
    ...(guard.minSamples ? { minSamples: guard.minSamples } : {}),
    ...(guard.windowMinutes !== undefined ? { windowMinutes: guard.windowMinutes } : {}),
    periods,
    required,
    observed,
    coverage,
    unobserved,
    ...(trippedAt !== undefined ? { trippedAt } : {}),
    ...(evidence ? { evidence } : {}),
  };
}

/** One period (or window) [start, end): its value, samples and outcome. */
function readPeriod(
  guard: GuardDefinition,
  start: number,
  end: number,
  stepMs: number,
  data: { values: Map<number, number>; samples: Map<number, number> | undefined; arrivals: Arrival[] },
  now: number,
  allowanceMs: number,
): PeriodReading {
  const { values, samples } = data;
  const value = sumOver(values, start, end, stepMs);
  const count = samples === undefined ? undefined : sumOver(samples, start, end, stepMs);
  // One object per period, filled in place (a backtest judges hundreds of thousands of them).
  const reading = { start, end } as PeriodReading;
  if (value !== undefined) reading.value = value;
  if (count !== undefined) reading.samples = count;
  reading.outcome = 'no-data';
  // Data has arrived when the newest step has its gate datapoint (or, ungated, its value).
  const newest = end - stepMs;
  const gateArrived = samples !== undefined ? samples.has(newest) : values.has(newest);
  const late = end + allowanceMs > now;
  if (!gateArrived) reading.outcome = late ? 'pending' : 'no-data';
  // Any other metric still missing: wait for it; past the allowance, a declared fill stands in for
  // it (already in the value), and without one the value is missing and the period no-data.
  else if (late && data.arrivals.some((a) => !a.points.has(newest))) reading.outcome = 'pending';
  else if (guard.minSamples !== undefined && (count ?? 0) < guard.minSamples.atLeast) reading.gated = true;
  else if (value !== undefined && Number.isFinite(value))
    reading.outcome = compare(value, guard.breachWhen.op, guard.breachWhen.threshold) ? 'breach' : 'healthy';
  return reading;
}

/** The sum of the steps in [start, end) that have a value; undefined when none has. */
function sumOver(m: Map<number, number>, start: number, end: number, stepMs: number): number | undefined {
  let total: number | undefined;
  for (let t = start; t < end; t += stepMs) {
    const v = m.get(t);
    if (v !== undefined) total = (total ?? 0) + v;
  }
  return total;
}

/**
 * Each answer's datapoints by timestamp, built once per answer: a backtest replays the old and the
 * new rule, and every guard gating on the same metric, over the very same arrays (14 days of them),
 * so the lookup is kept beside the arrays it was built from while they live.
 */
const lookups = new WeakMap<number[], { timestamps: number[]; length: number; map: Map<number, number> }>();

function toMap(s: MetricSeries): Map<number, number> {
  const known = lookups.get(s.values);
  if (known && known.timestamps === s.timestamps && known.length === s.values.length) return known.map;
  const map = new Map<number, number>();
  const { timestamps, values } = s;
  for (let i = 0; i < timestamps.length; i++) {
    const v = values[i];
    if (v !== undefined) map.set(timestamps[i] as number, v);
  }
  lookups.set(s.values, { timestamps: s.timestamps, length: s.values.length, map });
  return map;
}

/** The newest period judged on data, for progress lines. */
export function lastJudged(report: GuardReport): PeriodReading | undefined {
  return [...report.periods].reverse().find((p) => p.outcome === 'breach' || p.outcome === 'healthy');
}

/** `12.5 % > 5 (2 in a row)`: a guard's state in one line for logs and summaries. */
export function describeGuard(report: GuardReport): string {
  if (report.comparison) return `${report.guard}: ${describeComparison(report.comparison)}`;
  const unit = unitText(report.unit);
  const last = lastJudged(report);
  const shown = last?.value !== undefined ? `${round(last.value)}${unit}` : 'no value yet';
  const rule = `${report.breachWhen.op} ${report.breachWhen.threshold}${unit}`;
  const per = report.windowMinutes ? ` per ${report.windowMinutes} min` : '';
  switch (report.status) {
    case 'breached':
      return `${report.guard}: BREACHED — ${(report.evidence ?? []).map((p) => `${round(p.value ?? Number.NaN)}${unit}`).join(', ')} ${rule}${per} for ${report.consecutive} period(s) in a row`;
    case 'pending':
      return `${report.guard}: ${shown}${last?.outcome === 'breach' ? ' BREACHING' : ''} (breach when ${rule}${per}, streak ${report.streak}/${report.consecutive}; ${report.observed} of ${report.required} period(s) observed so far)`;
    case 'no-data':
      return `${report.guard}: no data — ${report.minSamples ? `fewer than ${report.minSamples.atLeast} ${report.minSamples.metric} in every period` : 'no datapoints'}`;
    case 'unverified':
      return `${report.guard}: UNVERIFIED — observed ${report.observed} of ${report.required} period(s), needs ${Math.ceil(report.coverage * report.required)}; never observed: ${describePeriods(report.unobserved)}`;
    case 'healthy':
      return `${report.guard}: ok — ${shown} (breach when ${rule}${per}; ${report.observed} of ${report.required} period(s) observed)`;
  }
}

/** `12:03–12:05, 12:09–12:10`: periods as UTC time ranges, touching ones merged. */
export function describePeriods(periods: PeriodReading[]): string {
  if (periods.length === 0) return 'none';
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const runs: Array<{ start: number; end: number }> = [];
  for (const p of [...periods].sort((a, b) => a.start - b.start)) {
    const last = runs[runs.length - 1];
    if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
    else runs.push({ start: p.start, end: p.end });
  }
  return runs.map((r) => `${hhmm(r.start)}–${hhmm(r.end)}`).join(', ');
}

export function unitText(unit: string | undefined): string {
  return unit ? (unit === '%' ? ' %' : ` ${unit}`) : '';
}

export function round(v: number): number {
  return Math.round(v * 100) / 100;
}
