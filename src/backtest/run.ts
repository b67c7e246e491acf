/**
 * `flagops backtest` and the plan comment's "Backtest" section: for every guard a change adds,
 * removes or alters (per environment), replay the old and the new rule over the last N days of
 * CloudWatch data and count how often each would have fired, when, and how many periods had no
 * data or were below the sample gate.
 *
 * Where a guard has `applies_when`, what AppConfig deployed over the range says when it did not
 * apply (`applicability.ts`): the rule is still counted as if it had applied, and those minutes are
 * reported beside it (firings inside them are marked). Without deployment history (no reader, or
 * the read failed) the minutes are null and a note says why.
 */
import { Failure } from '../core/failure.ts';
import { buildGuardQuery, type GuardQuery } from '../guards/query.ts';
import type { Comparison, GuardDefinition, Repository } from '../model/types.ts';
import { type Applicability, applicability, isConditional } from './applicability.ts';
import { changedGuards, type GuardChange, type GuardChangeKind } from './changes.ts';
import { worstPerSlice } from './chart.ts';
import type { DeploymentHistory } from './deployed-history.ts';
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
  /** What AppConfig ran, for guards with `applies_when`; absent: not reconstructed. */
  deployments?: DeploymentHistory;
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
  /**
   * ISO times; `end` null while the episode was still open at the range's end. `notApplicable`:
   * it fired while the guard did not apply to what ran (counted all the same).
   */
  episodes: Array<{ start: string; end: string | null; notApplicable?: true }>;
  noDataMinutes: number;
  gatedMinutes: number;
  /** Minutes this rule's `applies_when` was false for what ran; null: not reconstructed. */
  notApplicableMinutes: number | null;
}

export interface GuardBacktest {
  guard: string;
  application: string;
  environment: string;
  kind: GuardChangeKind;
  old?: RuleBacktest;
  new?: RuleBacktest;
  /**
   * Minutes the guard did not apply to what ran (the new rule's, else the old one's), counted as
   * applying all the same; null: not reconstructed. `unknownMinutes`: minutes before the first
   * deployment listed (or unreadable), counted as applying. `notApplicableBecause`: the conditions
   * that were false, as written.
   */
  notApplicableMinutes: number | null;
  unknownMinutes: number | null;
  notApplicableBecause: string[];
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
  const range = { from: windows[0]!.from, to: windows[windows.length - 1]!.to };
  const [answers, applies] = await Promise.all([
    reader.readAll(jobs.map((j) => j.query)),
    applicabilities(input, changes, range),
  ]);
  const guards = changes.map((change, c) => {
    const mine = jobs.map((j, i) => ({ ...j, series: answers[i] ?? [] })).filter((j) => j.change === change);
    return summarise(change, mine, range, applies.perChange[c] ?? {});
  });
  const notes: string[] = [...applies.notes];
  if (windows.some((w) => w.resolution === 'coarse')) {
    const fine = windows.find((w) => w.resolution === 'fine');
    notes.push(
      `CloudWatch keeps 1-minute data for 15 days: ${fine ? `before ${iso(fine.from)}` : 'the whole range'} is replayed on 5-minute periods (consecutive, window and sample gate kept as long in time)`,
    );
  }
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

type SideApplicability = Partial<Record<'old' | 'new', Applicability | null>>;

/**
 * Per change, per rule: when its `applies_when` was false for what ran (undefined for a rule
 * without `applies_when`: it always applies). One history read per target, shared by its guards.
 */
async function applicabilities(
  input: BacktestInput,
  changes: GuardChange[],
  range: { from: number; to: number },
): Promise<{ perChange: SideApplicability[]; notes: string[] }> {
  const conditional = changes.some((c) => [c.old, c.new].some((g) => g && isConditional(g)));
  if (!conditional) return { perChange: changes.map(() => ({})), notes: [] };
  if (!input.deployments)
    return {
      perChange: changes.map((c) => sidesOf(c, () => null)),
      notes: [
        'applies_when is not reconstructed (no AppConfig deployment history was read): each rule is counted as applying throughout',
      ],
    };
  const history = input.deployments;
  const reads = new Map<string, ReturnType<DeploymentHistory['spans']>>();
  const notes: string[] = [];
  const perChange: SideApplicability[] = [];
  for (const change of changes) {
    const target = targetFor(input, change);
    const key = `${target.application}/${target.environment}/${target.profile}`;
    let read = reads.get(key);
    if (!read) {
      read = history.spans(target, range);
      reads.set(key, read);
    }
    try {
      const spans = await read;
      perChange.push(sidesOf(change, (g) => applicability(g, spans)));
    } catch (error) {
      const message = `applies_when for ${key} is not reconstructed: its deployments could not be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); counted as applying throughout`;
      if (!notes.includes(message)) notes.push(message);
      perChange.push(sidesOf(change, () => null));
    }
  }
  return { perChange, notes };
}

function sidesOf(
  change: GuardChange,
  judge: (guard: GuardDefinition) => Applicability | null,
): SideApplicability {
  const out: SideApplicability = {};
  for (const side of ['old', 'new'] as const) {
    const guard = change[side];
    if (guard && isConditional(guard)) out[side] = judge(guard);
  }
  return out;
}

/** The feature-flags profile the guard's conditions name flags of (else the environment's first). */
function targetFor(input: BacktestInput, change: GuardChange) {
  const flags = [change.new, change.old].flatMap((g) => (g?.appliesWhen ?? []).map((c) => c.flag));
  const candidates = [...input.head.targets, ...input.base.targets].filter(
    (t) => t.application === change.application && t.environment === change.environment && t.flags,
  );
  const chosen = candidates.find((t) => flags.every((f) => t.flags?.[f] !== undefined)) ?? candidates[0];
  return {
    application: change.application,
    environment: change.environment,
    profile: chosen?.profile ?? '',
  };
}

function summarise(
  change: GuardChange,
  replays: Replayed[],
  range: { from: number; to: number },
  applies: SideApplicability,
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
    const applied = applies[side];
    const outside = (at: number) => applied?.spans.some((s) => at > s.from && at <= s.to) === true;
    sides[side] = {
      rule: ruleOf(guard),
      fired: episodes.length,
      episodes: episodes.map((e) => ({
        start: iso(e.start),
        end: e.end === undefined ? null : iso(e.end),
        ...(outside(e.start) ? { notApplicable: true as const } : {}),
      })),
      noDataMinutes: minutes((r) => r.noDataPeriods),
      gatedMinutes: minutes((r) => r.gatedPeriods),
      notApplicableMinutes: applied === undefined ? 0 : (applied?.notApplicableMinutes ?? null),
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
    ...guardApplicability(applies),
    chart,
  };
}

/** The guard's figures: the new rule's, else the old one's (0 for a rule that always applies). */
function guardApplicability(
  applies: SideApplicability,
): Pick<GuardBacktest, 'notApplicableMinutes' | 'unknownMinutes' | 'notApplicableBecause'> {
  const a = 'new' in applies ? applies.new : applies.old;
  if (a === undefined) return { notApplicableMinutes: 0, unknownMinutes: 0, notApplicableBecause: [] };
  if (a === null) return { notApplicableMinutes: null, unknownMinutes: null, notApplicableBecause: [] };
  return {
    notApplicableMinutes: a.notApplicableMinutes,
    unknownMinutes: a.unknownMinutes,
    notApplicableBecause: a.because,
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
