import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  describePeriods
} from "./chunk-PWFSMMBW.mjs";
import {
  mdCode,
  mdProse,
  mdText
} from "./chunk-PX4VJDWW.mjs";
import {
  targetId
} from "./chunk-KAJDPQA3.mjs";

// src/guards/verdict.ts
function verdictOf(guards, alarms, now) {
  const breaches = [];
  for (const g of guards) {
    if (g.status !== "breached") continue;
    breaches.push({
      kind: "guard",
      guard: g.guard,
      breachWhen: g.breachWhen,
      ...g.unit !== void 0 ? { unit: g.unit } : {},
      consecutive: g.consecutive,
      periods: g.evidence ?? [],
      at: g.trippedAt ?? now
    });
  }
  for (const a of alarms) {
    if (a.state === "ALARM")
      breaches.push({ kind: "alarm", alarm: a.name, ...a.reason ? { reason: a.reason } : {}, at: now });
  }
  const noData = [...guards.filter((g) => g.status === "no-data").map((g) => g.guard)];
  const missingAlarms = alarms.filter((a) => a.state === void 0).map((a) => `alarm ${a.name} (not found)`);
  const settled = breaches.length > 0 || guards.every((g) => g.settled);
  const unobserved = [
    ...guards.filter((g) => g.status === "no-data" || g.status === "unverified").map(
      (g) => `${g.guard}: ${g.observed} of ${g.required} period(s) observed (needs ${Math.ceil(g.coverage * g.required - 1e-9)}); never observed: ${describePeriods(g.unobserved)}`
    ),
    ...missingAlarms
  ];
  const status = breaches.length > 0 ? "breached" : !settled ? "pending" : guards.length > 0 && guards.every((g) => g.status === "no-data") ? "no-data" : unobserved.length > 0 ? "unverified" : "healthy";
  return { status, breaches, guards, alarms, noData: [...noData, ...missingAlarms], unobserved, settled };
}
function describeBreach(b) {
  switch (b.kind) {
    case "guard": {
      const unit = b.unit ? b.unit === "%" ? " %" : ` ${b.unit}` : "";
      const values = b.periods.map((p) => `${fmt(p.value)}${unit}`).join(", ");
      return `guard ${b.guard}: ${values} ${b.breachWhen.op} ${b.breachWhen.threshold}${unit} for ${b.consecutive} consecutive period(s)`;
    }
    case "alarm":
      return `alarm ${b.alarm} is in ALARM${b.reason ? `: ${b.reason}` : ""}`;
    case "appconfig-rollback":
      return `AppConfig rolled back deployment ${b.deploymentNumber} itself (${b.triggeredBy}): ${b.description}`;
  }
}
function fmt(v) {
  return v === void 0 ? "—" : String(Math.round(v * 100) / 100);
}

// src/revert/text.ts
var REVERT_BRANCH_PREFIX = "flagops/revert";
function revertBranch(target, badCommit) {
  const sha7 = (badCommit ?? "unknown").slice(0, 7);
  return `${REVERT_BRANCH_PREFIX}/${target.application}/${target.environment}/${target.profile}/${sha7}`;
}
function revertBranchPrefix(target) {
  return `${REVERT_BRANCH_PREFIX}/${target.application}/${target.environment}/${target.profile}/`;
}
function whatBreached(evidence) {
  const first = evidence.breaches[0];
  if (!first) return evidence.reason ?? "rolled back";
  const head = first.kind === "guard" ? `guard ${first.guard} breached` : first.kind === "alarm" ? `alarm ${first.alarm} in ALARM` : `AppConfig rolled back deployment ${first.deploymentNumber}`;
  return evidence.breaches.length > 1 ? `${head} (+${evidence.breaches.length - 1} more)` : head;
}
function revertTitle(evidence) {
  const title = `Revert ${evidence.target.application}/${evidence.target.environment}: ${whatBreached(evidence)}`;
  return title.length <= 200 ? title : `${title.slice(0, 199)}…`;
}
var iso = (ms) => ms === void 0 ? "—" : new Date(ms).toISOString().replace(".000Z", "Z");
var num = (v) => v === void 0 ? "—" : String(Math.round(v * 100) / 100);
var version = (v) => v ? `version ${v.number}${v.label ? ` (${mdCode(v.label)})` : ""}` : "nothing";
function breachEvidence(b) {
  if (b.kind !== "guard") return [`- ${mdProse(describeBreach(b))} — at ${iso(b.at)}`];
  const unit = b.unit ? ` ${b.unit}` : "";
  const threshold = `${b.breachWhen.op} ${b.breachWhen.threshold}${unit}`;
  return [
    `- guard **${mdText(b.guard)}** breached ${mdCode(threshold)} for ${b.consecutive} consecutive period(s), visible at ${iso(b.at)}:`,
    "",
    "  | Period (UTC) | Value | Threshold | Samples | Outcome |",
    "  |---|---|---|---|---|",
    ...b.periods.map(
      (p) => `  | ${iso(p.start)} – ${iso(p.end).slice(11)} | ${num(p.value)}${unit} | ${threshold} | ${p.samples ?? "—"} | ${p.outcome} |`
    ),
    ""
  ];
}
function revertBody(evidence, facts) {
  const t = evidence.target;
  const lines = [
    `flagops rolled back **${mdText(targetId(t))}** and opened this pull request so \`main\` says what AppConfig serves again.`,
    "",
    `While this pull request is open the target is **held**: deploying it is refused unless the content equals what runs. Merge it to make \`main\` match (the deploy is then a no-op), or close it unmerged to release the hold on purpose.`,
    "",
    "### What breached",
    ...evidence.breaches.length > 0 ? evidence.breaches.flatMap(breachEvidence) : [`- ${mdProse(evidence.reason ?? "no reason given")}`],
    "",
    "### Deployments",
    "| | |",
    "|---|---|",
    `| Rolled back | deployment ${evidence.deploymentNumber ?? "—"}: ${version(evidence.badVersion)}${facts.badCommit ? ` from commit ${facts.badCommit}` : ""}, deployed ${iso(evidence.deployedAt)} |`,
    `| Rollback | ${mdText(evidence.rollbackAction ?? "—")}${evidence.redeployNumber !== void 0 ? ` (deployment ${evidence.redeployNumber})` : ""} at ${iso(evidence.rolledBackAt)} |`,
    `| Serving now | ${version(evidence.serving)} |`,
    ...evidence.runUrl ? [`| Run | ${evidence.runUrl} |`] : [],
    ...facts.originalPull ? [`| Original pull request | #${facts.originalPull.number} by @${facts.originalPull.author} |`] : [],
    "",
    `### This change to ${mdCode(facts.file)}`,
    ...facts.changes.length > 0 ? facts.changes.map((c) => `- ${mdCode(c)}`) : ["- no value changes: the file already says what runs"],
    "",
    "_Opened by flagops automatically; re-running the revert updates this pull request._"
  ];
  return lines.join("\n");
}
function originalPullComment(evidence, revert) {
  const t = evidence.target;
  return [
    `:rewind: **${mdText(targetId(t))}** was rolled back after this change deployed: ${mdProse(whatBreached(evidence))}.`,
    "",
    ...evidence.breaches.length > 0 ? evidence.breaches.map((b) => `- ${mdProse(describeBreach(b))}`) : [],
    "",
    `Automatic revert: #${revert.number} (${revert.url}). The target is held until it is merged or closed.`,
    ...evidence.runUrl ? ["", `Run: ${evidence.runUrl}`] : []
  ].join("\n");
}

export {
  verdictOf,
  describeBreach,
  REVERT_BRANCH_PREFIX,
  revertBranch,
  revertBranchPrefix,
  revertTitle,
  revertBody,
  originalPullComment
};
