/**
 * Statistics over the samples of one period: CloudWatch's Sum, Average, Minimum, Maximum,
 * SampleCount and percentiles (pNN, pNN.NN). Percentiles need the raw values, so a period that
 * holds a pre-aggregated StatisticSet has no percentile, as on CloudWatch.
 */
import { invalidParameter } from './protocol.ts';

export type Statistic =
  | { kind: 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'SampleCount' }
  | { kind: 'percentile'; percent: number };

const SIMPLE = ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'] as const;
const PERCENTILE = /^p(\d{1,2}(\.\d{1,10})?|100)$/;

export function parseStatistic(text: string, path = 'Stat'): Statistic {
  if ((SIMPLE as readonly string[]).includes(text)) return { kind: text as (typeof SIMPLE)[number] };
  if (PERCENTILE.test(text)) return { kind: 'percentile', percent: Number(text.slice(1)) };
  throw invalidParameter(
    `The value ${text} for parameter ${path} is not supported; use Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99.`,
  );
}

export function statisticName(stat: Statistic): string {
  return stat.kind === 'percentile' ? `p${stat.percent}` : stat.kind;
}

/** What one period's samples add up to. `values` is dropped once a StatisticSet joins. */
export class Aggregate {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /**
   * Raw values with their repeat counts, or undefined when some data came pre-aggregated or no
   * percentile was asked for (`keepValues` false: Sum, Average and the rest need only the totals,
   * and a 14-day read would otherwise copy every value it sums).
   */
  values: Array<[value: number, count: number]> | undefined;

  constructor(keepValues = true) {
    this.values = keepValues ? [] : undefined;
  }

  add(sample: {
    count: number;
    sum: number;
    min: number;
    max: number;
    values?: number[] | undefined;
    counts?: number[] | undefined;
  }): void {
    this.count += sample.count;
    this.sum += sample.sum;
    if (sample.min < this.min) this.min = sample.min;
    if (sample.max > this.max) this.max = sample.max;
    if (this.values === undefined) return;
    if (sample.values === undefined) {
      this.values = undefined;
      return;
    }
    for (let i = 0; i < sample.values.length; i++) {
      this.values.push([sample.values[i] as number, sample.counts?.[i] ?? 1]);
    }
  }

  /** The statistic's value, or undefined when this period cannot produce it. */
  value(stat: Statistic): number | undefined {
    if (this.count <= 0) return undefined;
    switch (stat.kind) {
      case 'Sum':
        return this.sum;
      case 'Average':
        return this.sum / this.count;
      case 'Minimum':
        return this.min;
      case 'Maximum':
        return this.max;
      case 'SampleCount':
        return this.count;
      case 'percentile':
        return this.values === undefined ? undefined : percentile(this.values, stat.percent);
    }
  }
}

/** Nearest-rank percentile over weighted values: the smallest value with ≥ percent % at or below it. */
export function percentile(weighted: Array<[number, number]>, percent: number): number | undefined {
  if (weighted.length === 0) return undefined;
  const sorted = [...weighted].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  if (total <= 0) return undefined;
  const rank = Math.max(1, Math.ceil((percent / 100) * total));
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted[sorted.length - 1]?.[0];
}
