import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  checkChange
} from "./chunk-CJGDFX3A.mjs";
import {
  compileDiagnostics,
  targetId
} from "./chunk-KAJDPQA3.mjs";

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

// src/policy/judged.ts
function judgedByBase(base, head) {
  const applications = {};
  for (const [name, app] of Object.entries(head.applications)) {
    const before = base.applications[name];
    applications[name] = before ? withBasePolicy(app, before) : app;
  }
  return { ...head, applications };
}
function withBasePolicy(head, base) {
  const strictest = Math.max(0, ...base.environments.map((e) => e.approvals));
  const environments = head.environments.map((env) => {
    const before = base.environments.find((e) => e.name === env.name);
    if (!before) return { ...env, approvals: Math.max(env.approvals, strictest), dismissStale: true };
    const { reviewers: _drop, ...rest } = env;
    return {
      ...rest,
      approvals: before.approvals,
      dismissStale: before.dismissStale,
      order: before.order,
      ...before.reviewers ? { reviewers: [...before.reviewers] } : {}
    };
  });
  return { ...head, policy: base.policy, environments, flags: { ...head.flags, ...base.flags } };
}
function policyDiff(base, head) {
  if (!base || !head) return [];
  const pick = (app) => ({
    policy: app.policy,
    environments: Object.fromEntries(
      app.environments.map((e) => [
        e.name,
        {
          approvals: e.approvals,
          dismiss_stale: e.dismissStale,
          reviewers: e.reviewers ?? null,
          order: e.order
        }
      ])
    ),
    flags: app.flags
  });
  const lines = [];
  diff(pick(base), pick(head), "", lines);
  return lines;
}
function diff(a, b, path, out) {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const key of [.../* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      diff(a[key], b[key], path === "" ? key : `${path}.${key}`, out);
    return;
  }
  const show = (v) => v === void 0 ? "(none)" : JSON.stringify(v);
  out.push(`${path}: ${show(a)} → ${show(b)}`);
}

// src/plan/diff.ts
function diffTarget(base, head) {
  const profileType = (head ?? base)?.profileType;
  if (profileType === "AWS.Freeform") return diffData(base ? base.data : {}, head ? head.data : {}, "");
  return diffFlags(base?.flags ?? {}, head?.flags ?? {});
}
function diffFlags(before, after) {
  const changes = [];
  for (const flag of unionKeys(before, after)) {
    const old = before[flag];
    const now = after[flag];
    if (!old && now) changes.push(...flagRows("flag-added", flag, now));
    else if (old && !now) changes.push(...flagRows("flag-removed", flag, old));
    else if (old && now) changes.push(...diffFlag(flag, old, now));
  }
  return changes;
}
function flagRows(kind, flag, value) {
  const added = kind === "flag-added";
  const side = (v) => added ? { after: v } : { before: v };
  const switchDirection = value.enabled ? added ? "up" : "down" : "other";
  return [
    { kind, flag, attribute: "enabled", ...side(value.enabled), direction: switchDirection },
    ...Object.entries(value.attributes).map(
      ([attribute, v]) => ({ kind, flag, attribute, ...side(v), direction: "other" })
    )
  ];
}
function diffFlag(flag, old, now) {
  const changes = [];
  if (old.enabled !== now.enabled) {
    changes.push({
      kind: "enabled",
      flag,
      attribute: "enabled",
      before: old.enabled,
      after: now.enabled,
      direction: now.enabled ? "up" : "down"
    });
  }
  for (const attribute of unionKeys(old.attributes, now.attributes)) {
    const hadIt = Object.hasOwn(old.attributes, attribute);
    const hasIt = Object.hasOwn(now.attributes, attribute);
    const before = old.attributes[attribute];
    const after = now.attributes[attribute];
    if (hadIt && hasIt && sameValue(before, after)) continue;
    changes.push({
      kind: "attribute",
      flag,
      attribute,
      ...hadIt ? { before } : {},
      ...hasIt ? { after } : {},
      direction: numericDirection(before, after)
    });
  }
  return changes;
}
function diffData(before, after, path) {
  if (isPlainObject(before) && isPlainObject(after)) {
    return unionKeys(before, after).flatMap((key) => {
      const child = joinPath(path, key);
      if (!Object.hasOwn(before, key)) return [pathChange(child, void 0, after[key], false, true)];
      if (!Object.hasOwn(after, key)) return [pathChange(child, before[key], void 0, true, false)];
      return diffData(before[key], after[key], child);
    });
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => diffData(item, after[i], `${path}[${i}]`));
  }
  if (sameValue(before, after)) return [];
  return [pathChange(path, before, after, before !== void 0, after !== void 0)];
}
function pathChange(path, before, after, hadIt, hasIt) {
  return {
    kind: "path",
    path: path === "" ? "(document)" : path,
    ...hadIt ? { before } : {},
    ...hasIt ? { after } : {},
    direction: "other"
  };
}
function joinPath(path, key) {
  const safe = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (path === "") return safe;
  return safe.startsWith('"') ? `${path}[${safe}]` : `${path}.${safe}`;
}
function numericDirection(before, after) {
  if (typeof before !== "number" || typeof after !== "number") return "other";
  return after > before ? "up" : "down";
}
function unionKeys(before, after) {
  return [.../* @__PURE__ */ new Set([...Object.keys(after), ...Object.keys(before)])];
}
function isPlainObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function sameValue(a, b) {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

// src/plan/format.ts
function formatValue(value, present) {
  if (!present) return "—";
  if (typeof value === "string") return JSON.stringify(value);
  if (value === void 0) return "undefined";
  return JSON.stringify(value);
}
function formatBefore(change) {
  return formatValue(change.before, Object.hasOwn(change, "before"));
}
function formatAfter(change) {
  return formatValue(change.after, Object.hasOwn(change, "after"));
}
function changeSubject(change) {
  if (change.path !== void 0) return change.path;
  return change.attribute !== void 0 ? `${change.flag}.${change.attribute}` : change.flag ?? "";
}

// src/plan/rollout.ts
var PREDEFINED_STRATEGIES = {
  "AppConfig.AllAtOnce": {
    growthType: "LINEAR",
    growthFactor: 100,
    durationMinutes: 0,
    finalBakeMinutes: 10
  },
  "AppConfig.Linear50PercentEvery30Seconds": {
    growthType: "LINEAR",
    growthFactor: 50,
    durationMinutes: 1,
    finalBakeMinutes: 1
  },
  "AppConfig.Linear20PercentEvery6Minutes": {
    growthType: "LINEAR",
    growthFactor: 20,
    durationMinutes: 30,
    finalBakeMinutes: 30
  },
  "AppConfig.Canary10Percent20Minutes": {
    growthType: "EXPONENTIAL",
    growthFactor: 10,
    durationMinutes: 20,
    finalBakeMinutes: 10
  }
};
function resolveStrategy(app, name) {
  const timing = app.strategies[name] ?? PREDEFINED_STRATEGIES[name];
  if (!timing) return { name, known: false };
  return {
    name,
    known: true,
    growthType: timing.growthType,
    growthFactor: timing.growthFactor,
    durationMinutes: timing.durationMinutes,
    finalBakeMinutes: timing.finalBakeMinutes
  };
}
function rolloutFor(app, environment) {
  const strategy = resolveStrategy(app, environment.strategy);
  const guards = [];
  const unknownGuards = [];
  for (const name of environment.guards) {
    const guard = app.guards[name];
    if (guard) guards.push(summariseGuard(guard));
    else unknownGuards.push(name);
  }
  const total = strategy.durationMinutes !== void 0 && strategy.finalBakeMinutes !== void 0 ? { totalMinutes: strategy.durationMinutes + strategy.finalBakeMinutes + environment.bakeMinutes } : {};
  return {
    strategy,
    bakeMinutes: environment.bakeMinutes,
    ...total,
    guards,
    unknownGuards,
    alarms: [...environment.alarms]
  };
}
function summariseGuard(guard) {
  const unit = guard.unit ? ` ${guard.unit}` : "";
  return {
    name: guard.name,
    ...guard.description !== void 0 ? { description: guard.description } : {},
    breachWhen: `${guard.value} ${guard.breachWhen.op} ${guard.breachWhen.threshold}${unit}`,
    consecutive: guard.consecutive,
    periodSeconds: guard.periodSeconds
  };
}

// src/plan/types.ts
var PLAN_VERSION = 1;

// src/plan/build.ts
function buildPlan(base, proposed, options) {
  const head = judgedByBase(base, proposed);
  const findings = checkChange(base, head, {
    now: options.now,
    ...options.dwell ? { dwell: options.dwell } : {},
    ...options.verification ? { verification: options.verification } : {}
  });
  const targets = changedTargets(base, head);
  const byId = new Map(targets.map((t) => [t.id, t]));
  const otherFindings = [];
  for (const finding of findings) {
    const owner = finding.targets.map((id) => byId.get(id)).find((t) => t !== void 0);
    if (owner) owner.findings.push(finding);
    else otherFindings.push(finding);
  }
  const diagnostics = [...head.diagnostics, ...compileDiagnostics(proposed)];
  const errors = findings.filter((f) => f.severity === "error").length + diagnostics.filter((d) => d.severity === "error").length;
  return {
    version: PLAN_VERSION,
    baseLabel: options.baseLabel,
    checkedAt: options.now.toISOString(),
    verdict: errors > 0 ? "fail" : "pass",
    summary: {
      targets: targets.length,
      errors,
      warnings: findings.filter((f) => f.severity === "warning").length + diagnostics.filter((d) => d.severity === "warning").length,
      notes: findings.filter((f) => f.severity === "info").length
    },
    targets,
    approvals: approvalsFor(head, base, targets, options.revert === true),
    policyChanges: Object.keys(proposed.applications).map((name) => ({
      application: name,
      changes: policyDiff(base.applications[name], proposed.applications[name])
    })).filter((p) => p.changes.length > 0),
    otherFindings,
    diagnostics
  };
}
function changedTargets(base, head) {
  const baseById = new Map(base.targets.map((t) => [targetId(t), t]));
  const headIds = new Set(head.targets.map((t) => targetId(t)));
  const plans = [];
  for (const target of head.targets) {
    const before = baseById.get(targetId(target));
    const plan = planTarget(head, before, target);
    if (plan) plans.push(plan);
  }
  for (const target of base.targets) {
    if (headIds.has(targetId(target))) continue;
    const plan = planTarget(base, target, void 0);
    if (plan) plans.push(plan);
  }
  return plans;
}
function planTarget(repo, before, after) {
  const target = after ?? before;
  const changes = diffTarget(before, after);
  if (changes.length === 0) return void 0;
  const status = !before ? "added" : !after ? "removed" : "changed";
  const environment = repo.applications[target.application]?.environments.find(
    (e) => e.name === target.environment
  );
  const app = repo.applications[target.application];
  return {
    id: targetId(target),
    application: target.application,
    environment: target.environment,
    profile: target.profile,
    profileType: target.profileType,
    file: target.file,
    status,
    changes,
    findings: [],
    ...app && environment && status !== "removed" ? { rollout: rolloutFor(app, environment) } : {},
    onBreach: describeBreachResponse(status, target.environment, changes)
  };
}
function describeBreachResponse(status, environment, changes) {
  if (status === "removed")
    return "nothing deploys for a removed values file, so there is nothing to roll back";
  if (status === "added") {
    return `on breach: stop the deployment to ${environment} (nothing was deployed from this file before), open a revert PR`;
  }
  const previous = changes.map(
    (c) => Object.hasOwn(c, "before") ? `${changeSubject(c)} = ${formatBefore(c)}` : `no ${changeSubject(c)}`
  ).join(", ");
  return `on breach: roll back ${environment} to ${previous}, open a revert PR`;
}
function approvalsFor(head, base, targets, revert) {
  const environmentsByApp = /* @__PURE__ */ new Map();
  for (const t of targets) {
    const set = environmentsByApp.get(t.application) ?? /* @__PURE__ */ new Set();
    set.add(t.environment);
    environmentsByApp.set(t.application, set);
  }
  const result = [];
  for (const [name, environments] of environmentsByApp) {
    const app = head.applications[name] ?? base.applications[name];
    if (!app) continue;
    result.push({ application: name, ...requiredApprovals(app, [...environments], { revert }) });
  }
  return result;
}

export {
  requiredApprovals,
  formatBefore,
  formatAfter,
  changeSubject,
  buildPlan
};
