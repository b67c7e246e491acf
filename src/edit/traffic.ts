/**
 * The migration guide's operator commands as edits of a feature-flags values file. Each returns
 * the new text; only the lines that must change do.
 *
 * How they combine: `enable-queries` is the guide's Phase 1 and a prerequisite of any traffic
 * above 0 (`influxdb_traffic_percentage` requires `use_influxdb_for_api_queries` when
 * `percentage > 0`). `set-percentage` does not switch queries on by itself: policy refuses it
 * with the prerequisite's message, and the operator runs `enable-queries` first — either merged
 * on its own (the guide's "monitor for 15 minutes" step), or stacked on the same pull request
 * branch (see `change.ts`), giving one pull request with two changed lines.
 */
import { parseDocument } from 'yaml';
import { ROLLOUT_KEY } from '../core/names.ts';
import { EditError, flowMap, setIn, yamlScalar } from './yaml-edit.ts';

export const TRAFFIC_FLAG = 'influxdb_traffic_percentage';
export const TRAFFIC_ATTRIBUTE = 'percentage';
export const QUERIES_FLAG = 'use_influxdb_for_api_queries';
/** Reserved top-level key of a values file: a rollout plan for the advancer, never deployed. */

export interface RolloutPlan {
  flag: string;
  attribute: string;
  target: number;
  step: number;
  wait_minutes: number;
}

export function setPercentage(source: string, percentage: number): string {
  checkPercentage(percentage, 'percentage');
  let text = setIn(source, [TRAFFIC_FLAG, TRAFFIC_ATTRIBUTE], yamlScalar(percentage));
  // Traffic above 0 only flows when the flag itself is on; leave an already-enabled flag untouched.
  if (percentage > 0 && readIn(text, [TRAFFIC_FLAG, 'enabled']) !== true)
    text = setIn(text, [TRAFFIC_FLAG, 'enabled'], 'true');
  return text;
}

export function enableQueries(source: string): string {
  if (readIn(source, [QUERIES_FLAG, 'enabled']) === true) return source;
  return setIn(source, [QUERIES_FLAG, 'enabled'], 'true');
}

export interface GradualRolloutRequest {
  target: number;
  stepSize: number;
  waitMinutes: number;
}

/**
 * Writes the plan under `_rollout` and takes the first step now (current + step, at most the
 * target), so merging the pull request starts the rollout and the advancer continues from there.
 */
export function gradualRollout(source: string, request: GradualRolloutRequest): string {
  checkPercentage(request.target, 'target');
  if (!Number.isFinite(request.stepSize) || request.stepSize <= 0)
    throw new EditError(`--step-size must be a positive number, got ${request.stepSize}`);
  if (!Number.isFinite(request.waitMinutes) || request.waitMinutes < 0)
    throw new EditError(`--wait-minutes must be 0 or more, got ${request.waitMinutes}`);
  const current = readIn(source, [TRAFFIC_FLAG, TRAFFIC_ATTRIBUTE]);
  const from = typeof current === 'number' ? current : 0;
  if (request.target <= from)
    throw new EditError(
      `${TRAFFIC_FLAG}.${TRAFFIC_ATTRIBUTE} is already ${from}; a gradual rollout only goes up (use set-percentage to lower it)`,
    );
  const plan: RolloutPlan = {
    flag: TRAFFIC_FLAG,
    attribute: TRAFFIC_ATTRIBUTE,
    target: request.target,
    step: request.stepSize,
    wait_minutes: request.waitMinutes,
  };
  const withPlan = setIn(source, [ROLLOUT_KEY], flowMap({ ...plan }));
  return setPercentage(withPlan, Math.min(from + request.stepSize, request.target));
}

function checkPercentage(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0 || value > 100)
    throw new EditError(`--${name} must be a number from 0 to 100, got ${value}`);
}

function readIn(source: string, path: readonly string[]): unknown {
  return parseDocument(source).getIn(path);
}

/**
 * Removes the `_rollout` plan (the advancer's last step). The plan is the top-level key and the
 * lines indented below it; everything else stays byte for byte.
 */
export function removeRollout(source: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${ROLLOUT_KEY}:`));
  if (start < 0) return source;
  let end = start + 1;
  while (end < lines.length && /^\s+\S/.test(lines[end] ?? '')) end += 1;
  lines.splice(start, end - start);
  return lines.join('\n');
}
