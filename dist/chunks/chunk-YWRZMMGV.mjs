import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  fitDescription
} from "./chunk-VJ6H3ZYA.mjs";

// src/approvals/count.ts
function isBotLogin(login) {
  return login.toLowerCase().endsWith("[bot]");
}
function canWrite(permission) {
  return permission === "write" || permission === "admin";
}
function latestOpinions(reviews) {
  const latest = /* @__PURE__ */ new Map();
  for (const review of reviews) {
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    latest.set(review.user.toLowerCase(), review);
  }
  return latest;
}
function evaluateRule(pr, rule) {
  const author = pr.author.toLowerCase();
  const allowed = rule.reviewers?.map((r) => r.toLowerCase());
  const approvedBy = [];
  const changesRequestedBy = [];
  const ignored = [];
  for (const review of latestOpinions(pr.reviews).values()) {
    if (review.state === "DISMISSED") continue;
    const login = review.user.toLowerCase();
    const why = login === author ? "author" : review.isBot || isBotLogin(login) ? "bot" : !canWrite(pr.permissions.get(login)) ? "no write access" : allowed && !allowed.includes(login) ? "not a listed reviewer" : review.state === "APPROVED" && rule.dismissStale && review.commitId !== pr.headSha ? "stale" : void 0;
    if (why) {
      ignored.push({ user: review.user, why });
      continue;
    }
    if (review.state === "CHANGES_REQUESTED") changesRequestedBy.push(review.user);
    if (review.state === "APPROVED") approvedBy.push(review.user);
  }
  approvedBy.sort();
  changesRequestedBy.sort();
  return {
    rule,
    approvedBy,
    changesRequestedBy,
    ignored,
    // A reviewer who asked for changes blocks until they approve or their review is dismissed.
    satisfied: approvedBy.length >= rule.required && changesRequestedBy.length === 0
  };
}
function countingApprovers(pr) {
  const verdict = evaluateRule(pr, { environment: "", required: 0, dismissStale: true });
  return new Set(verdict.approvedBy.map((l) => l.toLowerCase()));
}
function evaluateApprovals(pr, rules, codeOwners) {
  const verdicts = rules.map((rule) => evaluateRule(pr, rule));
  const satisfied = verdicts.every((v) => v.satisfied) && (codeOwners?.satisfied ?? true);
  return {
    satisfied,
    rules: verdicts,
    ...codeOwners ? { codeOwners } : {},
    description: describe(verdicts, codeOwners)
  };
}
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
function describeRule(v) {
  const { environment, required } = v.rule;
  if (v.changesRequestedBy.length > 0)
    return `${environment}: changes requested by ${v.changesRequestedBy.join(", ")}`;
  const who = v.rule.reviewers ? " from listed reviewers" : "";
  return `${environment} needs ${plural(required, "approval")}${who}, has ${v.approvedBy.length}`;
}
function describeOwners(v) {
  const first = v.missing[0];
  if (!first) return "";
  const more = v.missing.length > 1 ? ` (+${v.missing.length - 1} more paths)` : "";
  return `code owners: ${first.path} needs ${first.owners.join(" or ")}${more}`;
}
function describe(verdicts, codeOwners) {
  if (verdicts.length === 0 && !codeOwners) return "no environment changed: no approvals needed";
  const failing = verdicts.filter((v) => !v.satisfied).map(describeRule);
  if (codeOwners && !codeOwners.satisfied) failing.push(describeOwners(codeOwners));
  if (failing.length === 0) {
    const parts = verdicts.map((v) => `${v.rule.environment} ${v.approvedBy.length}/${v.rule.required}`);
    if (codeOwners) parts.push("code owners");
    return fitDescription(`approved: ${parts.join(", ")}`);
  }
  return fitDescription(failing.join("; "));
}

export {
  latestOpinions,
  countingApprovers,
  evaluateApprovals
};
