/**
 * The migration example's operator edits (docs/runbook.md), as the tests and benchmarks write
 * them: the generic edits of src/edit/ with this repository's flag names, which the product never
 * names (app.yaml's `commands:` gives the CLI the same words).
 */
import { applyAssignments } from '../src/edit/assign.ts';
import { rolloutStep, startRollout } from '../src/edit/rollout-plan.ts';

export const TRAFFIC_FLAG = 'influxdb_traffic_percentage';
export const QUERIES_FLAG = 'use_influxdb_for_api_queries';

/** `flagops enable-queries`. */
export function enableQueries(yaml: string): string {
  return applyAssignments(yaml, [{ flag: QUERIES_FLAG, attribute: 'enabled', value: true }]);
}

/** `flagops set-percentage --percentage N`, which also switches the traffic flag on. */
export function setPercentage(yaml: string, percentage: number): string {
  return rolloutStep(yaml, TRAFFIC_FLAG, 'percentage', percentage);
}

/** `flagops gradual-rollout --target N --step-size S --wait-minutes W`. */
export function gradualRollout(
  yaml: string,
  plan: { target: number; stepSize: number; waitMinutes: number },
): string {
  return startRollout(yaml, {
    flag: TRAFFIC_FLAG,
    attribute: 'percentage',
    target: plan.target,
    step: plan.stepSize,
    waitMinutes: plan.waitMinutes,
  });
}
