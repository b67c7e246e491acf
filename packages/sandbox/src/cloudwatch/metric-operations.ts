/** PutMetricData, GetMetricData and ListMetrics: the metric half of the CloudWatch API. */
import { createHash } from 'node:crypto';
import type { MetricIdentity, MetricStore, Sample } from './metric-store.ts';
import { paginate } from './pagination.ts';
import {
  asStruct,
  type Input,
  invalidCombination,
  invalidNextToken,
  invalidParameter,
  missingParameter,
  optionalEnum,
  optionalInteger,
  optionalList,
  optionalNumber,
  optionalString,
  optionalStruct,
  optionalTimestamp,
  requiredNumber,
  requiredString,
  requiredTimestamp,
  toWireTime,
  validationError,
} from './protocol.ts';
import { defaultLabel, dimensionsToWire, parseDimensions, parseQueries, runQueries } from './queries.ts';

const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;
const TWO_HOURS_MS = 2 * 3600 * 1000;
const MAX_VALUE = 2 ** 360;
const MAX_METRIC_DATA = 1000;
const MAX_VALUES_PER_DATUM = 150;

export const STANDARD_UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;

export function putMetricData(input: Input, store: MetricStore, now: number): Record<string, never> {
  const namespace = requiredString(input, 'Namespace');
  checkNamespace(namespace);
  const data: Array<{ datum: unknown; path: string }> = [];
  (optionalList(input, 'MetricData') ?? []).forEach((datum, i) => {
    data.push({ datum, path: `MetricData.member.${i + 1}` });
  });
  (optionalList(input, 'EntityMetricData') ?? []).forEach((entry, i) => {
    const path = `EntityMetricData.member.${i + 1}`;
    (optionalList(asStruct(entry, path), 'MetricData', `${path}.MetricData`) ?? []).forEach((datum, j) => {
      data.push({ datum, path: `${path}.MetricData.member.${j + 1}` });
    });
  });
  if (data.length === 0) throw missingParameter('MetricData');
  if (data.length > MAX_METRIC_DATA) {
    throw invalidParameter(
      `The request holds ${data.length} metric data; at most ${MAX_METRIC_DATA} are allowed.`,
    );
  }
  // Validate everything first so a bad datum stores nothing, as on CloudWatch.
  const parsed = data.map(({ datum, path }) => parseDatum(asStruct(datum, path), path, namespace, now));
  for (const { identity, sample } of parsed) store.put(identity, sample);
  return {};
}

function checkNamespace(namespace: string): void {
  if (namespace.length > 255) throw invalidParameter('Namespace is longer than 255 characters.');
  if (namespace.startsWith('AWS/')) {
    throw invalidParameter(
      `The value ${namespace} for parameter Namespace is invalid: namespaces starting with AWS/ are reserved.`,
    );
  }
}

function parseDatum(
  d: Input,
  path: string,
  namespace: string,
  now: number,
): { identity: MetricIdentity; sample: Sample } {
  const name = requiredString(d, 'MetricName', `${path}.MetricName`);
  const dimensions = parseDimensions(
    optionalList(d, 'Dimensions', `${path}.Dimensions`),
    `${path}.Dimensions`,
  );
  const timestamp = optionalTimestamp(d, 'Timestamp', `${path}.Timestamp`) ?? now;
  if (timestamp < now - TWO_WEEKS_MS || timestamp > now + TWO_HOURS_MS) {
    throw invalidParameter(
      `The value ${new Date(timestamp).toISOString()} for parameter ${path}.Timestamp is invalid: it must be within the last two weeks and at most two hours ahead.`,
    );
  }
  const unit = optionalEnum(d, 'Unit', STANDARD_UNITS, `${path}.Unit`) ?? 'None';
  const resolution = optionalInteger(d, 'StorageResolution', `${path}.StorageResolution`);
  if (resolution !== undefined && resolution !== 1 && resolution !== 60) {
    throw invalidParameter(
      `The value ${resolution} for parameter ${path}.StorageResolution is invalid; use 1 or 60.`,
    );
  }
  const value = optionalNumber(d, 'Value', `${path}.Value`);
  const stats = optionalStruct(d, 'StatisticValues', `${path}.StatisticValues`);
  const values = optionalList(d, 'Values', `${path}.Values`);
  const counts = optionalList(d, 'Counts', `${path}.Counts`);
  const given = [value !== undefined && 'Value', stats && 'StatisticValues', values && 'Values'].filter(
    Boolean,
  );
  if (given.length > 1) {
    throw invalidCombination(
      `${path} may have only one of Value, StatisticValues and Values; it has ${given.join(' and ')}.`,
    );
  }
  if (given.length === 0) throw missingParameter(`${path}.Value (or StatisticValues or Values)`);
  if (counts && !values) throw invalidCombination(`${path}.Counts needs ${path}.Values.`);

  const identity = { namespace, name, dimensions };
  if (value !== undefined) {
    checkMagnitude(value, `${path}.Value`);
    return {
      identity,
      sample: { t: timestamp, unit, count: 1, sum: value, min: value, max: value, values: [value] },
    };
  }
  if (stats) {
    const p = `${path}.StatisticValues`;
    const count = requiredNumber(stats, 'SampleCount', `${p}.SampleCount`);
    const sum = requiredNumber(stats, 'Sum', `${p}.Sum`);
    const min = requiredNumber(stats, 'Minimum', `${p}.Minimum`);
    const max = requiredNumber(stats, 'Maximum', `${p}.Maximum`);
    if (count <= 0) throw invalidParameter(`${p}.SampleCount must be greater than 0.`);
    if (min > max) throw invalidParameter(`${p}.Minimum (${min}) is greater than ${p}.Maximum (${max}).`);
    for (const [v, n] of [
      [sum, 'Sum'],
      [min, 'Minimum'],
      [max, 'Maximum'],
    ] as const)
      checkMagnitude(v, `${p}.${n}`);
    return { identity, sample: { t: timestamp, unit, count, sum, min, max } };
  }
  return { identity, sample: valuesSample(values as unknown[], counts, path, timestamp, unit) };
}

function valuesSample(
  values: unknown[],
  counts: unknown[] | undefined,
  path: string,
  t: number,
  unit: string,
): Sample {
  if (values.length === 0) throw missingParameter(`${path}.Values`);
  if (values.length > MAX_VALUES_PER_DATUM) {
    throw invalidParameter(
      `${path}.Values has ${values.length} values; at most ${MAX_VALUES_PER_DATUM} are allowed.`,
    );
  }
  if (counts && counts.length !== values.length) {
    throw invalidParameter(
      `${path}.Counts has ${counts.length} entries but ${path}.Values has ${values.length}; give one count per value.`,
    );
  }
  const vs: number[] = [];
  const cs: number[] = [];
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  values.forEach((raw, i) => {
    const v = optionalNumber({ v: raw }, 'v', `${path}.Values.member.${i + 1}`) as number;
    checkMagnitude(v, `${path}.Values.member.${i + 1}`);
    const c = counts
      ? (optionalNumber({ c: counts[i] }, 'c', `${path}.Counts.member.${i + 1}`) as number)
      : 1;
    if (c < 0) throw invalidParameter(`${path}.Counts.member.${i + 1} must not be negative.`);
    if (c === 0) return;
    vs.push(v);
    cs.push(c);
    count += c;
    sum += v * c;
    if (v < min) min = v;
    if (v > max) max = v;
  });
  if (count === 0) throw invalidParameter(`${path}.Counts are all zero; at least one value must be counted.`);
  return { t, unit, count, sum, min, max, values: vs, counts: cs };
}

function checkMagnitude(v: number, path: string): void {
  if (Math.abs(v) > MAX_VALUE || (v !== 0 && Math.abs(v) < 2 ** -260)) {
    throw invalidParameter(`The value ${v} for parameter ${path} is out of range (±2^360, or 0).`);
  }
}

export function getMetricData(input: Input, store: MetricStore): Record<string, unknown> {
  const list = optionalList(input, 'MetricDataQueries');
  if (list === undefined) throw missingParameter('MetricDataQueries');
  const queries = parseQueries(list, 'MetricDataQueries');
  const start = requiredTimestamp(input, 'StartTime');
  const end = requiredTimestamp(input, 'EndTime');
  if (start >= end)
    throw validationError('The parameter StartTime must be earlier than the parameter EndTime.');
  const ascending =
    optionalEnum(input, 'ScanBy', ['TimestampDescending', 'TimestampAscending'] as const) ===
    'TimestampAscending';
  const maxDatapoints = optionalInteger(input, 'MaxDatapoints') ?? DEFAULT_MAX_DATAPOINTS;
  if (maxDatapoints < 1) throw invalidParameter('MaxDatapoints must be at least 1.');
  const token = optionalString(input, 'NextToken');
  const fingerprint = requestFingerprint(input, start, end);

  const series = runQueries(store, queries, start, end);
  const returned = queries.filter((q) => q.returnData);
  const offsets =
    token === undefined ? returned.map(() => 0) : decodeDataToken(token, fingerprint, returned.length);
  // One page holds at most MaxDatapoints values across all results, filled in query order.
  let budget = maxDatapoints;
  const next: number[] = [];
  const results = returned.map((q, i) => {
    const points = series.get(q.id) ?? new Map<number, number>();
    const from = Math.min(offsets[i] as number, points.size);
    const take = Math.min(budget, points.size - from);
    budget -= take;
    next.push(from + take);
    const { timestamps, values } = pageOf(points, ascending, from, take);
    return {
      Id: q.id,
      Label: defaultLabel(q),
      Timestamps: timestamps,
      Values: values,
      StatusCode: from + take < points.size ? 'PartialData' : 'Complete',
      Messages: [],
    };
  });
  const more = results.some((r) => r.StatusCode === 'PartialData');
  return {
    MetricDataResults: results,
    Messages: [],
    ...(more ? { NextToken: encodeDataToken(fingerprint, next) } : {}),
  };
}

/**
 * `take` points from position `from` of a time-ordered series, read ascending or descending, as
 * the wire's two parallel lists (built directly: a 14-day page is 100,800 points).
 */
function pageOf(
  points: Map<number, number>,
  ascending: boolean,
  from: number,
  take: number,
): { timestamps: number[]; values: number[] } {
  const timestamps = new Array<number>(take);
  const values = new Array<number>(take);
  if (take === 0) return { timestamps, values };
  const size = points.size;
  // Position k in the requested order is index k (ascending) or size - 1 - k (descending).
  const first = ascending ? from : size - from - take;
  let index = 0;
  for (const [t, v] of points) {
    if (index >= first + take) break;
    if (index >= first) {
      const k = ascending ? index - first : first + take - 1 - index;
      timestamps[k] = toWireTime(t);
      values[k] = v;
    }
    index += 1;
  }
  return { timestamps, values };
}

/** MaxDatapoints when a request gives none. */
const DEFAULT_MAX_DATAPOINTS = 100_800;

/**
 * A NextToken belongs to one request: the same queries, times, order and page size. Anything else
 * is InvalidNextToken, as CloudWatch answers a token reused with other parameters.
 */
function requestFingerprint(input: Input, start: number, end: number): string {
  const canonical = JSON.stringify([
    sortedKeys(input['MetricDataQueries']),
    start,
    end,
    input['ScanBy'] ?? null,
    input['MaxDatapoints'] ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

/** The same value with object keys in order, so either protocol's decoding fingerprints alike. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]),
  );
}

function encodeDataToken(fingerprint: string, offsets: number[]): string {
  return Buffer.from(JSON.stringify({ op: 'GetMetricData', fp: fingerprint, offsets })).toString('base64url');
}

function decodeDataToken(token: string, fingerprint: string, count: number): number[] {
  let data: { op?: unknown; fp?: unknown; offsets?: unknown };
  try {
    data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof data;
  } catch {
    throw invalidNextToken();
  }
  const offsets = data.offsets;
  if (
    data.op !== 'GetMetricData' ||
    data.fp !== fingerprint ||
    !Array.isArray(offsets) ||
    offsets.length !== count ||
    !offsets.every((o) => Number.isInteger(o) && o >= 0)
  )
    throw invalidNextToken();
  return offsets as number[];
}

export function listMetrics(input: Input, store: MetricStore): Record<string, unknown> {
  const namespace = optionalString(input, 'Namespace');
  const name = optionalString(input, 'MetricName');
  const filters = (optionalList(input, 'Dimensions') ?? []).map((f, i) => {
    const s = asStruct(f, `Dimensions.member.${i + 1}`);
    return {
      name: requiredString(s, 'Name', `Dimensions.member.${i + 1}.Name`),
      value: optionalString(s, 'Value', `Dimensions.member.${i + 1}.Value`),
    };
  });
  const matching = store
    .identities()
    .filter(
      (m) =>
        (namespace === undefined || m.namespace === namespace) &&
        (name === undefined || m.name === name) &&
        filters.every(
          (f) => f.name in m.dimensions && (f.value === undefined || m.dimensions[f.name] === f.value),
        ),
    )
    .map((m) => ({ Namespace: m.namespace, MetricName: m.name, Dimensions: dimensionsToWire(m.dimensions) }));
  const { page, nextToken } = paginate(matching, 'ListMetrics', 500, optionalString(input, 'NextToken'));
  return { Metrics: page, ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
}
