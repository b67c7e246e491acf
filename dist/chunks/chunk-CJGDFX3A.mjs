import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  describeRise,
  effectiveNumber,
  isEnabled,
  risesBetween,
  soakMinutesFor
} from "./chunk-MKBKQ2QT.mjs";
import {
  targetId
} from "./chunk-KAJDPQA3.mjs";

// src/policy/finding.ts
function positionOf(target, flag, attribute) {
  const keys = [];
  if (flag !== void 0 && attribute !== void 0) keys.push(`${flag}.${attribute}`);
  if (flag !== void 0) keys.push(flag);
  keys.push("");
  for (const key of keys) {
    const position = target.locations[key];
    if (position) return position;
  }
  return { file: target.file, line: 1, column: 1 };
}
function findingToDiagnostic(finding) {
  return {
    severity: finding.severity === "error" ? "error" : "warning",
    message: finding.message,
    position: finding.position,
    code: `policy/${finding.rule}`
  };
}

// src/policy/prerequisites.ts
function checkPrerequisites(app, target) {
  const findings = [];
  for (const [flag, value] of Object.entries(target.flags ?? {})) {
    if (!value.enabled) continue;
    for (const prerequisite of app.flags[flag]?.requires ?? []) {
      const { when } = prerequisite;
      if (when && !conditionHolds(when, value.attributes[when.attribute])) continue;
      if (isEnabled(target, prerequisite.flag)) continue;
      const state = target.flags?.[prerequisite.flag] ? "disabled" : "missing";
      const because = when ? `${flag} has ${when.attribute} ${String(value.attributes[when.attribute])} (${describeCondition(when)})` : `${flag} is enabled`;
      const instead = when ? `Enable ${prerequisite.flag} in ${target.file} first, or ${describeEscape(flag, when)}.` : `Enable ${prerequisite.flag} in ${target.file} first, or disable ${flag}.`;
      findings.push({
        rule: "prerequisite",
        severity: "error",
        targets: [targetId(target)],
        flag,
        ...when ? { attribute: when.attribute } : {},
        message: `${target.environment}: ${because}, which requires ${prerequisite.flag} to be enabled, but it is ${state}. ${instead}`,
        position: positionOf(target, flag, when?.attribute ?? "enabled")
      });
    }
  }
  return findings;
}
function conditionHolds(condition, actual) {
  if (typeof actual !== "number") return false;
  switch (condition.op) {
    case ">":
      return actual > condition.value;
    case ">=":
      return actual >= condition.value;
    case "<":
      return actual < condition.value;
    case "<=":
      return actual <= condition.value;
    case "==":
      return actual === condition.value;
    case "!=":
      return actual !== condition.value;
  }
}
function describeCondition(condition) {
  return `${condition.attribute} ${condition.op} ${condition.value}`;
}
var NEGATED = {
  ">": "<=",
  ">=": "<",
  "<": ">=",
  "<=": ">",
  "==": "!=",
  "!=": "=="
};
function describeEscape(flag, condition) {
  const negated = { ...condition, op: NEGATED[condition.op] };
  return conditionHolds(negated, condition.value) ? `set ${flag}.${condition.attribute} to ${condition.value}` : `change ${flag}.${condition.attribute} so that ${describeCondition(negated)}`;
}

// src/policy/promotion-order.ts
function checkPromotionOrder(app, targets) {
  if (!app.policy.promotionOrder) return [];
  const findings = [];
  const find = (environment, profile) => targets.find((t) => t.application === app.name && t.environment === environment && t.profile === profile);
  const ordered = [...app.environments].sort((a, b) => a.order - b.order);
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1].name;
    const current = ordered[i].name;
    for (const target of targets) {
      if (target.application !== app.name || target.environment !== current || !target.flags) continue;
      const before = find(previous, target.profile);
      if (!before?.flags) continue;
      findings.push(...compareEnvironments(app, before, target));
    }
  }
  return findings;
}
function compareEnvironments(app, previous, current) {
  const findings = [];
  const ids = [targetId(current), targetId(previous)];
  for (const [flag, value] of Object.entries(current.flags ?? {})) {
    if (!value.enabled) continue;
    if (!isEnabled(previous, flag)) {
      findings.push({
        rule: "promotion-order",
        severity: "error",
        targets: ids,
        flag,
        message: `${current.environment}: ${flag} is enabled, but ${previous.environment} (earlier in the promotion order) does not have it enabled; ${current.environment} may not run ahead of ${previous.environment}. Enable it in ${previous.file} first, or keep it disabled in ${current.environment}.`,
        position: positionOf(current, flag, "enabled")
      });
      continue;
    }
    for (const rule of app.policy.numeric) {
      if (rule.flag !== flag) continue;
      const mine = value.attributes[rule.attribute];
      const theirs = previous.flags?.[flag]?.attributes[rule.attribute];
      if (typeof mine !== "number" || typeof theirs !== "number" || mine <= theirs) continue;
      findings.push({
        rule: "promotion-order",
        severity: "error",
        targets: ids,
        flag,
        attribute: rule.attribute,
        message: `${current.environment}: ${rule.key} is ${mine}, but ${previous.environment} (earlier in the promotion order) has ${theirs}; ${current.environment} may not run ahead of ${previous.environment}. Raise ${previous.environment} to ${mine} first, or keep ${current.environment} at ${theirs} or less.`,
        position: positionOf(current, flag, rule.attribute)
      });
    }
  }
  return findings;
}

// src/policy/state.ts
function checkState(repo) {
  const findings = [];
  for (const app of Object.values(repo.applications)) {
    const targets = repo.targets.filter((t) => t.application === app.name);
    for (const target of targets) findings.push(...checkPrerequisites(app, target));
    findings.push(...checkPromotionOrder(app, targets));
  }
  return findings;
}

// src/policy/freeze.ts
function activeFreezeWindows(windows, environment, now) {
  return windows.filter((w) => {
    const covers = w.environments.length === 0 || w.environments.includes(environment);
    const start = Date.parse(w.start);
    const end = Date.parse(w.end);
    return covers && now.getTime() >= start && now.getTime() < end;
  });
}
function checkFreezeWindows(windows, head, rises, now) {
  const active = activeFreezeWindows(windows, head.environment, now);
  const findings = [];
  for (const window of active) {
    for (const rise of rises) {
      const attribute = rise.kind === "numeric" ? rise.attribute : "enabled";
      findings.push({
        rule: "freeze-window",
        severity: "error",
        targets: [targetId(head)],
        flag: rise.flag,
        ...rise.kind === "numeric" ? { attribute } : {},
        message: `${head.environment}: ${describeRise(rise)} is not allowed during the freeze window "${window.name}" (${window.start} – ${window.end}, UTC). Wait until ${window.end}, or limit this change to lowering or disabling — rollbacks are always allowed.`,
        position: positionOf(head, rise.flag, attribute)
      });
    }
  }
  return findings;
}

// src/policy/acceptance.ts
function checkAcceptance(acceptance, head, rises, now, provider) {
  if (!acceptance) return [];
  if (acceptance.environments.length > 0 && !acceptance.environments.includes(head.environment)) return [];
  const gate = acceptance.requiredFor;
  const rise = rises.find(
    (r) => r.kind === "numeric" && r.flag === gate.flag && r.attribute === gate.attribute && r.before < gate.value && r.after >= gate.value
  );
  if (!rise) return [];
  const common = {
    rule: "acceptance",
    severity: "error",
    targets: [targetId(head)],
    flag: gate.flag,
    attribute: gate.attribute,
    position: positionOf(head, gate.flag, gate.attribute)
  };
  const ask = `run \`flagops verify --environment ${head.environment}\` and raise it once that passes`;
  const latest = provider?.latest(head);
  if (!provider)
    return [
      {
        ...common,
        message: `${head.environment}: ${gate.key} ${gate.value} needs a passing acceptance verification from the last ${acceptance.maxAgeMinutes} min, and no verification record can be read here (set GITHUB_TOKEN and GITHUB_REPOSITORY); ${ask}.`
      }
    ];
  if (!latest)
    return [
      {
        ...common,
        message: `${head.environment}: ${gate.key} ${gate.value} needs a passing acceptance verification from the last ${acceptance.maxAgeMinutes} min; none is recorded — ${ask}.`
      }
    ];
  const ageMinutes = Math.floor((now.getTime() - latest.at.getTime()) / 6e4);
  const where = latest.url ? ` (${latest.url})` : "";
  if (!latest.passed)
    return [
      {
        ...common,
        message: `${head.environment}: the latest acceptance verification, at ${latest.at.toISOString()}${where}, FAILED; fix what it reports, then ${ask}.`
      }
    ];
  if (ageMinutes > acceptance.maxAgeMinutes)
    return [
      {
        ...common,
        message: `${head.environment}: the latest passing acceptance verification is ${ageMinutes} min old (at ${latest.at.toISOString()}${where}); at most ${acceptance.maxAgeMinutes} min is allowed — ${ask}.`
      }
    ];
  return [];
}

// src/policy/dwell.ts
function checkDwell(dwellMinutes, env, head, rises, now, provider) {
  const first = rises.find((r) => r.kind === "numeric") ?? rises[0];
  if (!first) return [];
  const fromZero = first.kind === "enable" || first.before === 0;
  const minutes = fromZero ? soakMinutesFor(env, 0, Number.POSITIVE_INFINITY) : dwellMinutes ?? 0;
  if (minutes <= 0) return [];
  const attribute = first.kind === "numeric" ? first.attribute : "enabled";
  const what = fromZero ? "the soak after enabling" : "the dwell";
  const common = {
    rule: "dwell",
    targets: [targetId(head)],
    flag: first.flag,
    ...first.kind === "numeric" ? { attribute } : {},
    position: positionOf(head, first.flag, attribute)
  };
  const note = (message) => [{ ...common, severity: "info", message }];
  const error = (message) => [{ ...common, severity: "error", message }];
  const step = provider?.currentStep({
    application: head.application,
    environment: head.environment,
    profile: head.profile
  });
  if (!step) {
    if (fromZero && !dwellMinutes) return [];
    return note(
      `${head.environment}: dwell not checked — no bake records can be read here (they are GitHub deployments of task flagops:bake; set GITHUB_TOKEN and GITHUB_REPOSITORY), so it is unknown whether the current step has run ${minutes} min. The pull request's plan checks it.`
    );
  }
  if (!step.recorded) {
    if (fromZero)
      return note(`${head.environment}: ${what} not checked — ${step.why}; nothing was exposed yet.`);
    return error(
      `${head.environment}: ${step.why}, so the current step has not baked healthy for the ${minutes} min required before the next increase. Wait for its bake to end healthy (flagops status shows it), then re-run the check.`
    );
  }
  const accepted = fromZero ? step.verdict !== "breached" : step.verdict === "healthy";
  if (!accepted)
    return error(
      `${head.environment}: the current step's bake (deployment ${step.deployment}) is ${step.verdict}, so the current step has not ${fromZero ? "soaked" : "baked healthy"} for the ${minutes} min required before the next increase. Fix the cause or lower the percentage; a healthy bake of the current step starts the clock again.`
    );
  const ranMinutes = Math.max(0, Math.floor((now.getTime() - step.since.getTime()) / 6e4));
  if (ranMinutes >= minutes) return [];
  const readyAt = new Date(step.since.getTime() + minutes * 6e4);
  return error(
    `${head.environment}: the current step has ${fromZero ? "soaked" : "baked healthy"} for ${ranMinutes} min; ${minutes} min are required before the next increase (${what}). Wait until ${readyAt.toISOString()} (${minutes - ranMinutes} min more), then re-run the check.`
  );
}

// src/policy/numeric-steps.ts
function checkNumericSteps(rules, base, head) {
  const findings = [];
  for (const rule of rules) {
    const before = effectiveNumber(base, rule.flag, rule.attribute);
    const after = effectiveNumber(head, rule.flag, rule.attribute);
    if (after <= before) continue;
    const common = {
      severity: "error",
      targets: [targetId(head)],
      flag: rule.flag,
      attribute: rule.attribute,
      position: positionOf(head, rule.flag, rule.attribute)
    };
    const rise = `${head.environment}: ${rule.key} rises ${before} → ${after} (+${after - before})`;
    const tooFar = rule.maxIncrease !== void 0 && after - before > rule.maxIncrease;
    if (tooFar && rule.maxIncrease !== void 0) {
      const limit = before + rule.maxIncrease;
      const step = ladderStepWithin(rule.ladder, before, limit);
      const next = step !== void 0 ? ` — the ladder's next step is ${step}.` : rule.ladder ? "." : ", then raise it again in a later change.";
      findings.push({
        ...common,
        rule: "max-increase",
        message: `${rise}; at most +${rule.maxIncrease} per change is allowed. Go to ${limit} or less first${next}`
      });
    }
    if (rule.ladder && !rule.ladder.includes(after)) {
      const limit = rule.maxIncrease === void 0 ? after : Math.min(after, before + rule.maxIncrease);
      const step = ladderStepWithin(rule.ladder, before, limit) ?? rule.ladder.find((v) => v > before);
      const instead = step !== void 0 ? `Use ${step} instead` : `Stay at ${before} or lower it`;
      findings.push({
        ...common,
        rule: "ladder",
        message: `${rise}, but ${after} is not on the ladder [${rule.ladder.join(", ")}]. ${instead}.`
      });
    }
  }
  return findings;
}
function ladderStepWithin(ladder, from, limit) {
  const reachable = (ladder ?? []).filter((v) => v > from && v <= limit);
  return reachable.length ? Math.max(...reachable) : void 0;
}

// src/policy/transition.ts
function checkTransition(base, head, ctx) {
  const findings = [];
  const baseTargets = indexTargets(base.targets);
  for (const target of head.targets) {
    const app = head.applications[target.application];
    if (!app || !target.flags) continue;
    const before = baseTargets.get(targetId(target));
    const rises = risesBetween(before, target);
    if (rises.length === 0) continue;
    findings.push(...checkNumericSteps(app.policy.numeric, before, target));
    findings.push(...checkFreezeWindows(app.policy.freezeWindows, target, rises, ctx.now));
    findings.push(...checkAcceptance(app.acceptance, target, rises, ctx.now, ctx.verification));
    if (before) {
      const minutes = app.policy.dwellMinutes[target.environment];
      const env = app.environments.find((e) => e.name === target.environment);
      findings.push(...checkDwell(minutes, env, target, rises, ctx.now, ctx.dwell));
    }
  }
  return findings;
}
function indexTargets(targets) {
  return new Map(targets.map((t) => [targetId(t), t]));
}

// src/policy/check.ts
function checkChange(base, head, ctx) {
  const rising = risingTargets(base, head);
  const state = checkState(head).map(
    (finding) => finding.severity === "error" && !finding.targets.some((id) => rising.has(id)) ? {
      ...finding,
      severity: "warning",
      message: `${finding.message} (Allowed in this change because it raises nothing; fix it in a later change.)`
    } : finding
  );
  return [...state, ...checkTransition(base, head, ctx)];
}
function risingTargets(base, head) {
  const baseTargets = indexTargets(base.targets);
  const ids = /* @__PURE__ */ new Set();
  for (const target of head.targets) {
    const id = targetId(target);
    if (risesBetween(baseTargets.get(id), target).length > 0) ids.add(id);
  }
  return ids;
}

export {
  findingToDiagnostic,
  checkState,
  activeFreezeWindows,
  checkChange
};
