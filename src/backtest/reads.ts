/**
 * The backtest's metric reads: every replay's GetMetricData query, in as few calls as CloudWatch's
 * limits allow (GetMetricData: at most 500 queries per call, and one call returns at most 100,800
 * datapoints — a page; more pages follow by NextToken). Replays whose query and range are the same
 * (the old and the new rule of a threshold change, two environments watching the same metrics) are
 * read once: answers are cached per (queries, range) for the run.
 *
 * Packing: queries over the same range share calls. Inside a call, a metric that several guards
 * read (every guard's `requests`, say) is one MetricStat query, returned once, that each guard's
 * expression names; each guard's expressions keep their own id prefix. So a call returns each
 * metric's datapoints once however many guards gate on it, and the answer is split back into each
 * guard's series under the ids its query gave them.
 */
import type { MetricDataRequest } from '../aws/cloudwatch.ts';
import type { MetricSeries } from '../guards/evaluate.ts';
import {
  type GuardQuery,
  MAX_QUERIES_PER_CALL,
  type MetricDataQuery,
  rewriteIdentifiers,
} from '../guards/query.ts';

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
    for (const call of pack([...fresh.values()], this.limits)) {
      const answer = this.send(call);
      call.members.forEach((q, i) => {
        this.cache.set(
          cacheKey(q),
          answer.then((series) => call.split(series, i)),
        );
      });
    }
    return Promise.all(queries.map((q) => this.cache.get(cacheKey(q)) as Promise<MetricSeries[]>));
  }

  private async send(call: CallBuilder): Promise<Map<string, MetricSeries>> {
    const out = await this.pages({
      startTime: call.startTime,
      endTime: call.endTime,
      queries: call.queries,
      maxDatapoints: this.limits.datapoints,
    });
    this.stats.calls += out.calls;
    this.stats.datapoints += out.series.reduce((n, s) => n + s.values.length, 0);
    return new Map(out.series.map((s) => [s.id, s]));
  }
}

function cacheKey(q: GuardQuery): string {
  return JSON.stringify([q.startTime, q.endTime, q.queries]);
}

/** Guard queries over the same range, first fit into calls within both limits. */
function pack(queries: GuardQuery[], limits: { queries: number; datapoints: number }): CallBuilder[] {
  const calls: CallBuilder[] = [];
  for (const q of queries) {
    const fits = calls.find((c) => c.accepts(q, limits));
    if (fits) fits.add(q);
    else {
      const call = new CallBuilder(q.startTime, q.endTime);
      call.add(q);
      calls.push(call);
    }
  }
  return calls;
}

/**
 * One GetMetricData call being filled: its queries on the wire, and for each member guard query
 * the wire id of each of its own ids (a shared metric's, or its expression's prefixed one).
 */
class CallBuilder {
  readonly members: GuardQuery[] = [];
  readonly queries: MetricDataQuery[] = [];
  /** Datapoints the call returns at most: one per period of each returned query. */
  private points = 0;
  /** A metric's MetricStat (as JSON) to the id of the one query that reads it in this call. */
  private readonly shared = new Map<string, string>();
  private readonly wireIds: Array<Map<string, string>> = [];

  constructor(
    readonly startTime: number,
    readonly endTime: number,
  ) {}

  accepts(q: GuardQuery, limits: { queries: number; datapoints: number }): boolean {
    if (q.startTime !== this.startTime || q.endTime !== this.endTime) return false;
    const added = q.queries.filter((m) => !(m.MetricStat && this.shared.has(statKey(m))));
    const points = added.filter((m) => m.ReturnData).length * periodsOf(q);
    return this.queries.length + added.length <= limits.queries && this.points + points <= limits.datapoints;
  }

  add(q: GuardQuery): void {
    const index = this.members.length;
    const prefix = `b${index}_`;
    const wire = new Map<string, string>();
    for (const m of q.queries) {
      if (!m.MetricStat) {
        wire.set(m.Id, prefix + m.Id);
        continue;
      }
      const key = statKey(m);
      let id = this.shared.get(key);
      if (id === undefined) {
        id = `m${this.shared.size}`;
        this.shared.set(key, id);
        this.queries.push({ ...m, Id: id });
        if (m.ReturnData) this.points += periodsOf(q);
      } else if (m.ReturnData) this.returnShared(id, q);
      wire.set(m.Id, id);
    }
    for (const m of q.queries) {
      if (m.Expression === undefined) continue;
      this.queries.push({
        ...m,
        Id: wire.get(m.Id) as string,
        Expression: rewriteIdentifiers(m.Expression, (id) => wire.get(id)),
      });
      if (m.ReturnData) this.points += periodsOf(q);
    }
    this.members.push(q);
    this.wireIds.push(wire);
  }

  /** Member `index`'s series under its own ids, from the call's answer. */
  split(answer: Map<string, MetricSeries>, index: number): MetricSeries[] {
    const member = this.members[index] as GuardQuery;
    const wire = this.wireIds[index] as Map<string, string>;
    return member.queries.flatMap((m) => {
      const s = m.ReturnData ? answer.get(wire.get(m.Id) as string) : undefined;
      return s ? [{ id: m.Id, timestamps: s.timestamps, values: s.values }] : [];
    });
  }

  /** A shared metric that one member left unreturned and another needs returned. */
  private returnShared(id: string, q: GuardQuery): void {
    const query = this.queries.find((m) => m.Id === id);
    if (query && !query.ReturnData) {
      query.ReturnData = true;
      this.points += periodsOf(q);
    }
  }
}

/** Two MetricStat queries read the same datapoints when metric, period and statistic agree. */
function statKey(m: MetricDataQuery): string {
  return JSON.stringify(m.MetricStat);
}

/** At most one datapoint per period for each series a query returns, on its shortest period. */
function periodsOf(q: GuardQuery): number {
  const periods = q.queries.flatMap((m) => (m.MetricStat ? [m.MetricStat.Period] : []));
  const period = Math.max(1, Math.min(...periods, Number.POSITIVE_INFINITY) || 60);
  return Math.ceil((q.endTime - q.startTime) / (period * 1000));
}
