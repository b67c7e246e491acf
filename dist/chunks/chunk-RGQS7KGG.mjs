import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  changeBranch,
  editAsPullRequest,
  removeRollout,
  setPercentage
} from "./chunk-N3YVVLY2.mjs";
import {
  gitRemote
} from "./chunk-2FXE6J6X.mjs";
import {
  validateRepository
} from "./chunk-5XP62VFB.mjs";
import {
  gitHubBakeStore
} from "./chunk-DKJJ2XPZ.mjs";
import {
  gitHubVerificationStore,
  verificationProvider
} from "./chunk-UNCDWQFU.mjs";
import {
  activeFreezeWindows
} from "./chunk-CJGDFX3A.mjs";
import {
  effectiveNumber,
  soakMinutesFor
} from "./chunk-MKBKQ2QT.mjs";
import {
  gitHubHoldCheck,
  noHolds
} from "./chunk-MC4HVM52.mjs";
import {
  compileSnapshot,
  runsContent
} from "./chunk-Z3X7HJHO.mjs";
import {
  resolveTarget
} from "./chunk-4FJUIIKQ.mjs";
import {
  revertBranchPrefix
} from "./chunk-NAC7TEFE.mjs";
import {
  IN_FLIGHT
} from "./chunk-BEQOJOJR.mjs";
import {
  runningDeployment
} from "./chunk-RGNUHZZM.mjs";
import {
  gitHubFromEnv
} from "./chunk-VJ6H3ZYA.mjs";
import {
  targetId
} from "./chunk-KAJDPQA3.mjs";
import {
  ADVANCE_LABEL
} from "./chunk-S5U7UAL3.mjs";

// src/rollout/decide.ts
function nextValue(plan, current, ladder) {
  const reach = Math.min(current + plan.step, plan.target);
  if (!ladder || ladder.length === 0) return reach;
  const rungs = [...ladder].sort((a, b) => a - b).filter((v) => v > current && v <= plan.target);
  const within = rungs.filter((v) => v <= reach);
  return within.length > 0 ? within[within.length - 1] : rungs[0] ?? plan.target;
}
function decideAdvance(f) {
  if (f.hold) return { kind: "wait", reason: `held: ${f.hold}` };
  if (f.freeze && f.current < f.plan.target)
    return { kind: "wait", reason: `freeze window ${f.freeze.name}`, until: f.freeze.end };
  if (f.openChange)
    return {
      kind: "wait",
      reason: `pull request #${f.openChange.number} is open for this target; the next step waits for it`
    };
  if (f.proposal)
    return {
      kind: "proposed",
      number: f.proposal.number,
      url: f.proposal.url,
      reason: `step proposed in pull request #${f.proposal.number}; waiting for approvals and the merge`
    };
  if (f.inFlight) return { kind: "wait", reason: `deploying: ${f.inFlight}` };
  if (f.deployedAt === void 0)
    return { kind: "wait", reason: "main is not deployed yet (AppConfig serves other content)" };
  if (f.current >= f.plan.target)
    return { kind: "propose", next: f.current, finish: true, reason: `target ${f.plan.target} reached` };
  const bakeEnd = f.deployedAt + f.bakeMinutes * 6e4;
  if (f.now < bakeEnd) return { kind: "wait", reason: "baking", until: bakeEnd };
  if (!f.bake)
    return {
      kind: "wait",
      reason: `no bake of deployment ${f.deploymentNumber ?? "?"} is recorded yet (its bake job records the verdict when it ends)`
    };
  if (f.bake.verdict !== "healthy")
    return {
      kind: "wait",
      reason: `the current step's bake is ${f.bake.verdict}: a person decides (fix, or lower the percentage)`
    };
  const readyAt = f.deployedAt + Math.max(f.bakeMinutes, f.dwellMinutes) * 6e4;
  if (f.now < readyAt) return { kind: "wait", reason: `dwelling ${f.dwellMinutes} min`, until: readyAt };
  const next = nextValue(f.plan, f.current, f.ladder);
  return {
    kind: "propose",
    next,
    finish: next >= f.plan.target,
    reason: `${f.current} baked healthy and dwelt ${f.dwellMinutes} min`
  };
}
function describeDecision(d) {
  switch (d.kind) {
    case "wait":
      return `waiting${d.until !== void 0 ? ` until ${new Date(d.until).toISOString()}` : ""}: ${d.reason}`;
    case "proposed":
      return d.reason;
    case "propose":
      return d.finish && d.reason.startsWith("target") ? `finishing: ${d.reason}, removing the plan` : `proposing ${d.next}${d.finish ? " (the target; the plan is removed)" : ""}: ${d.reason}`;
  }
}

// src/rollout/advance.ts
async function advanceAll(deps) {
  const out = [];
  for (const target of deps.snapshot.repo.targets) {
    if (!target.rollout) continue;
    if (deps.environment && target.environment !== deps.environment) continue;
    const app = deps.snapshot.repo.applications[target.application];
    if (!app) continue;
    out.push(await advanceOne(deps, app, target));
  }
  return out;
}
async function openChangeTouching(pulls, target) {
  const candidates = (await pulls.listOpen()).filter((p) => !p.headRef.startsWith(revertBranchPrefix(target))).sort((a, b) => a.number - b.number);
  for (const p of candidates)
    if ((await pulls.listFiles(p.number)).includes(target.file)) return { number: p.number, url: p.url };
  return void 0;
}
async function gatherFacts(deps, app, target) {
  const plan = target.rollout;
  const env = app.environments.find((e) => e.name === target.environment);
  const now = deps.ctx.clock.now();
  const current = effectiveNumber(target, plan.flag, plan.attribute);
  const maximum = app.flags[plan.flag]?.attributes[plan.attribute]?.maximum ?? plan.target;
  const ladder = app.policy.numeric.find(
    (r) => r.flag === plan.flag && r.attribute === plan.attribute
  )?.ladder;
  const dwell = Math.max(
    plan.waitMinutes,
    app.policy.dwellMinutes[target.environment] ?? 0,
    soakMinutesFor(env, current, maximum)
  );
  const facts = {
    target: targetId(target),
    plan,
    current,
    ...ladder ? { ladder } : {},
    now,
    bakeMinutes: env?.bakeMinutes ?? 0,
    dwellMinutes: dwell
  };
  const hold = await deps.holds.check(target);
  if (hold.held) facts.hold = hold.reason;
  const freeze = activeFreezeWindows(app.policy.freezeWindows, target.environment, new Date(now))[0];
  if (freeze) facts.freeze = { name: freeze.name, end: Date.parse(freeze.end) };
  if (deps.github) {
    const open = await deps.github.api.pulls.findOpenByHead(changeBranch(target));
    if (open?.labels.includes(ADVANCE_LABEL)) facts.proposal = { number: open.number, url: open.url };
    else if (open) facts.openChange = { number: open.number, url: open.url };
    else {
      const other = await openChangeTouching(deps.github.api.pulls, target);
      if (other) facts.openChange = other;
    }
  }
  const compiled = compileSnapshot(deps.snapshot, target);
  const t = await resolveTarget(deps.ctx.aws, target);
  const deployments = await deps.ctx.aws.appconfig.listDeployments(t.application.id, t.environment.id);
  const inFlight = deployments.find((d) => IN_FLIGHT.has(d.state));
  if (inFlight) facts.inFlight = `deployment ${inFlight.number} is ${inFlight.state}`;
  const running = runningDeployment(deployments, t.profile.name);
  const wanted = { sha256: compiled.document.sha256, profileType: compiled.target.profileType };
  if (running && await runsContent(deps.ctx, t, running, wanted)) {
    const deployedAt = running.completedAt ?? now;
    facts.deployedAt = deployedAt;
    facts.deploymentNumber = running.number;
    const record = deps.bakes ? await deps.bakes.latest(target) : void 0;
    if (record && record.deploymentNumber === running.number && record.contentHash === wanted.sha256.slice(0, 16))
      facts.bake = { verdict: record.verdict, until: record.window.to };
  }
  return facts;
}
async function advanceOne(deps, app, target) {
  const facts = await gatherFacts(deps, app, target);
  const decision = decideAdvance(facts);
  const base = { target: facts.target, decision, message: describeDecision(decision) };
  const env = app.environments.find((e) => e.name === target.environment);
  if (decision.kind === "proposed") {
    if (!deps.dryRun && env?.autoMerge && deps.github) return await tryMerge(deps, base, decision);
    return { ...base, action: "none", pullRequest: { number: decision.number, url: decision.url } };
  }
  if (decision.kind !== "propose" || deps.dryRun || !deps.github) return { ...base, action: "none" };
  const gh = deps.github;
  const plan = target.rollout;
  const environments = app.acceptance ? [target.environment] : [];
  const verification = environments.length > 0 ? await verificationProvider(gitHubVerificationStore(gh.octokit, gh.repo), environments) : void 0;
  const now = new Date(facts.now);
  const notes = [
    `Rollout plan: ${plan.flag}.${plan.attribute} to ${plan.target} in steps of ${plan.step}, ${facts.dwellMinutes} healthy minutes apart.`,
    decision.finish && decision.next === facts.current ? "The target is reached: this removes the plan." : `Next step: ${facts.current} → ${decision.next}${decision.finish ? " (the target; the plan is removed with it)" : ""}.`,
    `Evidence: the current step (deployment ${facts.deploymentNumber ?? "n/a"}) has run since ${new Date(facts.deployedAt ?? facts.now).toISOString()}; recorded bake verdict \`${facts.bake?.verdict ?? "n/a"}\`${facts.bake ? ` (window to ${new Date(facts.bake.until).toISOString()})` : ""}.`,
    "Proposed by `flagops advance`; approvals apply as to any change."
  ];
  const outcome = await editAsPullRequest(
    {
      application: target.application,
      environment: target.environment,
      profile: target.profile,
      file: target.file,
      apply: (text) => {
        const stepped = decision.next === facts.current ? text : setPercentage(text, decision.next);
        return decision.finish ? removeRollout(stepped) : stepped;
      },
      invocation: `flagops advance --environment ${target.environment}`,
      notes
    },
    {
      remote: gh.remote,
      github: gh.api,
      validate: (head, b) => validateRepository(head, b, now, verification ? { verification } : {}),
      ...gh.env ? { env: gh.env } : {}
    }
  );
  await gh.api.labels.add(outcome.pullRequest.number, [ADVANCE_LABEL]);
  const opened = {
    ...base,
    action: "opened",
    pullRequest: { number: outcome.pullRequest.number, url: outcome.pullRequest.url },
    message: `${describeDecision(decision)} — opened pull request #${outcome.pullRequest.number}`
  };
  if (env?.autoMerge)
    return await tryMerge(deps, opened, {
      kind: "proposed",
      number: outcome.pullRequest.number,
      url: outcome.pullRequest.url,
      reason: ""
    });
  return opened;
}
async function tryMerge(deps, base, proposal) {
  const gh = deps.github;
  try {
    await gh.octokit.rest.pulls.merge({ ...gh.repo, pull_number: proposal.number, merge_method: "merge" });
    return {
      ...base,
      action: "merged",
      pullRequest: { number: proposal.number, url: proposal.url },
      message: `merged pull request #${proposal.number} (auto_merge)`
    };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      action: "none",
      pullRequest: { number: proposal.number, url: proposal.url },
      message: `${base.message}; not merged yet: ${why}`
    };
  }
}

// src/runtime/advance.ts
function hasGitHub(env) {
  return Boolean((env["GITHUB_TOKEN"] || env["GH_TOKEN"]) && env["GITHUB_REPOSITORY"]);
}
function advanceDepsFromEnv(env, run) {
  const gh = hasGitHub(env) ? gitHubFromEnv(env) : void 0;
  const remote = gh ? gitRemote(run.root, env) : void 0;
  return {
    ctx: run.ctx,
    snapshot: run.snapshot,
    holds: gh ? gitHubHoldCheck(gh.api.pulls) : noHolds,
    ...gh ? { bakes: gitHubBakeStore(gh.octokit, gh.api.repo) } : {},
    ...gh && remote ? {
      github: {
        api: gh.api,
        octokit: gh.octokit,
        repo: gh.api.repo,
        remote: remote.url,
        env: remote.env
      }
    } : {},
    dryRun: run.dryRun,
    ...run.environment ? { environment: run.environment } : {}
  };
}

export {
  advanceAll,
  hasGitHub,
  advanceDepsFromEnv
};
