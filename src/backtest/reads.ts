/**
 * The backtest's metric reads: every replay's GetMetricData query, in as few calls as CloudWatch's
 * limits allow (GetMetricData: at most 500 queries per call, and one call returns at most 100,800
 * datapoints — a page; more pages follow by NextToken). Replays whose query and range are the same
 * (the old and the new rule of a threshold change, two environments watching the same metrics) are
 * read once: answers are cached per (queries, range) for the run.
 *
 * Packing: queries over the same range share calls; each guard query keeps its own id prefix inside
 * a call, so its series come back under their own ids.
 */
import type { MetricDataRequest } from '../aws/cloudwatch.ts';
import type { MetricSeries } from '../guards/evaluate.ts';
import { type GuardQuery, MAX_QUERIES_PER_CALL, prefixIdentifiers } from '../guards/query.ts';

/** The most datapoints one GetMetricData call returns (its page size). */
export const MAX_DATAPOINTS_PER_CALL = 100_800;

export type MetricDataPages = (
  request: MetricDataRequest,
) => Promise<{ series: MetricSeries[]; calls: number }>;

export interface ReadStats {
  /** GetMetricData calls made (pages included). */
  calls: number;
  /** Guard queries asked for, and how many of them were answered from the run's cache. */
  asked: number;
  cached: number;
  /** Datapoints the answers held. */
  datapoints: number;
}

export class HistoryReader {
  readonly stats: ReadStats = { calls: 0, asked: 0, cached: 0, datapoints: 0 };
  private readonly cache = new Map<string, Promise<MetricSeries[]>>();

  constructor(
    private readonly pages: MetricDataPages,
    private readonly limits = { queries: MAX_QUERIES_PER_CALL, datapoints: MAX_DATAPOINTS_PER_CALL },
  ) {}

  /** Each query's series (ids as the query names them), in the order asked. */
  async readAll(queries: GuardQuery[]): Promise<MetricSeries[][]> {
    const fresh = new Map<string, GuardQuery>();
    for (const q of queries) {
      this.stats.asked += 1;
      const key = cacheKey(q);
      if (this.cache.has(key) || fresh.has(key)) this.stats.cached += 1;
      else fresh.set(key, q);
    }
    const packed = pack([...fresh.values()], this.limits);
    for (const call of packed) {
      const answer = this.send(call);
      call.members.forEach((q, i) => {
        this.cache.set(
          cacheKey(q),
          answer.then((series) => unprefixed(series, prefixOf(i))),
        );
      });
    }
    return Promise.all(queries.map((q) => this.cache.get(cacheKey(q)) as Promise<MetricSeries[]>));
  }

  private async send(call: PackedCall): Promise<MetricSeries[]> {
    const out = await this.pages({
      startTime: call.startTime,
      endTime: call.endTime,
      queries: call.members.flatMap((q, i) => prefixed(q, prefixOf(i))),
      maxDatapoints: this.limits.datapoints,
    });
    this.stats.calls += out.calls;
    this.stats.datapoints += out.series.reduce((n, s) => n + s.values.length, 0);
    return out.series;
  }
}

interface PackedCall {
  startTime: number;
  endTime: number;
  members: GuardQuery[];
}

function cacheKey(q: GuardQuery): string {
  return JSON.stringify([q.startTime, q.endTime, q.queries]);
}

/** Guard queries over the same range, first fit into calls within both limits. */
function pack(queries: GuardQuery[], limits: { queries: number; datapoints: number }): PackedCall[] {
  const calls: Array<PackedCall & { queryCount: number; points: number }> = [];
  for (const q of queries) {
    const points = expectedDatapoints(q);
    const fits = calls.find(
      (c) =>
        c.startTime === q.startTime &&
        c.endTime === q.endTime &&
        c.queryCount + q.queries.length <= limits.queries &&
        c.points + points <= limits.datapoints,
    );
    if (fits) {
      fits.members.push(q);
      fits.queryCount += q.queries.length;
      fits.points += points;
    } else {
      calls.push({
        startTime: q.startTime,
        endTime: q.endTime,
        members: [q],
        queryCount: q.queries.length,
        points,
      });
    }
  }
  return calls;
}

/** At most one datapoint per period for each series the query returns. */
export function expectedDatapoints(q: GuardQuery): number {
  const periods = q.queries.flatMap((m) => (m.MetricStat ? [m.MetricStat.Period] : []));
  const period = Math.max(1, Math.min(...periods, Number.POSITIVE_INFINITY) || 60);
  const perSeries = Math.ceil((q.endTime - q.startTime) / (period * 1000));
  return perSeries * q.queries.filter((m) => m.ReturnData).length;
}

const prefixOf = (i: number) => `b${i}_`;

function prefixed(q: GuardQuery, prefix: string): GuardQuery['queries'] {
  const ids = new Set(q.queries.map((m) => m.Id));
  return q.queries.map((m) => ({
    ...m,
    Id: prefix + m.Id,
    ...(m.Expression !== undefined ? { Expression: prefixIdentifiers(m.Expression, ids, prefix) } : {}),
  }));
}

function unprefixed(series: MetricSeries[], prefix: string): MetricSeries[] {
  return series.filter((s) => s.id.startsWith(prefix)).map((s) => ({ ...s, id: s.id.slice(prefix.length) }));
}
