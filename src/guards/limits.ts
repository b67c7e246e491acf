/**
 * CloudWatch's limit on a metric-math expression (`MetricDataQuery.Expression` in the CloudWatch
 * API: 1 to 2,048 characters), applied to the expressions flagops actually sends for a guard: the
 * managed alarm's (metric ids renamed, FILL and the sample gate added) and the GetMetricData query's.
 * A guard over the limit would fail when its alarm is written and bake unwatched, so validate
 * refuses it.
 */
import type { GuardDefinition } from '../model/types.ts';
import { compileGuardAlarm } from './alarm.ts';
import { guardExpression } from './query.ts';

export const METRIC_MATH_EXPRESSION_LIMIT = 2048;

/**
 * The longest expression flagops sends CloudWatch for `guard`. `guardCount` bounds the per-guard
 * query prefix (`g<index>_`), which grows with the number of guards one target watches.
 */
export function longestGuardExpression(guard: GuardDefinition, guardCount: number): number {
  const alarm = compileGuardAlarm(guard, 'limit', 'limit').Metrics.find((m) => m.Expression)?.Expression;
  const prefix = `g${Math.max(0, guardCount - 1)}_`;
  const query = guardExpression(guard, (id) => prefix + id);
  return Math.max(alarm?.length ?? 0, query.length);
}
