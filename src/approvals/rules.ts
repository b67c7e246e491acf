/**
 * From the policy's requirement (`requiredApprovals` in `src/policy`, the one place that decides
 * how many approvals a change needs) to the rules the counter checks.
 */
import type { ApprovalRequirement } from '../policy/index.ts';
import type { ApprovalRule } from './count.ts';

/** No rule at all when the change touches no environment: nothing to approve. */
export function approvalRules(requirement: ApprovalRequirement): ApprovalRule[] {
  if (requirement.environment === undefined) return [];
  return [
    {
      environment: requirement.environment,
      required: requirement.approvals,
      dismissStale: requirement.dismissStale,
      ...(requirement.reviewers ? { reviewers: requirement.reviewers } : {}),
    },
  ];
}
