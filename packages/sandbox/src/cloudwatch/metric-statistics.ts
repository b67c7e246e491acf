/**
 * GetMetricStatistics, the call the migration guide's "Monitor traffic distribution" runs, with the
 * rules of https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html:
 * up to 5 Statistics or 10 ExtendedStatistics (not both), a period of 1, 5, 10, 30 or a multiple of
 * 60 seconds, StartTime rounded down by its age, EndTime exclusive, at most 1,440 datapoints per
 * call, and one datapoint per period and unit (a Unit narrows to data published with it).
 */

import { STANDARD_UNITS } from './metric-operations.ts';
import type { MetricStore } from './metric-store.ts';
import {
  type Input,
  invalidCombination,
  invalidParameter,
  missingParameter,
  optionalEnum,
  optionalList,
  requiredString,
  requiredTimestamp,
  toWireTime,
} from './protocol.ts';
import { parseDimensions } from './queries.ts';
import { parseStatistic, type Statistic } from './statistics.ts';

const SIMPLE_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
const MAX_STATISTICS = 5;
const MAX_EXTENDED = 10;
export const MAX_DATAPOINTS = 1440;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function getMetricStatistics(input: Input, store: MetricStore, now: number): Record<string, unknown> {
  const namespace = requiredString(input, 'Namespace');
  const name = requiredString(input, 'MetricName');
  const dimensions = parseDimensions(optionalList(input, 'Dimensions'), 'Dimensions');
  const requestedStart = requiredTimestamp(input, 'StartTime');
  const end = requiredTimestamp(input, 'EndTime');
  const period = input['Period'];
  if (period === undefined || period === null) throw missingParameter('Period');
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1)
    throw invalidParameter(`The value ${String(period)} for parameter Period must be a positive integer.`);
  if (!([1, 5, 10, 30].includes(period) || period % 60 === 0))
    throw invalidParameter(
      `The parameter Period must be 1, 5, 10, 30 or a multiple of 60 seconds, not ${period}.`,
    );
  const statistics = statisticList(input, 'Statistics', MAX_STATISTICS, (s, path) => {
    if (!(SIMPLE_STATISTICS as readonly string[]).includes(s))
      throw invalidParameter(
        `The value ${s} for parameter ${path} is invalid; use one of ${SIMPLE_STATISTICS.join(', ')}.`,
      );
    return parseStatistic(s, path);
  });
  const extended = statisticList(input, 'ExtendedStatistics', MAX_EXTENDED, (s, path) => {
    const stat = parseStatisticOrUndefined(s);
    if (stat?.kind !== 'percentile')
      throw invalidParameter(
        `The value ${s} for parameter ${path} is invalid; use a percentile from p0.0 to p100 such as p95 or p99.9.`,
      );
    return stat;
  });
  if (statistics.length === 0 && extended.length === 0)
    throw missingParameter('Statistics or ExtendedStatistics');
  if (statistics.length > 0 && extended.length > 0)
    throw invalidCombination(
      'Specify either Statistics or ExtendedStatistics, not both; make one call for each.',
    );
  const unit = optionalEnum(input, 'Unit', STANDARD_UNITS);
  if (requestedStart >= end)
    throw invalidParameter('The parameter StartTime must be less than the parameter EndTime.');

  const start = roundStart(requestedStart, now);
  const periodMs = period * 1000;
  const alignedStart = Math.floor(start / periodMs) * periodMs;
  const requested = Math.ceil((end - alignedStart) / periodMs);
  if (requested > MAX_DATAPOINTS)
    throw invalidCombination(
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. ` +
        'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
    );
  // High-resolution periods cover only the last 3 hours; older data has been rolled up.
  const datapoints: Array<Record<string, unknown>> = [];
  if (period < 60 && requestedStart < now - 3 * HOUR) return { Label: name, Datapoints: datapoints };

  const identity = { namespace, name, dimensions };
  const units = unit !== undefined ? [unit] : store.units(identity, alignedStart, end);
  for (const u of units) {
    for (const [t, agg] of store.buckets(identity, alignedStart, end, periodMs, u)) {
      const point: Record<string, unknown> = { Timestamp: toWireTime(t), Unit: u };
      for (const [text, stat] of statistics) {
        const v = agg.value(stat);
        if (v !== undefined) point[text] = v;
      }
      if (extended.length > 0) {
        const values: Record<string, number> = {};
        for (const [text, stat] of extended) {
          const v = agg.value(stat);
          if (v !== undefined) values[text] = v;
        }
        point['ExtendedStatistics'] = values;
      }
      datapoints.push(point);
    }
  }
  datapoints.sort((a, b) => (a['Timestamp'] as number) - (b['Timestamp'] as number));
  return { Label: name, Datapoints: datapoints };
}

function statisticList(
  input: Input,
  name: string,
  max: number,
  parse: (text: string, path: string) => Statistic,
): Array<[string, Statistic]> {
  const list = optionalList(input, name) ?? [];
  if (list.length > max)
    throw invalidParameter(`${name} has ${list.length} entries; at most ${max} are allowed.`);
  const seen = new Set<string>();
  return list.map((s, i) => {
    const path = `${name}.member.${i + 1}`;
    if (typeof s !== 'string' || s === '') throw invalidParameter(`${path} must be a statistic name.`);
    if (seen.has(s)) throw invalidParameter(`${name} names ${s} twice; list each statistic once.`);
    seen.add(s);
    return [s, parse(s, path)];
  });
}

function parseStatisticOrUndefined(text: string): Statistic | undefined {
  try {
    return parseStatistic(text);
  } catch {
    return undefined;
  }
}

/** Less than 15 days old: to the minute; 15–63 days: to 5 minutes; older: to the hour. */
function roundStart(start: number, now: number): number {
  const age = now - start;
  const unit = age < 15 * DAY ? MINUTE : age <= 63 * DAY ? 5 * MINUTE : HOUR;
  return Math.floor(start / unit) * unit;
}
