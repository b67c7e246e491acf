/**
 * How many approvals a change needs: the strictest environment it touches decides. Automatic revert
 * pull requests restore what ran before, so they need `policy.revertApprovals` (default 1) — never
 * more than the environments themselves ask for.
 */
import type { Application, EnvironmentDefinition } from '../model/types.ts';

export interface ApprovalRequirement {
  approvals: number;
  /** The environment whose setting decided, or undefined when the change touches no environment. */
  environment?: string;
  /** Why this number, for people: e.g. `production requires 2 approvals`. */
  reason: string;
  /** Approvals on an older commit do not count — when any touched environment says so. */
  dismissStale: boolean;
  /** Only these logins count (the deciding environment's list), when set. */
  reviewers?: string[];
}

export function requiredApprovals(
  app: Application,
  environments: readonly string[],
  options: { revert: boolean },
): ApprovalRequirement {
  const touched = app.environments.filter((e) => environments.includes(e.name));
  const strictest = pickStrictest(touched);
  if (!strictest) {
    return { approvals: 0, reason: 'the change touches no environment', dismissStale: false };
  }
  const dismissStale = touched.some((e) => e.dismissStale);
  const reviewers = strictest.reviewers ? { reviewers: [...strictest.reviewers] } : {};
  if (options.revert) {
    const approvals = Math.min(app.policy.revertApprovals, strictest.approvals);
    return {
      approvals,
      environment: strictest.name,
      reason: `automatic revert: policy.revert_approvals asks for ${plural(approvals)} (${strictest.name} alone would ask for ${strictest.approvals})`,
      dismissStale,
      ...reviewers,
    };
  }
  return {
    approvals: strictest.approvals,
    environment: strictest.name,
    reason: `${strictest.name} requires ${plural(strictest.approvals)}`,
    dismissStale,
    ...reviewers,
  };
}

/** Most approvals wins; on a tie the later environment in promotion order (closer to customers). */
function pickStrictest(environments: readonly EnvironmentDefinition[]): EnvironmentDefinition | undefined {
  let best: EnvironmentDefinition | undefined;
  for (const e of environments) {
    if (!best || e.approvals > best.approvals || (e.approvals === best.approvals && e.order > best.order))
      best = e;
  }
  return best;
}

function plural(n: number): string {
  return `${n} approval${n === 1 ? '' : 's'}`;
}
