/**
 * The stored datapoints, one time-ordered series per metric identity (namespace, name and the exact
 * set of dimensions: CloudWatch treats every dimension combination as its own metric). Lookups are
 * a map access plus a binary search, so a GetMetricData stays cheap however many metrics exist.
 */
import { Aggregate } from './statistics.ts';

export interface MetricIdentity {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/** One PutMetricData datum (or several at the same second) as stored. */
export interface Sample {
  /** Epoch ms. */
  t: number;
  unit?: string | undefined;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Raw values (with `counts` as their repeat counts); absent for a StatisticSet. */
  values?: number[] | undefined;
  counts?: number[] | undefined;
}

interface Series {
  identity: MetricIdentity;
  samples: Sample[];
}

export function metricKey(identity: MetricIdentity): string {
  const dims = Object.keys(identity.dimensions)
    .sort()
    .map((k) => `${k}=${identity.dimensions[k]}`)
    .join('\u0001');
  return `${identity.namespace}\u0000${identity.name}\u0000${dims}`;
}

export class MetricStore {
  private series = new Map<string, Series>();

  /** Timestamps are kept to the second, CloudWatch's finest resolution. */
  put(identity: MetricIdentity, sample: Sample): void {
    sample.t = Math.floor(sample.t / 1000) * 1000;
    const key = metricKey(identity);
    let series = this.series.get(key);
    if (!series) {
      series = { identity: { ...identity, dimensions: { ...identity.dimensions } }, samples: [] };
      this.series.set(key, series);
    }
    insertSorted(series.samples, sample);
  }

  /**
   * Aggregates per period start for samples in [start, end), optionally only those with `unit`,
   * in ascending order of period start (the samples are kept sorted).
   */
  buckets(
    identity: MetricIdentity,
    start: number,
    end: number,
    periodMs: number,
    unit?: string,
    /** Buckets start at `origin + k × periodMs` (default: multiples of the period). */
    origin = 0,
    /** False when no percentile is asked for: the aggregates keep only their totals. */
    keepValues = true,
  ): Map<number, Aggregate> {
    const out = new Map<number, Aggregate>();
    const samples = this.series.get(metricKey(identity))?.samples;
    if (!samples) return out;
    for (let i = firstIndexAtOrAfter(samples, start); i < samples.length; i++) {
      const s = samples[i] as Sample;
      if (s.t >= end) break;
      if (unit !== undefined && s.unit !== undefined && s.unit !== unit) continue;
      const bucket = origin + Math.floor((s.t - origin) / periodMs) * periodMs;
      let agg = out.get(bucket);
      if (!agg) {
        agg = new Aggregate(keepValues);
        out.set(bucket, agg);
      }
      agg.add(s);
    }
    return out;
  }

  /** The units a metric's datapoints in [start, end) were published with. */
  units(identity: MetricIdentity, start: number, end: number): string[] {
    const samples = this.series.get(metricKey(identity))?.samples ?? [];
    const seen = new Set<string>();
    for (let i = firstIndexAtOrAfter(samples, start); i < samples.length; i++) {
      const s = samples[i] as Sample;
      if (s.t >= end) break;
      seen.add(s.unit ?? 'None');
    }
    return [...seen].sort();
  }

  /** Forget datapoints older than `before` (epoch ms) so memory stays bounded. */
  prune(before: number): void {
    for (const [key, series] of this.series) {
      const keep = firstIndexAtOrAfter(series.samples, before);
      if (keep > 0) series.samples.splice(0, keep);
      if (series.samples.length === 0) this.series.delete(key);
    }
  }

  identities(): MetricIdentity[] {
    return [...this.series.values()].map((s) => s.identity);
  }

  clear(): void {
    this.series.clear();
  }

  dump(): Array<{ identity: MetricIdentity; samples: Sample[] }> {
    return [...this.series.values()];
  }

  load(data: Array<{ identity: MetricIdentity; samples: Sample[] }>): void {
    this.series.clear();
    for (const s of data) {
      const samples = [...s.samples].sort((a, b) => a.t - b.t);
      this.series.set(metricKey(s.identity), { identity: s.identity, samples });
    }
  }
}

/** Samples arrive nearly in order; one at the same second and unit as a stored one merges into it. */
function insertSorted(samples: Sample[], sample: Sample): void {
  const last = samples[samples.length - 1];
  if (!last || last.t <= sample.t) {
    if (last && sameSecond(last, sample)) merge(last, sample);
    else samples.push(sample);
    return;
  }
  const at = firstIndexAtOrAfter(samples, sample.t + 1);
  const before = samples[at - 1];
  if (before && sameSecond(before, sample)) merge(before, sample);
  else samples.splice(at, 0, sample);
}

function sameSecond(a: Sample, b: Sample): boolean {
  return a.t === b.t && a.unit === b.unit;
}

function merge(into: Sample, from: Sample): void {
  into.count += from.count;
  into.sum += from.sum;
  into.min = Math.min(into.min, from.min);
  into.max = Math.max(into.max, from.max);
  if (into.values && from.values) {
    into.values.push(...from.values);
    if (into.counts || from.counts) {
      into.counts = [
        ...(into.counts ?? new Array<number>(into.values.length - from.values.length).fill(1)),
        ...(from.counts ?? new Array<number>(from.values.length).fill(1)),
      ];
    }
  } else {
    into.values = undefined;
    into.counts = undefined;
  }
}

function firstIndexAtOrAfter(samples: Sample[], t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((samples[mid] as Sample).t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
