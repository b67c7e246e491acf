/**
 * Guard evaluation, period by period. Pure: the GetMetricData answer in, one report per guard out.
 *
 * Rules (DESIGN §3):
 * - only complete periods count (a period still filling up would look healthier than it is);
 * - a period below the minimum-sample gate, or without a value, is `no-data`: it neither breaches
 *   nor resets the count — too little traffic proves nothing either way;
 * - a breaching period adds one to the guard's consecutive count, a healthy one resets it;
 * - the guard trips when the count reaches `consecutive`, and stays tripped (the evidence is kept).
 */
import type { Comparison, GuardDefinition } from '../model/types.ts';
import type { GuardQuery } from './query.ts';

/** One series of the answer, as CloudWatch returns it (timestamps in epoch ms, any order). */
export interface MetricSeries {
  id: string;
  timestamps: number[];
  values: number[];
}

export type PeriodOutcome = 'breach' | 'healthy' | 'no-data';

export interface PeriodReading {
  /** Epoch ms at which the period starts. */
  start: number;
  end: number;
  value?: number;
  samples?: number;
  outcome: PeriodOutcome;
}

export type GuardStatus = 'healthy' | 'breached' | 'no-data' | 'pending';

export interface GuardReport {
  guard: string;
  status: GuardStatus;
  breachWhen: { op: Comparison; threshold: number };
  unit?: string;
  consecutive: number;
  /** Breaching periods in a row at the end of the window (or when it tripped). */
  streak: number;
  minSamples?: { metric: string; atLeast: number };
  /** Every complete period in the window, oldest first. */
  periods: PeriodReading[];
  /** When the guard tripped: the end of the period that completed the streak (epoch ms). */
  trippedAt?: number;
  /** The periods that made up the streak that tripped it. */
  evidence?: PeriodReading[];
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
  window: { from: number; now: number },
): GuardReport[] {
  const byId = new Map(series.map((s) => [s.id, toMap(s)]));
  return query.plans.map((plan) => {
    const values = byId.get(plan.valueId) ?? new Map<number, number>();
    const samples =
      plan.samplesId === undefined ? undefined : (byId.get(plan.samplesId) ?? new Map<number, number>());
    return evaluateGuard(plan.guard, { startTime: query.startTime, ...window }, values, samples);
  });
}

export function evaluateGuard(
  guard: GuardDefinition,
  window: { startTime: number; from: number; now: number },
  values: Map<number, number>,
  samples: Map<number, number> | undefined,
): GuardReport {
  const periodMs = guard.periodSeconds * 1000;
  const periods: PeriodReading[] = [];
  let streak = 0;
  let trippedAt: number | undefined;
  let evidence: PeriodReading[] | undefined;
  for (let start = window.startTime; start + periodMs <= window.now; start += periodMs) {
    const end = start + periodMs;
    if (end <= window.from) continue; // Entirely before watching began.
    const reading = readPeriod(guard, start, end, values.get(start), samples?.get(start));
    periods.push(reading);
    if (trippedAt !== undefined) continue;
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
  const evaluated = periods.some((p) => p.outcome !== 'no-data');
  const status: GuardStatus =
    trippedAt !== undefined
      ? 'breached'
      : periods.length === 0
        ? 'pending'
        : evaluated
          ? 'healthy'
          : 'no-data';
  return {
    guard: guard.name,
    status,
    breachWhen: guard.breachWhen,
    ...(guard.unit !== undefined ? { unit: guard.unit } : {}),
    consecutive: guard.consecutive,
    streak,
    ...(guard.minSamples ? { minSamples: guard.minSamples } : {}),
    periods,
    ...(trippedAt !== undefined ? { trippedAt } : {}),
    ...(evidence ? { evidence } : {}),
  };
}

function readPeriod(
  guard: GuardDefinition,
  start: number,
  end: number,
  value: number | undefined,
  samples: number | undefined,
): PeriodReading {
  const base = {
    start,
    end,
    ...(value !== undefined ? { value } : {}),
    ...(samples !== undefined ? { samples } : {}),
  };
  const gated = guard.minSamples !== undefined && (samples ?? 0) < guard.minSamples.atLeast;
  if (gated || value === undefined || !Number.isFinite(value)) return { ...base, outcome: 'no-data' };
  const breached = compare(value, guard.breachWhen.op, guard.breachWhen.threshold);
  return { ...base, outcome: breached ? 'breach' : 'healthy' };
}

function toMap(s: MetricSeries): Map<number, number> {
  const m = new Map<number, number>();
  s.timestamps.forEach((t, i) => {
    const v = s.values[i];
    if (v !== undefined) m.set(t, v);
  });
  return m;
}

/** `12.5 % > 5 (2 in a row)`: a guard's state in one line for logs and summaries. */
export function describeGuard(report: GuardReport): string {
  const unit = report.unit ? (report.unit === '%' ? ' %' : ` ${report.unit}`) : '';
  const last = [...report.periods].reverse().find((p) => p.value !== undefined);
  const shown = last?.value !== undefined ? `${round(last.value)}${unit}` : 'no value';
  const rule = `${report.breachWhen.op} ${report.breachWhen.threshold}${unit}`;
  switch (report.status) {
    case 'breached':
      return `${report.guard}: BREACHED — ${(report.evidence ?? []).map((p) => `${round(p.value ?? Number.NaN)}${unit}`).join(', ')} ${rule} for ${report.consecutive} period(s) in a row`;
    case 'pending':
      return `${report.guard}: waiting for the first complete ${report.periods.length === 0 ? 'period' : 'periods'}`;
    case 'no-data':
      return `${report.guard}: no data — ${report.minSamples ? `fewer than ${report.minSamples.atLeast} ${report.minSamples.metric} per period` : 'no datapoints'}`;
    case 'healthy':
      return `${report.guard}: ok — ${shown} (breach when ${rule}, streak ${report.streak}/${report.consecutive})`;
  }
}

export function round(v: number): number {
  return Math.round(v * 100) / 100;
}
