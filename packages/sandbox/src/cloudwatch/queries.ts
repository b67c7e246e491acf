/**
 * MetricDataQueries, as GetMetricData takes them and metric-math alarms store them: parsing and
 * validation (ids, exactly one of MetricStat or Expression, references, cycles), then execution
 * against the metric store into timeseries keyed by period start.
 */
import {
  evaluate,
  type MathEnvironment,
  type MathNode,
  type MathValue,
  parseExpression,
  referencedIds,
  type Series,
} from './math.ts';
import type { MetricIdentity, MetricStore } from './metric-store.ts';
import {
  asStruct,
  type Input,
  invalidParameter,
  optionalBoolean,
  optionalInteger,
  optionalList,
  optionalString,
  requiredString,
  validationError,
} from './protocol.ts';
import { parseStatistic, type Statistic } from './statistics.ts';

const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
const MAX_QUERIES = 500;
const MAX_EXPRESSION_LENGTH = 2048;

export interface MetricStatQuery {
  identity: MetricIdentity;
  periodSeconds: number;
  stat: Statistic;
  /** The statistic as the caller wrote it, echoed back by DescribeAlarms. */
  statText: string;
  unit?: string;
}

export interface ParsedQuery {
  id: string;
  label?: string;
  returnData: boolean;
  periodSeconds?: number;
  metricStat?: MetricStatQuery;
  expression?: { text: string; node: MathNode };
}

export function parseDimensions(list: unknown[] | undefined, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!list) return out;
  if (list.length > 30)
    throw invalidParameter(`${path} has ${list.length} dimensions; at most 30 are allowed.`);
  list.forEach((item, i) => {
    const p = `${path}.member.${i + 1}`;
    const d = asStruct(item, p);
    const name = requiredString(d, 'Name', `${p}.Name`);
    const value = requiredString(d, 'Value', `${p}.Value`);
    if (name in out)
      throw invalidParameter(`${path} names the dimension ${name} twice; each name may appear once.`);
    out[name] = value;
  });
  return out;
}

export function dimensionsToWire(dimensions: Record<string, string>): Array<{ Name: string; Value: string }> {
  return Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
}

/** 1, 5, 10 and 30 seconds are high-resolution periods; anything longer is a multiple of 60. */
export function checkPeriod(period: number, path: string, allowed: 'query' | 'alarm'): void {
  const short = allowed === 'query' ? [1, 5, 10, 30] : [10, 30];
  if (!(short.includes(period) || (period >= 60 && period % 60 === 0))) {
    throw invalidParameter(
      `The value ${period} for parameter ${path} is invalid; use ${short.join(', ')} or a multiple of 60 seconds.`,
    );
  }
}

export function parseMetricStat(input: Input, path: string): MetricStatQuery {
  const metric = input['Metric'];
  if (metric === undefined || metric === null) throw validationError(`${path}.Metric is required.`);
  const m = asStruct(metric, `${path}.Metric`);
  const namespace = requiredString(m, 'Namespace', `${path}.Metric.Namespace`);
  const name = requiredString(m, 'MetricName', `${path}.Metric.MetricName`);
  const dimensions = parseDimensions(
    optionalList(m, 'Dimensions', `${path}.Metric.Dimensions`),
    `${path}.Metric.Dimensions`,
  );
  const period = optionalInteger(input, 'Period', `${path}.Period`);
  if (period === undefined) throw validationError(`${path}.Period is required.`);
  checkPeriod(period, `${path}.Period`, 'query');
  const statText = requiredString(input, 'Stat', `${path}.Stat`);
  const unit = optionalString(input, 'Unit', `${path}.Unit`);
  return {
    identity: { namespace, name, dimensions },
    periodSeconds: period,
    stat: parseStatistic(statText, `${path}.Stat`),
    statText,
    ...(unit !== undefined ? { unit } : {}),
  };
}

export function parseQueries(list: unknown[], path: string): ParsedQuery[] {
  if (list.length === 0) throw validationError(`${path} must contain at least one query.`);
  if (list.length > MAX_QUERIES)
    throw validationError(`${path} has ${list.length} queries; at most ${MAX_QUERIES} are allowed.`);
  const queries = list.map((item, i) =>
    parseQuery(asStruct(item, `${path}.member.${i + 1}`), `${path}.member.${i + 1}`),
  );
  const ids = new Set<string>();
  for (const q of queries) {
    if (ids.has(q.id))
      throw validationError(`The Id ${q.id} is used by more than one query in ${path}; ids must be unique.`);
    ids.add(q.id);
  }
  for (const q of queries) {
    if (!q.expression) continue;
    for (const ref of referencedIds(q.expression.node)) {
      if (!ids.has(ref))
        throw validationError(
          `The expression of ${q.id} uses ${ref}, which is not the Id of any query in ${path}.`,
        );
    }
  }
  checkNoCycles(queries);
  return queries;
}

function parseQuery(input: Input, path: string): ParsedQuery {
  const id = requiredString(input, 'Id', `${path}.Id`);
  if (!QUERY_ID.test(id) || id.length > 255) {
    throw validationError(
      `The Id ${id} of ${path} is invalid: it must start with a lowercase letter and hold only letters, digits and _.`,
    );
  }
  const label = optionalString(input, 'Label', `${path}.Label`);
  const returnData = optionalBoolean(input, 'ReturnData', `${path}.ReturnData`) ?? true;
  const period = optionalInteger(input, 'Period', `${path}.Period`);
  const expressionText = optionalString(input, 'Expression', `${path}.Expression`);
  const stat = input['MetricStat'];
  const hasStat = stat !== undefined && stat !== null;
  if (hasStat === (expressionText !== undefined)) {
    throw validationError(`${path} (Id ${id}) must have exactly one of MetricStat and Expression.`);
  }
  const query: ParsedQuery = { id, returnData };
  if (label !== undefined) query.label = label;
  if (period !== undefined) query.periodSeconds = period;
  if (hasStat) {
    query.metricStat = parseMetricStat(asStruct(stat, `${path}.MetricStat`), `${path}.MetricStat`);
  } else {
    const text = expressionText as string;
    if (text.length > MAX_EXPRESSION_LENGTH)
      throw validationError(`The expression of ${id} is longer than ${MAX_EXPRESSION_LENGTH} characters.`);
    query.expression = { text, node: parseExpression(text) };
  }
  return query;
}

function checkNoCycles(queries: ParsedQuery[]): void {
  const byId = new Map(queries.map((q) => [q.id, q]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (id: string): void => {
    if (done.has(id)) return;
    if (visiting.has(id))
      throw validationError(`The expressions referring to ${id} form a cycle; remove the loop.`);
    visiting.add(id);
    const q = byId.get(id);
    if (q?.expression) for (const ref of referencedIds(q.expression.node)) visit(ref);
    visiting.delete(id);
    done.add(id);
  };
  for (const q of queries) visit(q.id);
}

/**
 * One query's values for [start, end): StartTime rounded down to the period, EndTime exclusive.
 * `alignMs` (alarm evaluation): round the start down to this instead, so periods longer than it
 * slide — CloudWatch evaluates alarms every minute over the periods ending at that minute.
 */
export function metricStatSeries(
  store: MetricStore,
  q: MetricStatQuery,
  start: number,
  end: number,
  alignMs?: number,
): Series {
  const periodMs = q.periodSeconds * 1000;
  const align = alignMs ?? periodMs;
  const alignedStart = Math.floor(start / align) * align;
  const out: Series = new Map();
  const percentile = q.stat.kind === 'percentile';
  const buckets = store.buckets(
    q.identity,
    alignedStart,
    end,
    periodMs,
    q.unit,
    alignedStart % periodMs,
    percentile,
  );
  for (const [t, agg] of buckets) {
    const v = agg.value(q.stat);
    if (v !== undefined) out.set(t, v);
  }
  return out;
}

/** Every query's series (each computed once, expressions after what they read). */
export function runQueries(
  store: MetricStore,
  queries: ParsedQuery[],
  start: number,
  end: number,
  alignMs?: number,
): Map<string, Series> {
  const byId = new Map(queries.map((q) => [q.id, q]));
  const results = new Map<string, Series>();
  const metricQueries = queries.filter((q) => q.metricStat);
  const fallbackPeriod = metricQueries[0]?.metricStat?.periodSeconds ?? 60;
  /** FILL fills the expression's periods: its own Period, else the first metric's. */
  const environment = (q: ParsedQuery): MathEnvironment => ({
    grid: () => {
      const periodMs = (q.periodSeconds ?? fallbackPeriod) * 1000;
      const align = alignMs ?? periodMs;
      const out: number[] = [];
      for (let t = Math.floor(start / align) * align; t < end; t += periodMs) out.push(t);
      return out;
    },
    metrics: (filter) =>
      metricQueries
        .filter((m) => filter === undefined || defaultLabel(m).includes(filter) || m.id.includes(filter))
        .map((m) => resolve(m.id) as Series),
  });
  const resolve = (id: string): MathValue => {
    const known = results.get(id);
    if (known) return known;
    const q = byId.get(id) as ParsedQuery;
    let series: Series;
    if (q.metricStat) series = metricStatSeries(store, q.metricStat, start, end, alignMs);
    else {
      const value = evaluate((q.expression as { node: MathNode }).node, resolve, environment(q));
      if (typeof value !== 'number' && !(value instanceof Map)) {
        throw validationError(
          `The expression of ${id} (${q.expression?.text}) yields several time series; the sandbox supports expressions that yield one (wrap METRICS() in SUM, AVG, MAX or MIN).`,
        );
      }
      if (typeof value === 'number') {
        throw validationError(
          `The expression of ${id} (${q.expression?.text}) yields a single number; it must use at least one metric.`,
        );
      }
      series = new Map([...value].sort((a, b) => a[0] - b[0]));
    }
    results.set(id, series);
    return series;
  };
  for (const q of queries) resolve(q.id);
  return results;
}

export function defaultLabel(q: ParsedQuery): string {
  return q.label ?? q.metricStat?.identity.name ?? q.id;
}
