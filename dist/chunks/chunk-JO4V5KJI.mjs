import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  countingApprovers,
  evaluateApprovals
} from "./chunk-YWRZMMGV.mjs";
import {
  buildPlan,
  requiredApprovals
} from "./chunk-XNWI2L7O.mjs";
import {
  OverlaySource
} from "./chunk-5PF2FZBE.mjs";
import {
  REVERT_BRANCH_PREFIX
} from "./chunk-NAC7TEFE.mjs";
import {
  matchesDeployed
} from "./chunk-KAJDPQA3.mjs";
import {
  loadRepository
} from "./chunk-S5U7UAL3.mjs";
import {
  Failure
} from "./chunk-QKVV5EAQ.mjs";

// src/approvals/codeowners.ts
var CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];
function parseCodeOwners(text) {
  const rules = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") continue;
    const [pattern, ...owners] = line.split(/\s+/);
    if (!pattern) continue;
    rules.push({ pattern, owners, line: i + 1, matches: globMatcher(pattern) });
  }
  return rules;
}
function globMatcher(pattern) {
  const anchored = pattern.startsWith("/") || pattern.slice(0, -1).includes("/");
  const directory = pattern.endsWith("/");
  const segments = pattern.replace(/^\//, "").replace(/\/$/, "").split("/");
  const full = [...anchored ? [] : ["**"], ...segments, ...directory ? ["**", "*"] : []];
  return (path) => {
    const parts = path.split("/");
    return matchSegments(full, parts) || !directory && matchSegments([...full, "**", "*"], parts);
  };
}
function matchSegments(pattern, path) {
  let can = path.map(() => false).concat(false);
  can[0] = true;
  for (const seg of pattern) {
    const next = can.map(() => false);
    if (seg === "**") {
      let any = false;
      for (let j = 0; j < can.length; j++) {
        any = any || can[j] === true;
        next[j] = any;
      }
    } else {
      for (let j = 0; j < path.length; j++)
        if (can[j] && matchSegment(seg, path[j] ?? "")) next[j + 1] = true;
    }
    can = next;
  }
  return can[path.length] === true;
}
function matchSegment(pattern, text) {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}
function ownersOf(rules, path) {
  let owners = [];
  for (const rule of rules) if (rule.matches(path)) owners = rule.owners;
  return owners;
}
function judgeCodeOwners(rules, paths, approvers, teamMembers) {
  const missing = [];
  for (const path of paths) {
    const owners = ownersOf(rules, path);
    if (owners.length === 0) continue;
    const ok = owners.some((owner) => {
      const name = owner.replace(/^@/, "").toLowerCase();
      if (name.includes("/")) return [...teamMembers.get(name) ?? []].some((m) => approvers.has(m));
      return approvers.has(name);
    });
    if (!ok) missing.push({ path, owners });
  }
  return { satisfied: missing.length === 0, missing };
}
function teamsIn(rules) {
  const teams = /* @__PURE__ */ new Set();
  for (const r of rules)
    for (const o of r.owners) if (o.startsWith("@") && o.includes("/")) teams.add(o.slice(1).toLowerCase());
  return [...teams].sort();
}

// src/approvals/rules.ts
function approvalRules(requirement) {
  if (requirement.environment === void 0) return [];
  return [
    {
      environment: requirement.environment,
      required: requirement.approvals,
      dismissStale: requirement.dismissStale,
      ...requirement.reviewers ? { reviewers: requirement.reviewers } : {}
    }
  ];
}

// src/approvals/needs.ts
var OUTSIDE_VALUES = "code and policy";
function valuesTarget(base, path) {
  return base.targets.find((t) => t.file === path) ?? declaredValuesFile(base, path);
}
function declaredValuesFile(base, path) {
  for (const app of Object.values(base.applications)) {
    if (!path.startsWith(`${app.dir}/`)) continue;
    const [env, file, ...rest] = path.slice(app.dir.length + 1).split("/");
    if (rest.length > 0 || !env || !file) continue;
    const profile = file.replace(/\.yaml$/, "");
    if (`${profile}.yaml` !== file || !app.environments.some((e) => e.name === env) || !app.profiles[profile])
      continue;
    return {
      application: app.name,
      environment: env,
      profile,
      file: path,
      profileType: app.profiles[profile].type,
      locations: {}
    };
  }
  return void 0;
}
function revertClaim(base, facts, appLogin) {
  if (!appLogin || facts.author.toLowerCase() !== appLogin.toLowerCase() || !facts.sameRepository)
    return void 0;
  const m = new RegExp(`^${REVERT_BRANCH_PREFIX}/([^/]+)/([^/]+)/([^/]+)/([0-9a-f]{7}|unknown)$`).exec(
    facts.headRef
  );
  if (!m) return void 0;
  const [, application, environment, profile] = m;
  const target = base.targets.find(
    (t) => t.application === application && t.environment === environment && t.profile === profile
  );
  if (!target || facts.paths.length !== 1 || facts.paths[0] !== target.file) return void 0;
  return { target: { application, environment, profile }, file: target.file };
}
function changeNeeds(base, facts, options = {}) {
  const claim = revertClaim(base, facts, options.appLogin);
  const revert = claim && options.restoresDeployed?.(claim) ? claim : void 0;
  const touched = /* @__PURE__ */ new Map();
  const outside = [];
  for (const path of facts.paths) {
    const target = valuesTarget(base, path);
    if (!target) {
      outside.push(path);
      continue;
    }
    const set = touched.get(target.application) ?? /* @__PURE__ */ new Set();
    set.add(target.environment);
    touched.set(target.application, set);
  }
  const qualify = Object.keys(base.applications).length > 1;
  const rules = [];
  for (const [name, environments] of touched) {
    const app = base.applications[name];
    if (!app) continue;
    for (const rule of approvalRules(requiredApprovals(app, [...environments], { revert: !!revert })))
      rules.push(qualify ? { ...rule, environment: `${name}/${rule.environment}` } : rule);
  }
  if (outside.length > 0) rules.push(strictestRule(base));
  return { rules, codeOwners: outside.length > 0, ...revert ? { revert } : {}, outside };
}
function strictestRule(base) {
  const all = Object.values(base.applications).flatMap((a) => a.environments);
  const required = Math.max(1, ...all.map((e) => e.approvals));
  return { environment: OUTSIDE_VALUES, required, dismissStale: true };
}

// src/approvals/policy.ts
var MODEL_DIRS = ["flags/", "schemas/"];
async function headOverBase(access, base, paths, headSha) {
  const files = {};
  for (const path of paths.filter((p) => MODEL_DIRS.some((d) => p.startsWith(d)))) {
    const content = await access.fileAt(path, headSha);
    files[path] = content === void 0 ? null : content.toString("utf8");
  }
  return new OverlaySource(base, files);
}
async function judgePolicy(base, head, inputs, revert) {
  const proposed = loadRepository(head);
  const evidence = await inputs.evidence?.(proposed) ?? {};
  const plan = buildPlan(base, proposed, { now: inputs.now, baseLabel: "base", revert, ...evidence });
  const at = (p) => `${p.file}:${p.line}`;
  const errors = [
    ...plan.diagnostics.filter((d) => d.severity === "error").map((d) => `${at(d.position)}: ${d.message}`),
    ...[...plan.targets.flatMap((t) => t.findings), ...plan.otherFindings].filter((f) => f.severity === "error").map((f) => `${at(f.position)}: ${f.message}`)
  ];
  return { pass: plan.verdict === "pass" && errors.length === 0, errors };
}

// src/approvals/gate.ts
var STATUS_CONTEXT = "flagops/change-control";
var LIST_FILES_CAP = 3e3;
var TooManyFilesError = class extends Failure {
};
async function runChangeControl(github, repository, prNumber, options = {}) {
  const pullRequest = await github.pulls.get(prNumber);
  try {
    const result = await judge(github, repository, pullRequest, options);
    await post(github, pullRequest, result.satisfied, result.description, options);
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await post(github, pullRequest, false, `cannot judge: ${message}`, options).catch(() => {
    });
    throw error;
  }
}
async function post(github, pr, satisfied, description, options) {
  await github.statuses.create(pr.headSha, {
    state: satisfied ? "success" : "failure",
    context: STATUS_CONTEXT,
    description,
    ...options.targetUrl ? { targetUrl: options.targetUrl } : {}
  });
}
async function judge(github, repository, pullRequest, options) {
  const tooMany = (count) => new TooManyFilesError(
    `${count} files changed; GitHub lists at most ${LIST_FILES_CAP}, so some changes could not be seen. Split the pull request`
  );
  if ((pullRequest.changedFiles ?? 0) >= LIST_FILES_CAP) throw tooMany(pullRequest.changedFiles ?? 0);
  const [paths, reviews] = await Promise.all([
    github.pulls.listFiles(pullRequest.number),
    github.pulls.listReviews(pullRequest.number)
  ]);
  const listed = new Set(paths).size;
  if (listed >= LIST_FILES_CAP) throw tooMany(listed);
  const facts = {
    author: pullRequest.author,
    headRef: pullRequest.headRef,
    sameRepository: pullRequest.headRepository.toLowerCase() === `${github.repo.owner}/${github.repo.repo}`.toLowerCase(),
    paths
  };
  const claim = revertClaim(repository, facts, options.appLogin);
  const restores = claim ? await restoresDeployed(github, claim, pullRequest, options) : false;
  const needs = changeNeeds(repository, facts, {
    ...options.appLogin ? { appLogin: options.appLogin } : {},
    restoresDeployed: () => restores
  });
  const permissions = /* @__PURE__ */ new Map();
  for (const login of new Set(reviews.map((r) => r.user.toLowerCase()))) {
    if (login === "" || login.endsWith("[bot]")) continue;
    permissions.set(login, await github.access.permission(login));
  }
  const state = {
    author: pullRequest.author,
    headSha: pullRequest.headSha,
    reviews,
    permissions
  };
  const owners = needs.codeOwners ? await codeOwnersVerdict(github, state, paths, options) : void 0;
  const verdict = evaluateApprovals(state, needs.rules, owners);
  const policy = options.source ? await judgePolicy(
    repository,
    await headOverBase(github.access, options.source, paths, pullRequest.headSha),
    options.policy ?? { now: /* @__PURE__ */ new Date() },
    needs.revert !== void 0
  ) : void 0;
  return { pullRequest, needs, verdict, ...policy ? { policy } : {}, ...combined(verdict, policy) };
}
function combined(verdict, policy) {
  if (!policy || policy.pass) return { satisfied: verdict.satisfied, description: verdict.description };
  const count = policy.errors.length > 1 ? ` (1 of ${policy.errors.length})` : "";
  const first = (policy.errors[0] ?? "the plan fails").replace(/^[^:]*:\d+: /, "");
  return { satisfied: false, description: `policy${count}: ${first}` };
}
async function restoresDeployed(github, claim, pr, options) {
  if (!options.deployed || !options.source) return false;
  const [head, deployed] = await Promise.all([
    github.access.fileAt(claim.file, pr.headSha),
    options.deployed(claim.target)
  ]);
  if (!head || !deployed) return false;
  const repo = loadRepository(new OverlaySource(options.source, { [claim.file]: head.toString("utf8") }));
  const app = repo.applications[claim.target.application];
  const target = repo.targets.find((t) => t.file === claim.file);
  return !!app && !!target && matchesDeployed(app, target, deployed);
}
async function codeOwnersVerdict(github, state, paths, options) {
  const rules = parseCodeOwners(options.codeOwners ?? "");
  const teams = /* @__PURE__ */ new Map();
  for (const team of teamsIn(rules)) {
    const [org, slug] = team.split("/");
    teams.set(team, new Set((await github.access.teamMembers(org, slug)).map((m) => m.toLowerCase())));
  }
  return judgeCodeOwners(rules, paths, countingApprovers(state), teams);
}

export {
  CODEOWNERS_PATHS,
  STATUS_CONTEXT,
  runChangeControl
};
