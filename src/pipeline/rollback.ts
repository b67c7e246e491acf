/**
 * rollback(target, evidence): put the previous version back, by the gentlest means that works,
 * and check the environment really serves it again. Never blocked by policy (README promise 5) and
 * idempotent: a deployment already rolled back or reverted only gets verified.
 *
 * - in flight (VALIDATING, DEPLOYING, BAKING) → StopDeployment → ROLLED_BACK;
 * - ROLLING_BACK → wait for it;
 * - COMPLETE less than 72 h ago → StopDeployment with AllowRevert → REVERTED;
 * - COMPLETE longer ago → deploy the previous version with AppConfig.AllAtOnce.
 */
import type { DeploymentInfo } from '../aws/appconfig.ts';
import { AwsProblem } from '../aws/errors.ts';
import { type Breach, describeBreach } from '../guards/verdict.ts';
import { rollbackMethod } from '../release/decide.ts';
import { type PipelineContext, PipelineError, say } from './context.ts';
import { toRef, type VersionRef } from './deploy.ts';
import type { ResolvedTarget } from './resolve.ts';
import { runningDeployment } from './versions.ts';
import { waitForDeployment } from './wait.ts';

const ROLLBACK_STRATEGY = 'AppConfig.AllAtOnce';

export type RollbackAction =
  | 'stopped'
  | 'reverted'
  | 'redeployed'
  | 'already-rolled-back'
  | 'nothing-deployed';

export interface RollbackResult {
  action: RollbackAction;
  /** The deployment that was undone. */
  deploymentNumber?: number;
  /** A redeploy of the previous version creates a deployment of its own. */
  redeployNumber?: number;
  /** What the environment runs afterwards (undefined: nothing, it was the first deployment). */
  serving?: VersionRef;
  /** The environment was checked to serve `serving` again. */
  verified: boolean;
  /**
   * When the rollback took effect, as AppConfig recorded it (epoch ms): the undone deployment's
   * ROLLBACK_COMPLETED or REVERT_COMPLETED event, or a redeploy's completion. What a revert pull
   * request and the release record name, so they agree with AppConfig's own event log and with an
   * adopted rollback (whose time is AppConfig's too). The pipeline's clock only where AppConfig
   * records no time (nothing was deployed).
   */
  at: number;
  /**
   * Someone else rolled the deployment back first (another job, a person, AppConfig's own monitor):
   * this run adopted their rollback instead of failing. Who, as AppConfig's event says
   * (`USER`, `APPCONFIG`, `CLOUDWATCH_ALARM`, `INTERNAL_ERROR`), and its description.
   */
  adopted?: { by: string; description?: string };
}

/**
 * Git's content of the target from before the bad change, ready to deploy: the rollback target
 * when AppConfig ran no earlier version (a target's first deployment), since git holds what ran
 * before the change. Undefined: git had no such content either.
 */
export interface PriorContent {
  content: Buffer;
  contentType: string;
  label: string;
  description: string;
}

export type PriorContentLookup = (badLabel: string | undefined) => Promise<PriorContent | undefined>;

export interface RollbackOptions {
  /** Git's pre-change content, asked only when AppConfig has no earlier version to go back to. */
  prior?: PriorContentLookup;
  evidence: Breach[];
  reason?: string;
  /** Undo this deployment; default: the profile's newest deployment. */
  deploymentNumber?: number;
  /** Longest wait for the rollback to settle (default 30 min). */
  timeoutMs?: number;
}

export async function rollback(
  ctx: PipelineContext,
  t: ResolvedTarget,
  options: RollbackOptions,
): Promise<RollbackResult> {
  const { application, environment, profile } = t;
  const why = options.reason ?? options.evidence.map(describeBreach).join('; ');
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const deployments = (await ctx.aws.appconfig.listDeployments(application.id, environment.id)).sort(
    (a, b) => b.number - a.number,
  );
  const ours = deployments.filter((d) => d.profileName === profile.name);
  const targetSummary =
    options.deploymentNumber !== undefined
      ? ours.find((d) => d.number === options.deploymentNumber)
      : ours[0];
  if (!targetSummary) {
    say(ctx, t.id, { kind: 'info', message: 'nothing to roll back: no deployment of this profile' });
    return { action: 'nothing-deployed', verified: true, at: ctx.clock.now() };
  }
  const before = runningDeployment(
    ours.filter((d) => d.number < targetSummary.number),
    profile.name,
  );
  let target = await ctx.aws.appconfig.getDeployment(application.id, environment.id, targetSummary.number);
  // A first deployment that completed: nothing ran before in AppConfig, but git says what did.
  const fromGit =
    !before && target.state === 'COMPLETE' && options.prior
      ? await priorVersion(ctx, t, await options.prior(target.versionLabel))
      : undefined;
  const previous = before ? toRef(before) : fromGit;
  let action: RollbackAction;
  let redeployNumber: number | undefined;
  let redeployedAt: number | undefined;

  say(ctx, t.id, {
    kind: 'warning',
    message: `rolling back deployment ${target.number} (${target.state}) to ${previous ? `version ${previous.number}` : 'nothing'}${why ? ` — ${why}` : ''}`,
  });

  let adopted = false;
  // How to undo it is decide's (src/release/decide.ts); this shell only acts.
  const method = rollbackMethod(target, { fromGit: fromGit !== undefined }, ctx.clock.now());
  if (method === 'adopt') {
    action = 'already-rolled-back';
    adopted = true;
  } else if (method === 'wait') {
    target = await settle(ctx, t, target, timeoutMs);
    action = 'already-rolled-back';
    adopted = true;
  } else if (method === 'stop') {
    const stopped = await stop(ctx, t, target.number, false);
    target = await settle(ctx, t, stopped.deployment, timeoutMs);
    action = stopped.ours ? 'stopped' : 'already-rolled-back';
    adopted = !stopped.ours;
  } else if (method === 'redeploy-git') {
    ({ number: redeployNumber, completedAt: redeployedAt } = await redeploy(ctx, t, fromGit, timeoutMs));
    action = 'redeployed';
  } else if (method === 'revert') {
    try {
      const stopped = await stop(ctx, t, target.number, true);
      target = await settle(ctx, t, stopped.deployment, timeoutMs);
      action = stopped.ours ? 'reverted' : 'already-rolled-back';
      adopted = !stopped.ours;
    } catch (error) {
      // AppConfig decides the 72 h window by its own clock; past it, redeploy instead.
      if (!(error instanceof AwsProblem && error.kind === 'invalid')) throw error;
      ({ number: redeployNumber, completedAt: redeployedAt } = await redeploy(ctx, t, previous, timeoutMs));
      action = 'redeployed';
    }
  } else {
    ({ number: redeployNumber, completedAt: redeployedAt } = await redeploy(ctx, t, previous, timeoutMs));
    action = 'redeployed';
  }

  const adoption = adopted ? whoRolledBack(target) : undefined;
  if (adoption)
    say(ctx, t.id, {
      kind: 'info',
      message: `deployment ${target.number} was already rolled back by ${adoption.by}${adoption.description ? ` (${adoption.description})` : ''}: adopting that rollback`,
    });
  const verified = await verify(ctx, t, previous);
  say(ctx, t.id, {
    kind: verified ? 'info' : 'warning',
    message: verified
      ? `rolled back: ${t.ref.environment} serves ${previous ? `version ${previous.number}${previous.label ? ` (${previous.label})` : ''}` : 'no configuration'} again`
      : `rollback finished but the environment does not serve version ${previous?.number} yet; check \`flagops status\``,
  });
  return {
    action,
    deploymentNumber: target.number,
    ...(redeployNumber !== undefined ? { redeployNumber } : {}),
    ...(previous ? { serving: previous } : {}),
    verified,
    at: (action === 'redeployed' ? redeployedAt : undoneAt(target)) ?? ctx.clock.now(),
    ...(adoption ? { adopted: adoption } : {}),
  };
}

/** A hosted version of git's pre-change content: found by its label (a re-run), else created. */
async function priorVersion(
  ctx: PipelineContext,
  t: ResolvedTarget,
  prior: PriorContent | undefined,
): Promise<VersionRef | undefined> {
  if (!prior) return undefined;
  const existing = await ctx.aws.appconfig.findHostedVersions(t.application.id, t.profile.id, prior.label);
  const newest = existing.sort((a, b) => b.versionNumber - a.versionNumber)[0];
  const version =
    newest ??
    (await ctx.aws.appconfig.createHostedVersion(t.application.id, t.profile.id, {
      content: prior.content,
      contentType: prior.contentType,
      label: prior.label,
      description: prior.description,
    }));
  say(ctx, t.id, {
    kind: 'info',
    message: `no earlier version ran in AppConfig: rolling back to git's content from before the change, version ${version.versionNumber} (${prior.label})`,
  });
  return { number: version.versionNumber, label: prior.label };
}

/** When AppConfig finished undoing a deployment: its newest rollback or revert event, else its completion. */
function undoneAt(d: DeploymentInfo): number | undefined {
  const event = d.events.find((e) => ['ROLLBACK_COMPLETED', 'REVERT_COMPLETED'].includes(e.type) && e.at > 0);
  if (event) return event.at;
  return ['ROLLED_BACK', 'REVERTED'].includes(d.state) ? d.completedAt : undefined;
}

/** Who rolled a deployment back, from AppConfig's own event log (newest first). */
function whoRolledBack(d: DeploymentInfo): { by: string; description?: string } {
  const event = d.events.find((e) =>
    ['ROLLBACK_STARTED', 'ROLLBACK_COMPLETED', 'REVERT_COMPLETED'].includes(e.type),
  );
  return {
    by: event?.triggeredBy ?? 'someone else',
    ...(event?.description ? { description: event.description } : {}),
  };
}

async function stop(
  ctx: PipelineContext,
  t: ResolvedTarget,
  n: number,
  allowRevert: boolean,
): Promise<{ deployment: DeploymentInfo; ours: boolean }> {
  try {
    const d = await ctx.aws.appconfig.stopDeployment(t.application.id, t.environment.id, n, allowRevert);
    say(ctx, t.id, {
      kind: 'info',
      message: `StopDeployment ${n}${allowRevert ? ' (AllowRevert)' : ''}: ${d.state}`,
    });
    return { deployment: d, ours: true };
  } catch (error) {
    // A race with another rollback (a job, a person, AppConfig's own monitor) or a lost reply:
    // what matters is the state now. Refused but rolled back: someone else's rollback, adopted.
    const now = await ctx.aws.appconfig.getDeployment(t.application.id, t.environment.id, n);
    if (['ROLLING_BACK', 'ROLLED_BACK', 'REVERTED'].includes(now.state))
      return { deployment: now, ours: false };
    throw error;
  }
}

async function settle(ctx: PipelineContext, t: ResolvedTarget, d: DeploymentInfo, timeoutMs: number) {
  const waited = await waitForDeployment(ctx, t, d, {
    timeoutMs,
    label: `rollback of deployment ${d.number}`,
  });
  if (!waited.settled) {
    throw new PipelineError(
      `deployment ${d.number} is still ${waited.deployment.state} after the rollback was requested; check the AppConfig console`,
      3,
    );
  }
  return waited.deployment;
}

async function redeploy(
  ctx: PipelineContext,
  t: ResolvedTarget,
  previous: VersionRef | undefined,
  timeoutMs: number,
): Promise<{ number: number; completedAt: number | undefined }> {
  if (!previous) {
    throw new PipelineError(
      `AppConfig cannot revert the deployment of ${t.id}, and there is nothing to go back to: no earlier version ran in AppConfig and git has no content of the target from before the change; fix forward with a pull request`,
    );
  }
  const d = await ctx.aws.appconfig.startDeployment(t.application.id, t.environment.id, {
    profileId: t.profile.id,
    strategyId: ROLLBACK_STRATEGY,
    version: String(previous.number),
    description: `flagops rollback: redeploying version ${previous.number}`,
    ...(previous.label ? { label: previous.label } : {}),
  });
  say(ctx, t.id, {
    kind: 'info',
    message: `deployment ${d.number}: redeploying version ${previous.number} with ${ROLLBACK_STRATEGY}`,
  });
  const done = await settle(ctx, t, d, timeoutMs);
  if (done.state !== 'COMPLETE')
    throw new PipelineError(`redeploying version ${previous.number} ended ${done.state}`, 3);
  return { number: d.number, completedAt: done.completedAt };
}

/** The control plane's view and, where the version carries a label, what clients actually get. */
async function verify(
  ctx: PipelineContext,
  t: ResolvedTarget,
  previous: VersionRef | undefined,
): Promise<boolean> {
  const deployments = await ctx.aws.appconfig.listDeployments(t.application.id, t.environment.id);
  const running = runningDeployment(deployments, t.profile.name);
  if (!previous) return running === undefined;
  if (!running || Number(running.version) !== previous.number) return false;
  if (previous.label === undefined) return true;
  const served = await ctx.aws.served.served(t.application.name, t.environment.name, t.profile.name);
  return served.versionLabel === previous.label;
}
