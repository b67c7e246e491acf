/**
 * The acceptance criteria of `app.yaml` judged over one window. Pure: the definition and the
 * CloudWatch answer in, one row per criterion and a verdict out.
 *
 * Each criterion is asked as one period as long as the whole window, so a percentile such as `p95`
 * is CloudWatch's percentile over every sample in the window, not an average of per-minute
 * percentiles. The window is the last complete one, aligned to its own length. A criterion that names
 * a comparative guard (`guard:`) is that guard, judged minute by minute over the window: its PASS
 * verdict is the evidence (docs/guards-comparative.md).
 */
import { compare, evaluateGuards, type MetricSeries } from '../guards/evaluate.ts';
import { buildGuardQuery, type GuardQuery } from '../guards/query.ts';
import type { GuardReport } from '../guards/report.ts';
import type { AcceptanceCriterion, AcceptanceDefinition, GuardDefinition } from '../model/types.ts';

export type CriterionOutcome = 'pass' | 'fail' | 'no-data' | 'n/a';

export interface CriterionRow {
  criterion: string;
  description?: string;
  backend?: string;
  /** `<= 5 s` */
  rule: string;
  unit?: string;
  value?: number;
  /** A comparative criterion's always-valid interval for `value`. */
  interval?: [number, number];
  samples?: number;
  outcome: CriterionOutcome;
}

export interface AcceptanceWindow {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

export interface AcceptanceResult {
  passed: boolean;
  window: AcceptanceWindow;
  rows: CriterionRow[];
}

/** The last complete window before `now`, aligned to multiples of its length. */
export function acceptanceWindow(def: AcceptanceDefinition, now: number): AcceptanceWindow {
  const length = def.windowMinutes * 60_000;
  const to = Math.floor(now / length) * length;
  return { from: to - length, to };
}

/** A criterion as a one-period guard whose "breach" condition is the pass condition. */
function asPeriod(def: AcceptanceDefinition, c: AcceptanceCriterion): GuardDefinition {
  return {
    name: c.name,
    metrics: c.metrics,
    value: c.value,
    ...(c.unit !== undefined ? { unit: c.unit } : {}),
    periodSeconds: def.windowMinutes * 60,
    breachWhen: c.passWhen,
    consecutive: 1,
    ...(c.minSamples ? { minSamples: c.minSamples } : {}),
  };
}

/** The application's guards by name, for criteria that name one. */
export type GuardsByName = Readonly<Record<string, GuardDefinition>>;

export function acceptanceQuery(
  def: AcceptanceDefinition,
  window: AcceptanceWindow,
  guards: GuardsByName = {},
): GuardQuery {
  const criteria = Object.values(def.criteria).map((c) => {
    if (c.guard === undefined) return asPeriod(def, c);
    const guard = guards[c.guard];
    // validate refuses a criterion whose guard is missing or not comparative.
    if (guard?.comparative === undefined)
      throw new Error(`criterion ${c.name}: ${c.guard} is not a comparative guard`);
    return guard;
  });
  return buildGuardQuery(criteria, { from: window.from, now: window.to });
}

export function judgeAcceptance(
  def: AcceptanceDefinition,
  query: GuardQuery,
  series: MetricSeries[],
  window: AcceptanceWindow,
): AcceptanceResult {
  const reports = evaluateGuards(query, series, { from: window.from, now: window.to });
  const rows = Object.values(def.criteria).map((c, i): CriterionRow => {
    if (c.guard !== undefined) return comparativeRow(c, reports[i]);
    const period = reports[i]?.periods[0];
    const value = period?.value;
    const usable = period !== undefined && period.outcome !== 'no-data' && value !== undefined;
    const passes = usable && compare(value, c.passWhen.op, c.passWhen.threshold);
    const outcome: CriterionOutcome = usable ? (passes ? 'pass' : 'fail') : c.required ? 'no-data' : 'n/a';
    return {
      criterion: c.name,
      ...(c.description !== undefined ? { description: c.description } : {}),
      ...(c.backend !== undefined ? { backend: c.backend } : {}),
      rule: `${c.passWhen.op} ${c.passWhen.threshold}${c.unit ? ` ${c.unit}` : ''}`,
      ...(c.unit !== undefined ? { unit: c.unit } : {}),
      ...(value !== undefined && Number.isFinite(value) ? { value } : {}),
      ...(period?.samples !== undefined ? { samples: period.samples } : {}),
      outcome,
    };
  });
  // Missing evidence is never a pass: a required criterion without data fails the verification.
  const passed = rows.every((r) => r.outcome === 'pass' || r.outcome === 'n/a');
  return { passed, window, rows };
}

/**
 * A comparative guard's verdict as a row: the ratio treatment ÷ control and its always-valid
 * interval; PASS passes, HARM fails, and too little traffic to tell is no data (n/a when optional).
 */
function comparativeRow(c: AcceptanceCriterion, report: GuardReport | undefined): CriterionRow {
  const reading = report?.comparison;
  const outcome: CriterionOutcome =
    reading?.kind === 'PASS' ? 'pass' : reading?.kind === 'HARM' ? 'fail' : c.required ? 'no-data' : 'n/a';
  const interval = reading?.interval;
  return {
    criterion: c.name,
    ...(c.description !== undefined ? { description: c.description } : {}),
    ...(c.backend !== undefined ? { backend: c.backend } : {}),
    rule: `upper bound ≤ ${round(reading?.limit ?? Number.NaN)}× control`,
    unit: '× control',
    ...(reading?.estimate !== undefined ? { value: reading.estimate } : {}),
    ...(interval ? { interval } : {}),
    ...(report?.comparison ? { samples: report.comparison.state.treatmentRequests } : {}),
    outcome,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

const OUTCOME_TEXT: Record<CriterionOutcome, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  'n/a': 'n/a',
  'no-data': 'FAIL (no data)',
};

function valueText(r: CriterionRow): string {
  if (r.value === undefined) return '—';
  const interval = r.interval ? ` [${round(r.interval[0])}, ${round(r.interval[1])}]` : '';
  return `${round(r.value)}${interval}${r.unit ? ` ${r.unit}` : ''}`;
}

/** The table `flagops verify` prints. */
export function renderAcceptance(result: AcceptanceResult, environment: string): string {
  const header = ['criterion', 'backend', 'value', 'must be', 'result'];
  const body = result.rows.map((r) => [
    r.criterion,
    r.backend ?? '—',
    valueText(r),
    r.rule,
    OUTCOME_TEXT[r.outcome],
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const from = new Date(result.window.from).toISOString();
  const to = new Date(result.window.to).toISOString();
  return [
    `${environment}: acceptance criteria over ${from} → ${to}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    result.passed ? 'verification PASSED' : 'verification FAILED',
  ].join('\n');
}
