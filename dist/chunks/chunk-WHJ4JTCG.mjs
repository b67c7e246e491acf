import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// src/policy/approvals.ts
function requiredApprovals(app, environments, options) {
  const touched = app.environments.filter((e) => environments.includes(e.name));
  const strictest = pickStrictest(touched);
  if (!strictest) {
    return { approvals: 0, reason: "the change touches no environment", dismissStale: false };
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
      ...reviewers
    };
  }
  return {
    approvals: strictest.approvals,
    environment: strictest.name,
    reason: `${strictest.name} requires ${plural(strictest.approvals)}`,
    dismissStale,
    ...reviewers
  };
}
function pickStrictest(environments) {
  let best;
  for (const e of environments) {
    if (!best || e.approvals > best.approvals || e.approvals === best.approvals && e.order > best.order)
      best = e;
  }
  return best;
}
function plural(n) {
  return `${n} approval${n === 1 ? "" : "s"}`;
}

export {
  requiredApprovals
};
