/**
 * advance(snapshot): for every target of `main` with a `_rollout` plan, gather the facts (holds,
 * freeze windows, open pull requests, what AppConfig runs, the bake's verdict) and act on the pure
 * decision: propose the next step as a pull request through the same edit path the operator
 * commands use, labelled `flagops:advance`, optionally merged once allowed (`auto_merge`).
 */
import { gitHubVerificationStore, verificationProvider } from '../acceptance/record.ts';
import { IN_FLIGHT } from '../aws/appconfig.ts';
import { clockDisagreement } from '../core/clock.ts';
import { EXIT, Failure } from '../core/failure.ts';
import { ADVANCE_LABEL } from '../core/names.ts';
import { targetId } from '../core/target.ts';
import { changeBranch, editAsPullRequest } from '../edit/change.ts';
import { removeRollout, rolloutStep } from '../edit/rollout-plan.ts';
import type { GitHubApi, RepoRef } from '../github/api.ts';
import type { Octokit } from '../github/octokit.ts';
import type { Application, Target } from '../model/types.ts';
import { compileSnapshot, type Snapshot } from '../pipeline/content.ts';
import type { PipelineContext } from '../pipeline/context.ts';
import type { HoldCheck } from '../pipeline/holds.ts';
import { runsContent } from '../pipeline/in-sync.ts';
import { resolveTarget } from '../pipeline/resolve.ts';
import { runningDeployment } from '../pipeline/versions.ts';
import { effectiveNumber } from '../policy/exposure.ts';
import { activeFreezeWindows } from '../policy/freeze.ts';
import { soakMinutesFor } from '../policy/soak.ts';
import { validateRepository } from '../policy/validate.ts';
import { revertBranchPrefix } from '../revert/text.ts';
import type { BakeRecordStore } from './bake-record.ts';
import { type AdvanceDecision, type AdvanceFacts, decideAdvance, describeDecision } from './decide.ts';

export interface AdvanceDeps {
  ctx: PipelineContext;
  snapshot: Snapshot;
  holds: HoldCheck;
  github?: { api: GitHubApi; octokit: Octokit; repo: RepoRef; remote: string; env?: NodeJS.ProcessEnv };
  /** The bake records (GitHub deployments of task flagops:bake): the verdicts the advancer acts on. */
  bakes?: BakeRecordStore;
  /** Only decide, change nothing. */
  dryRun?: boolean;
  environment?: string;
}

export interface AdvanceOutcome {
  target: string;
  decision: AdvanceDecision;
  /** What was done: the pull request opened, merged, or nothing. */
  action: 'none' | 'opened' | 'merged';
  pullRequest?: { number: number; url: string };
  message: string;
}

export async function advanceAll(deps: AdvanceDeps): Promise<AdvanceOutcome[]> {
  const out: AdvanceOutcome[] = [];
  for (const target of deps.snapshot.repo.targets) {
    if (!target.rollout) continue;
    if (deps.environment && target.environment !== deps.environment) continue;
    const app = deps.snapshot.repo.applications[target.application];
    if (!app) continue;
    out.push(await advanceOne(deps, app, target));
  }
  return out;
}

/**
 * Someone's open pull request changing the target's values file from any branch (a person's own
 * branch, not only the operator commands' one); revert branches are holds, judged as such.
 */
async function openChangeTouching(
  pulls: GitHubApi['pulls'],
  target: Target,
): Promise<{ number: number; url: string } | undefined> {
  const candidates = (await pulls.listOpen())
    .filter((p) => !p.headRef.startsWith(revertBranchPrefix(target)))
    .sort((a, b) => a.number - b.number);
  for (const p of candidates)
    if ((await pulls.listFiles(p.number)).includes(target.file)) return { number: p.number, url: p.url };
  return undefined;
}

export async function gatherFacts(
  deps: AdvanceDeps,
  app: Application,
  target: Target,
): Promise<AdvanceFacts> {
  const plan = target.rollout!;
  const env = app.environments.find((e) => e.name === target.environment);
  const now = deps.ctx.clock.now();
  const current = effectiveNumber(target, plan.flag, plan.attribute);
  const maximum = app.flags[plan.flag]?.attributes[plan.attribute]?.maximum ?? plan.target;
  const ladder = app.policy.numeric.find(
    (r) => r.flag === plan.flag && r.attribute === plan.attribute,
  )?.ladder;
  const dwell = Math.max(
    plan.waitMinutes,
    app.policy.dwellMinutes[target.environment] ?? 0,
    soakMinutesFor(env, current, maximum),
  );
  const facts: AdvanceFacts = {
    target: targetId(target),
    plan,
    current,
    ...(ladder ? { ladder } : {}),
    now,
    bakeMinutes: env?.bakeMinutes ?? 0,
    dwellMinutes: dwell,
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
  if (running && (await runsContent(deps.ctx, t, running, wanted))) {
    const deployedAt = running.completedAt ?? now;
    const disagreement = clockDisagreement(`deployment ${running.number}'s completion`, deployedAt, now);
    if (disagreement) throw new Failure(`${targetId(target)}: ${disagreement}`, EXIT.usage);
    facts.deployedAt = deployedAt;
    facts.deploymentNumber = running.number;
    // The bake's verdict as its job recorded it — not re-judged here — and only when the record is of
    // the deployment AppConfig runs (same number, same content), so no other record can stand in.
    const record = deps.bakes ? await deps.bakes.latest(target) : undefined;
    if (
      record &&
      record.deploymentNumber === running.number &&
      record.contentHash === wanted.sha256.slice(0, 16)
    )
      facts.bake = { verdict: record.verdict, until: record.window.to };
  }
  return facts;
}

async function advanceOne(deps: AdvanceDeps, app: Application, target: Target): Promise<AdvanceOutcome> {
  const facts = await gatherFacts(deps, app, target);
  const decision = decideAdvance(facts);
  const base = { target: facts.target, decision, message: describeDecision(decision) };
  const env = app.environments.find((e) => e.name === target.environment);
  if (decision.kind === 'proposed') {
    if (!deps.dryRun && env?.autoMerge && deps.github) return await tryMerge(deps, base, decision);
    return { ...base, action: 'none', pullRequest: { number: decision.number, url: decision.url } };
  }
  if (decision.kind !== 'propose' || deps.dryRun || !deps.github) return { ...base, action: 'none' };

  const gh = deps.github;
  const plan = target.rollout!;
  const environments = app.acceptance ? [target.environment] : [];
  const verification =
    environments.length > 0
      ? await verificationProvider(gitHubVerificationStore(gh.octokit, gh.repo), environments)
      : undefined;
  const now = new Date(facts.now);
  const notes = [
    `Rollout plan: ${plan.flag}.${plan.attribute} to ${plan.target} in steps of ${plan.step}, ${facts.dwellMinutes} healthy minutes apart.`,
    decision.finish && decision.next === facts.current
      ? 'The target is reached: this removes the plan.'
      : `Next step: ${facts.current} → ${decision.next}${decision.finish ? ' (the target; the plan is removed with it)' : ''}.`,
    `Evidence: the current step (deployment ${facts.deploymentNumber ?? 'n/a'}) has run since ${new Date(facts.deployedAt ?? facts.now).toISOString()}; recorded bake verdict \`${facts.bake?.verdict ?? 'n/a'}\`${facts.bake ? ` (window to ${new Date(facts.bake.until).toISOString()})` : ''}.`,
    'Proposed by `flagops advance`; approvals apply as to any change.',
  ];
  const outcome = await editAsPullRequest(
    {
      application: target.application,
      environment: target.environment,
      profile: target.profile,
      file: target.file,
      apply: (text) => {
        // The plan's own flag and attribute: the one the decision judged (facts.current).
        const stepped =
          decision.next === facts.current
            ? text
            : rolloutStep(text, plan.flag, plan.attribute, decision.next);
        return decision.finish ? removeRollout(stepped) : stepped;
      },
      invocation: `flagops advance --environment ${target.environment}`,
      notes,
    },
    {
      remote: gh.remote,
      github: gh.api,
      validate: (head, b) => validateRepository(head, b, now, verification ? { verification } : {}),
      ...(gh.env ? { env: gh.env } : {}),
    },
  );
  await gh.api.labels.add(outcome.pullRequest.number, [ADVANCE_LABEL]);
  const opened = {
    ...base,
    action: 'opened' as const,
    pullRequest: { number: outcome.pullRequest.number, url: outcome.pullRequest.url },
    message: `${describeDecision(decision)} — opened pull request #${outcome.pullRequest.number}`,
  };
  if (env?.autoMerge)
    return await tryMerge(deps, opened, {
      kind: 'proposed',
      number: outcome.pullRequest.number,
      url: outcome.pullRequest.url,
      reason: '',
    });
  return opened;
}

/** `auto_merge`: ask GitHub to merge; branch protection and change control still decide. */
async function tryMerge(
  deps: AdvanceDeps,
  base: Omit<AdvanceOutcome, 'action'>,
  proposal: Extract<AdvanceDecision, { kind: 'proposed' }>,
): Promise<AdvanceOutcome> {
  const gh = deps.github!;
  try {
    await gh.octokit.rest.pulls.merge({ ...gh.repo, pull_number: proposal.number, merge_method: 'merge' });
    return {
      ...base,
      action: 'merged',
      pullRequest: { number: proposal.number, url: proposal.url },
      message: `merged pull request #${proposal.number} (auto_merge)`,
    };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      action: 'none',
      pullRequest: { number: proposal.number, url: proposal.url },
      message: `${base.message}; not merged yet: ${why}`,
    };
  }
}
