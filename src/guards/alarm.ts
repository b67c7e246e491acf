/**
 * One rule, two enforcers: a guard compiled into the CloudWatch metric-math alarm AppConfig watches
 * as an environment monitor, so AppConfig rolls back by itself during the deployment and its final
 * bake even when no flagops job is running. Pure: the guard in, the PutMetricAlarm input out.
 *
 * - the value is the guard's own expression (FILL where a metric declares a fill);
 * - the sample gate is `IF(samples >= N, value)`: below the gate there is no datapoint, and
 *   `TreatMissingData: notBreaching` makes that a good period, never a rollback;
 * - `consecutive` is M of N with M = N, so only breaches in a row trip it;
 * - a window guard ("N per M minutes") becomes one M-minute period of Sum statistics, which
 *   CloudWatch evaluates every minute (the window slides).
 *
 * - `applies_when` needs no math: where a guard does not apply, one side of it carries no traffic,
 *   so its metrics have no datapoints and the alarm's value is missing (not breaching); and the
 *   ramp rule (gated periods of the canary not owed) only decides healthy vs unverified, which an
 *   alarm never does — both enforcers roll back on exactly the same periods.
 *
 * Where the two differ: CloudWatch judges the last N periods, so a gated period between two
 * breaches breaks the alarm's run while flagops (which skips no-data periods) still counts both.
 */
import type { GuardDefinition } from '../model/types.ts';
import { guardExpression } from './query.ts';

export interface AlarmDefinition {
  AlarmName: string;
  AlarmDescription: string;
  ActionsEnabled: boolean;
  Metrics: Array<{
    Id: string;
    Expression?: string;
    Label?: string;
    ReturnData: boolean;
    MetricStat?: {
      Metric: { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: string }> };
      Period: number;
      Stat: string;
    };
  }>;
  ComparisonOperator:
    | 'GreaterThanThreshold'
    | 'GreaterThanOrEqualToThreshold'
    | 'LessThanThreshold'
    | 'LessThanOrEqualToThreshold';
  Threshold: number;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  TreatMissingData: 'notBreaching';
}

const OPERATORS = {
  '>': 'GreaterThanThreshold',
  '>=': 'GreaterThanOrEqualToThreshold',
  '<': 'LessThanThreshold',
  '<=': 'LessThanOrEqualToThreshold',
} as const;

/** Marks alarms flagops manages, so drift reports can tell them from the platform's own. */
export const MANAGED_MARK = 'Managed by flagops from';

export function compileGuardAlarm(
  guard: GuardDefinition,
  alarmName: string,
  source: string,
): AlarmDefinition {
  const period = guard.periodSeconds * (guard.windowMinutes ?? 1);
  const metricId = (id: string) => `m_${id}`;
  const metrics: AlarmDefinition['Metrics'] = Object.entries(guard.metrics).map(([id, m]) => ({
    Id: metricId(id),
    ReturnData: false,
    MetricStat: {
      Metric: {
        Namespace: m.namespace,
        MetricName: m.name,
        Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: period,
      Stat: m.stat,
    },
  }));
  const value = guardExpression(guard, metricId);
  const gated = guard.minSamples
    ? `IF(${metricId(guard.minSamples.metric)} >= ${guard.minSamples.atLeast}, ${value})`
    : value;
  metrics.push({ Id: 'guard', Expression: gated, Label: guard.name, ReturnData: true });
  return {
    AlarmName: alarmName,
    AlarmDescription:
      `${MANAGED_MARK} ${source}, guard ${guard.name}: ${guard.description ?? `${guard.value} ${guard.breachWhen.op} ${guard.breachWhen.threshold}`}`.slice(
        0,
        1024,
      ),
    ActionsEnabled: true,
    Metrics: metrics,
    ComparisonOperator: OPERATORS[guard.breachWhen.op],
    Threshold: guard.breachWhen.threshold,
    EvaluationPeriods: guard.consecutive,
    DatapointsToAlarm: guard.consecutive,
    TreatMissingData: 'notBreaching',
  };
}

/** The members that differ between what git compiles to and what CloudWatch has (drift). */
export function alarmDrift(wanted: AlarmDefinition, actual: Record<string, unknown>): string[] {
  const differs: string[] = [];
  for (const key of [
    'Metrics',
    'ComparisonOperator',
    'Threshold',
    'EvaluationPeriods',
    'DatapointsToAlarm',
    'TreatMissingData',
    'ActionsEnabled',
  ] as const) {
    if (canonical(wanted[key]) !== canonical(actual[key])) differs.push(key);
  }
  return differs;
}

/** JSON with keys sorted and empty/undefined members dropped, for comparing wire shapes. */
function canonical(v: unknown): string {
  const norm = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(norm);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) {
        const val = (x as Record<string, unknown>)[k];
        if (val === undefined || val === null || (Array.isArray(val) && val.length === 0 && k !== 'Metrics'))
          continue;
        out[k] = norm(val);
      }
      return out;
    }
    return x;
  };
  return JSON.stringify(norm(v));
}
