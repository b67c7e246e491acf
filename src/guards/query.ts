/**
 * One GetMetricData request for every guard of a target. Each guard's metrics become MetricStat
 * queries; the guard's `value` becomes one metric-math Expression over them, with `FILL(metric, n)`
 * wherever a metric declares a fill (a count published only when non-zero). Query ids are prefixed
 * per guard (`g0_errors`), so two guards may both call a metric `requests`. Every metric is returned
 * as well, unfilled, so the gate can be checked period by period and a period whose data has not
 * arrived yet (any of its metrics) is told apart from one with zero traffic or zero errors. Window
 * guards ("N per M minutes") are read per minute and summed over their window by the evaluator.
 *
 * Pure: takes guard definitions and a time window, returns the request and a plan for reading the
 * answer. The shapes mirror the CloudWatch API's members so the adapter passes them through.
 */

import { Failure } from '../core/failure.ts';
import type { GuardDefinition } from '../model/types.ts';

export interface MetricDataQuery {
  Id: string;
  Expression?: string;
  MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: string }> };
    Period: number;
    Stat: string;
  };
  Label?: string;
  ReturnData: boolean;
}

export interface GuardQueryPlan {
  guard: GuardDefinition;
  /** Id of the Expression whose values are the guard's value per period. */
  valueId: string;
  /** Id of the returned minimum-sample metric, when the guard has a gate. */
  samplesId?: string;
  /**
   * Every metric of the guard (its id in `guard.metrics`) to the id of its returned series, so a
   * period is judged only once each of them has arrived (or, for a metric that publishes nothing
   * when zero, once its ingestion allowance has passed).
   */
  metricIds?: Record<string, string>;
}

export interface GuardQuery {
  /** Epoch ms, aligned so every guard's periods start on it. Inclusive. */
  startTime: number;
  /** Epoch ms, exclusive. */
  endTime: number;
  queries: MetricDataQuery[];
  plans: GuardQueryPlan[];
}

/** CloudWatch allows at most this many queries in one GetMetricData call. */
export const MAX_QUERIES_PER_CALL = 500;

/**
 * @param from when watching began (usually the deployment's start); periods ending before it are
 *   not fetched.
 * @param now the current instant on the same clock as the metrics.
 */
export function buildGuardQuery(
  guards: GuardDefinition[],
  window: { from: number; now: number },
): GuardQuery {
  const queries: MetricDataQuery[] = [];
  const plans: GuardQueryPlan[] = [];
  guards.forEach((guard, index) => {
    const prefix = `g${index}_`;
    const metricIds: Record<string, string> = {};
    for (const [metricId, metric] of Object.entries(guard.metrics)) {
      metricIds[metricId] = prefix + metricId;
      queries.push({
        Id: prefix + metricId,
        MetricStat: {
          Metric: {
            Namespace: metric.namespace,
            MetricName: metric.name,
            Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: guard.periodSeconds,
          Stat: metric.stat,
        },
        // Returned (unfilled) so the evaluator can tell a late datapoint from an absent one.
        ReturnData: true,
      });
    }
    const valueId = `${prefix}value`;
    queries.push({
      Id: valueId,
      Expression: guardExpression(guard, (id) => prefix + id),
      Label: guard.name,
      ReturnData: true,
    });
    plans.push({
      guard,
      valueId,
      ...(guard.minSamples ? { samplesId: prefix + guard.minSamples.metric } : {}),
      metricIds,
    });
  });
  if (queries.length > MAX_QUERIES_PER_CALL) {
    throw new Failure(
      `the guards of one target need ${queries.length} metric queries; CloudWatch allows ${MAX_QUERIES_PER_CALL} per call — split the guards across fewer metrics`,
    );
  }
  const align = alignmentMs(guards);
  // A sliding window judged at the first minute after `from` reaches back over its other minutes.
  const lookBackMs = Math.max(0, ...guards.map((g) => ((g.windowMinutes ?? 1) - 1) * 60_000));
  return {
    startTime: Math.floor((window.from - lookBackMs) / align) * align,
    endTime: Math.max(window.now, window.from + 1),
    queries,
    plans,
  };
}

/**
 * The start must fall on a period boundary of every guard, so each guard's datapoints line up with
 * whole periods: the least common multiple of the periods (one day at most).
 */
function alignmentMs(guards: GuardDefinition[]): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let lcm = 60;
  for (const g of guards) {
    const p = Math.max(1, Math.round(g.periodSeconds));
    lcm = (lcm * p) / gcd(lcm, p);
    if (lcm > 86_400) return 86_400_000;
  }
  return lcm * 1000;
}

/**
 * The guard's value as metric math, metric ids renamed by `name` and wrapped in FILL where the
 * metric declares a fill: what flagops reads and what the managed alarm evaluates.
 */
export function guardExpression(guard: GuardDefinition, name: (id: string) => string): string {
  return rewriteIdentifiers(guard.value, (id) => {
    const metric = guard.metrics[id];
    if (!metric) return undefined;
    return metric.fill === undefined ? name(id) : `FILL(${name(id)}, ${metric.fill})`;
  });
}

/** Rename the guard's metric ids inside its expression, leaving functions and quoted text alone. */
export function prefixIdentifiers(expression: string, ids: Set<string>, prefix: string): string {
  return rewriteIdentifiers(expression, (id) => (ids.has(id) ? prefix + id : undefined));
}

/** Replace identifiers `to` knows (returns text) and leave the rest and quoted text alone. */
export function rewriteIdentifiers(expression: string, to: (id: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i] as string;
    if (ch === '"' || ch === "'") {
      const end = expression.indexOf(ch, i + 1);
      const stop = end === -1 ? expression.length : end + 1;
      out += expression.slice(i, stop);
      i = stop;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expression.slice(i));
    if (ident) {
      const word = ident[0];
      out += to(word) ?? word;
      i += word.length;
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}
