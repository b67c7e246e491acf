/**
 * The `_rollout` plan of a values file (docs/concepts.md#gradual-rollouts): `flagops rollout`
 * writes it and takes the first step, the advancer takes each next step of the plan's own
 * flag and attribute, and removes the plan with the last one.
 */
import { ROLLOUT_KEY } from '../core/names.ts';
import type { Application } from '../model/types.ts';
import { applyAssignments, readValue, resolveAssignments } from './assign.ts';
import { EditError, flowMap, setIn } from './yaml-edit.ts';

export interface RolloutPlan {
  flag: string;
  attribute: string;
  target: number;
  step: number;
  wait_minutes: number;
}

export interface RolloutRequest {
  flag: string;
  attribute: string;
  target: number;
  step: number;
  waitMinutes: number;
}

/** `FLAG.ATTRIBUTE` of a number attribute `app` declares; throws EditError naming the fix. */
export function rolloutSubject(app: Application, subject: string): { flag: string; attribute: string } {
  const [flag = '', attribute = '', ...rest] = subject.split('.');
  if (attribute === '' || rest.length > 0)
    throw new EditError(`"${subject}" is not FLAG.ATTRIBUTE; a rollout moves one number attribute`);
  const definition = app.flags[flag]?.attributes[attribute];
  resolveAssignments(app, [{ flag, attribute, value: '0' }]);
  if (definition?.type !== 'number')
    throw new EditError(
      `${subject} is a ${definition?.type ?? 'switch'}; a rollout moves a number attribute`,
    );
  return { flag, attribute };
}

/**
 * Writes the plan under `_rollout` and takes the first step now (current + step, at most the
 * target), so merging the pull request starts the rollout and the advancer continues from there.
 */
export function startRollout(source: string, request: RolloutRequest): string {
  const { flag, attribute, target, step, waitMinutes } = request;
  if (!Number.isFinite(target)) throw new EditError(`the target must be a number, got ${target}`);
  if (!Number.isFinite(step) || step <= 0)
    throw new EditError(`the step must be a positive number, got ${step}`);
  if (!Number.isFinite(waitMinutes) || waitMinutes < 0)
    throw new EditError(`the wait must be 0 minutes or more, got ${waitMinutes}`);
  const current = readValue(source, flag, attribute);
  const from = typeof current === 'number' ? current : 0;
  if (target <= from)
    throw new EditError(
      `${flag}.${attribute} is already ${from}; a rollout only goes up (use flagops set to lower it)`,
    );
  const plan: RolloutPlan = { flag, attribute, target, step, wait_minutes: waitMinutes };
  const withPlan = setIn(source, [ROLLOUT_KEY], flowMap({ ...plan }));
  return rolloutStep(withPlan, flag, attribute, Math.min(from + step, target));
}

/**
 * One step of a rollout: the attribute takes `value`, and the flag is switched on when it is not
 * (a disabled flag exposes nothing, whatever its attribute says: src/policy/exposure.ts).
 */
export function rolloutStep(source: string, flag: string, attribute: string, value: number): string {
  const stepped = applyAssignments(source, [{ flag, attribute, value }]);
  if (readValue(stepped, flag, 'enabled') === true) return stepped;
  return applyAssignments(stepped, [{ flag, attribute: 'enabled', value: true }]);
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
