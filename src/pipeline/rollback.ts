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
import { type PipelineContext, PipelineError, say } from './context.ts';
import { toRef, type VersionRef } from './deploy.ts';
import type { ResolvedTarget } from './resolve.ts';
import { runningDeployment } from './versions.ts';
import { waitForDeployment } from './wait.ts';

export const REVERT_WINDOW_MS = 72 * 60 * 60_000;
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
  /** Epoch ms on the pipeline's clock when the rollback ended (what a revert pull request names). */
  at: number;
}

export interface RollbackOptions {
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
  const previous = before ? toRef(before) : undefined;
  let target = await ctx.aws.appconfig.getDeployment(application.id, environment.id, targetSummary.number);
  let action: RollbackAction;
  let redeployNumber: number | undefined;

  say(ctx, t.id, {
    kind: 'warning',
    message: `rolling back deployment ${target.number} (${target.state}) to ${previous ? `version ${previous.number}` : 'nothing'}${why ? ` — ${why}` : ''}`,
  });

  if (target.state === 'ROLLED_BACK' || target.state === 'REVERTED') {
    action = 'already-rolled-back';
  } else if (target.state === 'ROLLING_BACK') {
    target = await settle(ctx, t, target, timeoutMs);
    action = 'already-rolled-back';
  } else if (target.state !== 'COMPLETE') {
    target = await stop(ctx, t, target.number, false);
    target = await settle(ctx, t, target, timeoutMs);
    action = 'stopped';
  } else if (target.completedAt !== undefined && ctx.clock.now() - target.completedAt < REVERT_WINDOW_MS) {
    try {
      target = await stop(ctx, t, target.number, true);
      target = await settle(ctx, t, target, timeoutMs);
      action = 'reverted';
    } catch (error) {
      // AppConfig decides the 72 h window by its own clock; past it, redeploy instead.
      if (!(error instanceof AwsProblem && error.kind === 'invalid')) throw error;
      redeployNumber = await redeploy(ctx, t, previous, timeoutMs);
      action = 'redeployed';
    }
  } else {
    redeployNumber = await redeploy(ctx, t, previous, timeoutMs);
    action = 'redeployed';
  }

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
    at: ctx.clock.now(),
  };
}

async function stop(
  ctx: PipelineContext,
  t: ResolvedTarget,
  n: number,
  allowRevert: boolean,
): Promise<DeploymentInfo> {
  try {
    const d = await ctx.aws.appconfig.stopDeployment(t.application.id, t.environment.id, n, allowRevert);
    say(ctx, t.id, {
      kind: 'info',
      message: `StopDeployment ${n}${allowRevert ? ' (AllowRevert)' : ''}: ${d.state}`,
    });
    return d;
  } catch (error) {
    // A lost reply or a race with AppConfig's own rollback: what matters is the state now.
    const now = await ctx.aws.appconfig.getDeployment(t.application.id, t.environment.id, n);
    if (['ROLLING_BACK', 'ROLLED_BACK', 'REVERTED'].includes(now.state)) return now;
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
): Promise<number> {
  if (!previous) {
    throw new PipelineError(
      `deployment of ${t.id} completed more than 72 h ago and there is no earlier version to deploy; fix forward with a pull request`,
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
  return d.number;
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
