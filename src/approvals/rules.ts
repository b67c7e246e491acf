/**
 * Which approval rules a pull request must meet: one per environment it touches, from `app.yaml`.
 * Automatic revert pull requests restore what already runs, so they need only the policy's
 * `revert_approvals` (DESIGN promise 5: rollback is never blocked by more than approvals).
 */
import type { Application } from '../model/types.ts';
import type { ApprovalRule } from './count.ts';

/** The label the revert action puts on the pull requests it opens. */
export const AUTOMATIC_LABEL = 'flagops:automatic';

export function isAutomaticRevert(labels: readonly string[]): boolean {
  return labels.includes(AUTOMATIC_LABEL);
}

export function approvalRules(
  app: Application,
  environments: readonly string[],
  options: { revert: boolean },
): ApprovalRule[] {
  const rules: ApprovalRule[] = [];
  for (const env of app.environments) {
    if (!environments.includes(env.name)) continue;
    rules.push({
      environment: env.name,
      required: options.revert ? app.policy.revertApprovals : env.approvals,
      dismissStale: env.dismissStale,
      ...(env.reviewers ? { reviewers: env.reviewers } : {}),
    });
  }
  return rules;
}
