/**
 * Replaying one rule over recorded history with the bake's own evaluator (`evaluateGuards`): it
 * judges every period (gate, window, comparison) and trips when a streak of breaches reaches
 * `consecutive`. A bake stops at the first trip; the backtest counts on: after a firing, the
 * episode lasts until a period is judged healthy again, and the evaluator is asked afresh from
 * there. So one long bad spell is one firing, and a streak one period short is none. Pure.
 */
import {
  evaluateGuards,
  type GuardReport,
  type MetricSeries,
  type PeriodReading,
} from '../guards/evaluate.ts';
import type { GuardQuery } from '../guards/query.ts';

export interface Episode {
  /** When the rule fired: the end of the period that completed the streak (epoch ms). */
  start: number;
  /** When it was healthy again: the end of the first healthy period after (absent: still at the range's end). */
  end?: number;
}

export interface RuleReplay {
  episodes: Episode[];
  /** Every period of the range as the evaluator judged it, oldest first. */
  periods: PeriodReading[];
  periodSeconds: number;
  /** Periods without a usable value (data missing), and those below the sample gate. */
  noDataPeriods: number;
  gatedPeriods: number;
}

/** `query` is `buildGuardQuery([guard], …)` for exactly one guard; `series` its answer. */
export function replayRule(
  query: GuardQuery,
  series: MetricSeries[],
  window: { from: number; to: number },
): RuleReplay {
  const evaluate = (from: number): GuardReport => {
    const report = evaluateGuards(query, series, { from, now: window.to })[0];
    if (!report) throw new Error('replayRule needs a query for exactly one guard');
    return report;
  };
  const first = evaluate(window.from);
  const episodes: Episode[] = [];
  let report = first;
  while (report.trippedAt !== undefined) {
    const fired = report.trippedAt;
    const healthy = report.periods.find((p) => p.end > fired && p.outcome === 'healthy');
    episodes.push({ start: fired, ...(healthy ? { end: healthy.end } : {}) });
    if (!healthy) break;
    report = evaluate(healthy.end);
  }
  const periods = first.periods.filter((p) => p.end <= window.to);
  return {
    episodes,
    periods,
    periodSeconds: query.plans[0]?.guard.periodSeconds ?? 60,
    noDataPeriods: periods.filter((p) => p.outcome === 'no-data' && p.gated !== true).length,
    gatedPeriods: periods.filter((p) => p.outcome === 'no-data' && p.gated === true).length,
  };
}
