/**
 * A comparative guard over a range, minute by minute: the treatment's and the control's series
 * folded into the judge's sums (`src/judge/`) once each minute is complete, the verdict read after
 * every minute (the test is always valid, so looking every minute costs nothing). Pure.
 *
 * - a minute is complete when its four datapoints have arrived, or its ingestion allowance has
 *   passed (then a metric that declares `fill` takes it; one that does not leaves that side
 *   without data, and the minute compares nothing); nothing after a pending minute is folded;
 * - HARM trips the guard (the minute it was reached); PASS, INSUFFICIENT and NODATA never roll
 *   back, and never make a bake unverified: the threshold guards carry the evidence rule.
 */
import { alphaPerTest, emptyState, type JudgeVerdict, update, verdict } from '../judge/compare.ts';
import { COMPARATIVE_METRICS, type GuardDefinition } from '../model/types.ts';
import type { ComparisonReading, EvaluationRange, GuardReport, PeriodReading } from './report.ts';

export type SeriesById = (seriesId: string) => Map<number, number>;

export function evaluateComparative(
  guard: GuardDefinition,
  range: EvaluationRange & { startTime: number },
  series: SeriesById,
  metricIds: Record<string, string>,
  comparativeGuards: number,
): GuardReport {
  const spec = guard.comparative;
  if (spec === undefined) throw new Error(`guard ${guard.name} is not comparative`);
  const stepMs = 60_000;
  const allowance = range.allowanceMs ?? 0;
  const to = range.to ?? Number.POSITIVE_INFINITY;
  const alpha = alphaPerTest(spec.falseAlarmPercent / 100, comparativeGuards, spec.steps);
  const options = { margin: spec.marginPercent / 100, alpha, events: spec.measure === 'events' };
  const read = (id: string) => ({
    points: series(metricIds[id] ?? ''),
    fill: guard.metrics[id]?.fill,
  });
  const t = COMPARATIVE_METRICS.treatment;
  const c = COMPARATIVE_METRICS.control;
  const sides = { tx: read(t.x), ty: read(t.y), cx: read(c.x), cy: read(c.y) };

  let state = emptyState();
  let current: JudgeVerdict = { kind: 'NODATA' };
  const periods: PeriodReading[] = [];
  let trippedAt: number | undefined;
  const firstEnd =
    range.startTime + Math.max(1, Math.floor((range.from - range.startTime) / stepMs) + 1) * stepMs;
  for (let end = firstEnd; end <= range.now && end <= to + stepMs; end += stepMs) {
    const start = end - stepMs;
    const late = end + allowance > range.now;
    const value = (s: { points: Map<number, number>; fill: number | undefined }) =>
      s.points.get(start) ?? (late ? undefined : s.fill);
    const missing = Object.values(sides).some((s) => !s.points.has(start));
    if (missing && late) {
      periods.push({ start, end, outcome: 'pending' });
      break;
    }
    const [tx, ty, cx, cy] = [value(sides.tx), value(sides.ty), value(sides.cx), value(sides.cy)];
    const both = tx !== undefined && ty !== undefined && cx !== undefined && cy !== undefined;
    state = update(state, [
      {
        start,
        ...(tx !== undefined && ty !== undefined ? { treatment: { x: tx, y: ty } } : {}),
        ...(cx !== undefined && cy !== undefined ? { control: { x: cx, y: cy } } : {}),
      },
    ]);
    current = verdict(state, options);
    const outcome = current.kind === 'HARM' ? 'breach' : both && ty > 0 && cy > 0 ? 'healthy' : 'no-data';
    periods.push({
      start,
      end,
      ...(current.estimate !== undefined ? { value: current.estimate } : {}),
      ...(ty !== undefined ? { samples: ty } : {}),
      outcome,
    });
    if (current.kind === 'HARM') {
      trippedAt = end;
      break;
    }
  }
  // The bake does not wait for a comparison's late minutes: a comparison never holds a verdict,
  // and the soak watch goes on folding them in.
  const settled = trippedAt !== undefined || range.now >= to;
  const observed = periods.filter((p) => p.outcome === 'healthy' || p.outcome === 'breach').length;
  return {
    guard: guard.name,
    status: trippedAt !== undefined ? 'breached' : settled ? 'healthy' : 'pending',
    settled,
    breachWhen: guard.breachWhen,
    ...(guard.unit !== undefined ? { unit: guard.unit } : {}),
    consecutive: 1,
    streak: trippedAt !== undefined ? 1 : 0,
    periods,
    required: observed,
    observed,
    coverage: 1,
    unobserved: [],
    ...(trippedAt !== undefined ? { trippedAt, evidence: periods.slice(-1) } : {}),
    comparison: { ...current, limit: guard.breachWhen.threshold, alpha, state },
  };
}

/** `1.9× control [1.3, 2.8]: harm` — a comparison in words, for logs, summaries and the revert. */
export function describeComparison(r: ComparisonReading): string {
  const x = (v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(2).replace(/0$/, ''));
  const est =
    r.estimate === undefined
      ? 'no estimate yet'
      : `${x(r.estimate)}× control [${x(r.interval?.[0] ?? 0)}, ${Number.isFinite(r.interval?.[1] ?? Number.NaN) ? x(r.interval?.[1] ?? 0) : '∞'}]`;
  const allowed = `(harm above ${x(r.limit)}×)`;
  switch (r.kind) {
    case 'HARM':
      return `${est}: harm ${allowed}`;
    case 'PASS':
      return `${est}: pass ${allowed}`;
    case 'NODATA':
      return 'no data: one side took no traffic in a complete minute';
    case 'INSUFFICIENT':
      return `${est}: not yet decided ${allowed}; ${
        r.neededSamples !== undefined && Number.isFinite(r.neededSamples)
          ? `about ${Math.ceil(r.neededSamples).toLocaleString('en')} more requests (both backends) for a verdict`
          : 'the estimate sits on the margin: no traffic estimate'
      }`;
  }
}
