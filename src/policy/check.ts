/**
 * The whole policy verdict on a change: state rules on head plus transition rules from base.
 *
 * State rules alone would block rollbacks: disabling a prerequisite flag while the percentage
 * that needs it is still 25 breaks a prerequisite, and lowering development below production breaks the
 * promotion order. A state violation is therefore an error only when one of the targets it concerns
 * rises in this change; otherwise it is a warning to fix next (docs/concepts.md#rollback-is-never-blocked). The same keeps an
 * old violation in an untouched target from blocking unrelated pull requests.
 */
import type { Repository } from '../model/types.ts';
import { targetId } from '../model/types.ts';
import { risesBetween } from './exposure.ts';
import type { PolicyFinding } from './finding.ts';
import { checkState } from './state.ts';
import type { TransitionContext } from './transition.ts';
import { checkTransition, indexTargets } from './transition.ts';

export function checkChange(base: Repository, head: Repository, ctx: TransitionContext): PolicyFinding[] {
  const rising = risingTargets(base, head);
  const state = checkState(head).map((finding) =>
    finding.severity === 'error' && !finding.targets.some((id) => rising.has(id))
      ? {
          ...finding,
          severity: 'warning' as const,
          message: `${finding.message} (Allowed in this change because it raises nothing; fix it in a later change.)`,
        }
      : finding,
  );
  return [...state, ...checkTransition(base, head, ctx)];
}

/** Ids of head targets where this change switches something on or raises a number. */
export function risingTargets(base: Repository, head: Repository): Set<string> {
  const baseTargets = indexTargets(base.targets);
  const ids = new Set<string>();
  for (const target of head.targets) {
    const id = targetId(target);
    if (risesBetween(baseTargets.get(id), target).length > 0) ids.add(id);
  }
  return ids;
}
