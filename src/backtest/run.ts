/**
 * `flagops backtest` and the plan comment's "Backtest" section: for every guard a change adds,
 * removes or alters (per environment), replay the old and the new rule over the last N days of
 * CloudWatch data and count how often each would have fired, when, and how many periods had no
 * data or were below the sample gate.
 *
 * History cannot tell here whether a guard applied (`applies_when`) to what ran at each moment
 * without replaying every deployment; the rule is counted as applying throughout, and the report
 * says so.
 */
import { Failure } from '../core/failure.ts';
import { buildGuardQuery, type GuardQuery } from '../guards/query.ts';
import type { Comparison, GuardDefinition, Repository } from '../model/types.ts';
import { changedGuards, type GuardChange, type GuardChangeKind } from './changes.ts';
import { worstPerSlice } from './chart.ts';
import { HistoryReader, type MetricDataPages, type ReadStats } from './reads.ts';
import { replayRule } from './replay.ts';
import { COARSE_RETENTION_DAYS, coarsened, type ReplayWindow, replayWindows } from './windows.ts';

export const DEFAULT_DAYS = 14;

export interface BacktestInput {
  base: Repository;
  head: Repository;
  environment?: string;
  days: number;
  /** End of the range (epoch ms); default `now`. */
  until?: number;
  /** The current instant on the metrics' clock. */
  now: number;
  pages: MetricDataPages;
}

export interface RuleSummary {
  breachWhen: { op: Comparison; threshold: number };
  consecutive: number;
  periodSeconds: number;
  windowMinutes?: number;
  minSamples?: { metric: string; atLeast: number };
}

export interface RuleBacktest {
  rule: RuleSummary;
  fired: number;
  /** ISO times; `end` null while the episode was still open at the range's end. */
  episodes: Array<{ start: string; end: string | null }>;
  noDataMinutes: number;
  gatedMinutes: number;
}

export interface GuardBacktest {
  guard: string;
  application: string;
  environment: string;
  kind: GuardChangeKind;
  old?: RuleBacktest;
  new?: RuleBacktest;
  /** Minutes the guard did not apply to what ran; null: not reconstructed (counted as applying). */
  notApplicableMinutes: number | null;
  /** The guard's worst value per slice of the range, for a chart (the new rule's, else the old one's). */
  chart: Array<number | null>;
}

export interface BacktestReport {
  from: string;
  to: string;
  days: number;
  /** What the reader should know: a resolution drop, applies_when not reconstructed. */
  notes: string[];
  guards: GuardBacktest[];
  reads: ReadStats;
}

export function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > COARSE_RETENTION_DAYS) {
    throw new Failure(
      `--days ${days}: give a whole number of days from 1 to ${COARSE_RETENTION_DAYS} (CloudWatch keeps 5-minute data for 63 days)`,
      2,
    );
  }
}

export async function runBacktest(input: BacktestInput): Promise<BacktestReport> {
  checkDays(input.days);
  const changes = changedGuards(input.base, input.head, input.environment);
  const windows = replayWindows(input.until ?? input.now, input.days, input.now);
  const reader = new HistoryReader(input.pages);
  const jobs = changes.flatMap((change) =>
    (['old', 'new'] as const).flatMap((side) => {
      const guard = change[side];
      return guard ? windows.map((window) => ({ change, side, window, query: queryFor(guard, window) })) : [];
    }),
  );
  const answers = await reader.readAll(jobs.map((j) => j.query));
  const guards = changes.map((change) => {
    const mine = jobs.map((j, i) => ({ ...j, series: answers[i] ?? [] })).filter((j) => j.change === change);
    return summarise(change, mine, { from: windows[0]!.from, to: windows[windows.length - 1]!.to });
  });
  const notes: string[] = [];
  if (windows.some((w) => w.resolution === 'coarse')) {
    const fine = windows.find((w) => w.resolution === 'fine');
    notes.push(
      `CloudWatch keeps 1-minute data for 15 days: ${fine ? `before ${iso(fine.from)}` : 'the whole range'} is replayed on 5-minute periods (consecutive, window and sample gate kept as long in time)`,
    );
  }
  if (changes.some((c) => (c.old ?? c.new)?.appliesWhen?.length))
    notes.push(
      'applies_when is not reconstructed from what was deployed: each rule is counted as applying throughout',
    );
  const first = windows[0] as ReplayWindow;
  const last = windows[windows.length - 1] as ReplayWindow;
  return { from: iso(first.from), to: iso(last.to), days: input.days, notes, guards, reads: reader.stats };
}

/** One guard's query over one window, its start shared by every guard read over that window. */
function queryFor(guard: GuardDefinition, window: ReplayWindow): GuardQuery & { rule: GuardDefinition } {
  const rule = window.resolution === 'coarse' ? coarsened(guard) : guard;
  return { ...buildGuardQuery([rule], { from: window.from, now: window.to }), rule };
}

interface Replayed {
  change: GuardChange;
  side: 'old' | 'new';
  window: ReplayWindow;
  query: GuardQuery & { rule: GuardDefinition };
  series: import('../guards/evaluate.ts').MetricSeries[];
}

function summarise(
  change: GuardChange,
  replays: Replayed[],
  range: { from: number; to: number },
): GuardBacktest {
  const sides: Partial<Record<'old' | 'new', RuleBacktest>> = {};
  let chart: GuardBacktest['chart'] = [];
  for (const side of ['old', 'new'] as const) {
    const guard = change[side];
    const mine = replays.filter((r) => r.side === side);
    if (!guard || mine.length === 0) continue;
    const runs = mine.map((r) => replayRule(r.query, r.series, r.window));
    const minutes = (count: (r: (typeof runs)[number]) => number) =>
      runs.reduce((n, r) => n + (count(r) * r.periodSeconds) / 60, 0);
    const episodes = runs.flatMap((r) => r.episodes);
    sides[side] = {
      rule: ruleOf(guard),
      fired: episodes.length,
      episodes: episodes.map((e) => ({ start: iso(e.start), end: e.end === undefined ? null : iso(e.end) })),
      noDataMinutes: minutes((r) => r.noDataPeriods),
      gatedMinutes: minutes((r) => r.gatedPeriods),
    };
    chart = worstPerSlice(
      runs.flatMap((r) => r.periods),
      range,
      guard.breachWhen.op,
    );
  }
  return {
    guard: change.guard,
    application: change.application,
    environment: change.environment,
    kind: change.kind,
    ...sides,
    notApplicableMinutes: null,
    chart,
  };
}

function ruleOf(g: GuardDefinition): RuleSummary {
  return {
    breachWhen: g.breachWhen,
    consecutive: g.consecutive,
    periodSeconds: g.periodSeconds,
    ...(g.windowMinutes !== undefined ? { windowMinutes: g.windowMinutes } : {}),
    ...(g.minSamples ? { minSamples: g.minSamples } : {}),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
