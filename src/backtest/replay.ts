/**
 * Replaying one rule over recorded history with the bake's own evaluator (`evaluateGuards`): it
 * judges every period (sample gate, window, comparison) exactly as a bake would. A bake stops at
 * the first trip; the backtest counts on over the evaluator's judgements with the same streak rule
 * (a breach adds one, a healthy period resets, no-data does neither; the rule fires when the streak
 * reaches `consecutive`), and an episode lasts until a period is healthy again, so one long bad
 * spell is one firing and a streak one period short is none. The first firing must be the
 * evaluator's own trip: if they ever disagree, the replay refuses rather than report other numbers
 * than the bake would. Pure.
 */
import { evaluateGuards, type MetricSeries } from '../guards/evaluate.ts';
import type { GuardQuery } from '../guards/query.ts';
import type { GuardReport, PeriodReading } from '../guards/report.ts';

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
  const report: GuardReport | undefined = evaluateGuards(query, series, {
    from: window.from,
    now: window.to,
  })[0];
  if (!report) throw new Error('replayRule needs a query for exactly one guard');
  const episodes = episodesOf(report.periods, report.consecutive);
  if (report.trippedAt !== episodes[0]?.start)
    throw new Error(
      `backtest of ${report.guard}: the first firing (${episodes[0]?.start}) is not the evaluator's trip (${report.trippedAt})`,
    );
  let noDataPeriods = 0;
  let gatedPeriods = 0;
  for (const p of report.periods) {
    if (p.outcome !== 'no-data') continue;
    if (p.gated === true) gatedPeriods += 1;
    else noDataPeriods += 1;
  }
  return {
    episodes,
    periods: report.periods,
    periodSeconds: query.plans[0]?.guard.periodSeconds ?? 60,
    noDataPeriods,
    gatedPeriods,
  };
}

/** Firings over judged periods: a streak reaching `consecutive`, open until a healthy period. */
export function episodesOf(periods: PeriodReading[], consecutive: number): Episode[] {
  const episodes: Episode[] = [];
  let streak = 0;
  let open: Episode | undefined;
  for (const p of periods) {
    if (p.outcome === 'healthy') {
      streak = 0;
      if (open) open.end = p.end;
      open = undefined;
    } else if (p.outcome === 'breach' && !open) {
      streak += 1;
      if (streak >= consecutive) {
        open = { start: p.end };
        episodes.push(open);
      }
    }
  }
  return episodes;
}
