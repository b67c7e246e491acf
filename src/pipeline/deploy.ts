/**
 * deploy(target): the content `main` compiles to, running in the environment — or a clear reason
 * why not. Idempotent (README promise 3): identical content already running is a no-op; a hosted version
 * left by an interrupted run is reused; a deployment of this very version still in flight is
 * adopted rather than started again. Serialised (README promise 4): another deployment in the environment
 * is waited for, then `main` is read again so only the newest content is deployed.
 */

import { type DeploymentInfo, type HostedVersionInfo, IN_FLIGHT } from '../aws/appconfig.ts';
import { AwsProblem } from '../aws/errors.ts';
import { type TargetRef, targetId } from '../core/target.ts';
import { type ContentProvider, compileSnapshot, type TargetContent } from './content.ts';
import { type PipelineContext, PipelineError, say } from './context.ts';
import type { HoldCheck } from './holds.ts';
import { labelNamesContent, runsContent, type WantedContent } from './in-sync.ts';
import { type ResolvedTarget, resolveStrategyId, resolveTarget } from './resolve.ts';
import { runningDeployment, versionDescription, versionLabel } from './versions.ts';
import { isTransient, waitForDeployment } from './wait.ts';

export interface VersionRef {
  number: number;
  label?: string;
}

export type DeployResult =
  | { status: 'held'; reason: string; url?: string }
  | { status: 'unchanged'; resolved: ResolvedTarget; content: TargetContent; running: VersionRef }
  | {
      status: 'started';
      resolved: ResolvedTarget;
      content: TargetContent;
      deployment: DeploymentInfo;
      version: VersionRef;
      previous?: VersionRef;
      /** True when a deployment of this version was already in flight (an interrupted run). */
      adopted: boolean;
    };

export interface DeployOptions {
  content: ContentProvider;
  holds: HoldCheck;
  /** Hook for tests and the demo: called after each step (`version-ready`, `started`). */
  onStep?: (step: 'version-ready' | 'started') => void | Promise<void>;
}

/** Rounds of wait → re-read → start before giving up on a busy environment. */
const MAX_ROUNDS = 20;
const CREATE_ATTEMPTS = 4;

export async function deploy(
  ctx: PipelineContext,
  ref: TargetRef,
  options: DeployOptions,
): Promise<DeployResult> {
  const id = targetId(ref);
  // Promise 6, asked once: a held target is refused below — unless the content already runs.
  const hold = await options.holds.check(ref);

  let content = compileSnapshot(await options.content(), ref);
  const resolved = await resolveTarget(ctx.aws, ref);
  const envDef = content.app.environments.find((e) => e.name === ref.environment);
  if (!envDef)
    throw new PipelineError(
      `environment ${ref.environment} is not declared in ${content.app.dir}/app.yaml`,
      2,
    );
  const strategyId = await resolveStrategyId(ctx.aws, content.app, envDef);
  const { application, environment, profile } = resolved;

  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const deployments = await ctx.aws.appconfig.listDeployments(application.id, environment.id);
    const inFlight = deployments.find((d) => IN_FLIGHT.has(d.state));
    const running = runningDeployment(deployments, profile.name);
    const previous = running ? toRef(running) : undefined;

    if (
      inFlight &&
      inFlight.profileName === profile.name &&
      labelNamesContent(inFlight.versionLabel, content.document.sha256)
    ) {
      say(ctx, id, {
        kind: 'info',
        message: `deployment ${inFlight.number} of this content is already in flight; following it`,
      });
      const deployment = await ctx.aws.appconfig.getDeployment(
        application.id,
        environment.id,
        inFlight.number,
      );
      const before = runningDeployment(
        deployments.filter((d) => d.number < inFlight.number),
        profile.name,
      );
      return started(resolved, content, deployment, before ? toRef(before) : undefined, true);
    }
    if (inFlight) {
      say(ctx, id, {
        kind: 'info',
        message: `environment busy: deployment ${inFlight.number} (${inFlight.profileName ?? 'another profile'}) is ${inFlight.state}; waiting for it`,
      });
      const waited = await waitForDeployment(ctx, resolved, inFlight, {
        timeoutMs: ctx.settings.inFlightWaitMs,
        label: `waiting for deployment ${inFlight.number}`,
      });
      if (!waited.settled) {
        throw new PipelineError(
          `deployment ${inFlight.number} in ${id.split('/').slice(0, 2).join('/')} is still ${waited.deployment.state} after ${Math.round(ctx.settings.inFlightWaitMs / 60_000)} minutes; re-run once it has finished (or stop it)`,
          3,
        );
      }
      content = await reread(ctx, id, content, options.content, ref);
      continue;
    }
    if (running && (await runsContent(ctx, resolved, running, wantedOf(content)))) {
      say(ctx, id, {
        kind: 'info',
        message: `nothing to do: version ${running.version}${running.versionLabel ? ` (${running.versionLabel})` : ''} already runs this content`,
      });
      return { status: 'unchanged', resolved, content, running: toRef(running) };
    }
    if (hold.held) {
      say(ctx, id, { kind: 'warning', message: `held, not deploying: ${hold.reason}` });
      return { status: 'held', reason: hold.reason, ...(hold.url ? { url: hold.url } : {}) };
    }

    const version = await ensureVersion(ctx, resolved, content);
    await options.onStep?.('version-ready');

    // README promise 4: what `main` says right now, not what it said when this run began.
    const fresh = await reread(ctx, id, content, options.content, ref);
    if (short(fresh) !== short(content)) {
      content = fresh;
      continue;
    }

    try {
      const deployment = await ctx.aws.appconfig.startDeployment(application.id, environment.id, {
        profileId: profile.id,
        strategyId,
        version: String(version.versionNumber),
        description: versionDescription(id, content.commit),
        label: version.versionLabel,
      });
      say(ctx, id, {
        kind: 'info',
        message: `started deployment ${deployment.number}: version ${version.versionNumber} (${version.versionLabel}) with ${envDef.strategy}${previous ? `, replacing version ${previous.number}` : ''}`,
      });
      await options.onStep?.('started');
      return started(resolved, content, deployment, previous, false);
    } catch (error) {
      // Another run started first (or our own start succeeded and its reply was lost): look again.
      if (error instanceof AwsProblem && (error.kind === 'conflict' || isTransient(error))) {
        say(ctx, id, {
          kind: 'info',
          message: `could not start yet (${error.code}); checking the environment again`,
        });
        continue;
      }
      throw error;
    }
  }
  throw new PipelineError(
    `gave up after ${MAX_ROUNDS} attempts to start a deployment in a busy environment; re-run`,
    3,
  );
}

function started(
  resolved: ResolvedTarget,
  content: TargetContent,
  deployment: DeploymentInfo,
  previous: VersionRef | undefined,
  adopted: boolean,
): DeployResult {
  return {
    status: 'started',
    resolved,
    content,
    deployment,
    version: {
      number: Number(deployment.version),
      ...(deployment.versionLabel ? { label: deployment.versionLabel } : {}),
    },
    ...(previous ? { previous } : {}),
    adopted,
  };
}

async function reread(
  ctx: PipelineContext,
  id: string,
  current: TargetContent,
  provider: ContentProvider,
  ref: TargetRef,
): Promise<TargetContent> {
  const fresh = compileSnapshot(await provider(), ref);
  if (short(fresh) !== short(current)) {
    say(ctx, id, {
      kind: 'info',
      message: `main moved on: deploying the newest content (commit ${fresh.commit.sha.slice(0, 12)}) instead of commit ${current.commit.sha.slice(0, 12)}`,
    });
  }
  return fresh;
}

/** The hosted version for this content and commit: found by label, or created (once). */
async function ensureVersion(
  ctx: PipelineContext,
  t: ResolvedTarget,
  content: TargetContent,
): Promise<HostedVersionInfo & { versionLabel: string }> {
  const label = versionLabel(content.commit.sha, content.document.sha256);
  for (let attemptNo = 1; ; attemptNo += 1) {
    const existing = await ctx.aws.appconfig.findHostedVersions(t.application.id, t.profile.id, label);
    const newest = existing.sort((a, b) => b.versionNumber - a.versionNumber)[0];
    if (newest) {
      say(ctx, t.id, {
        kind: 'info',
        message: `reusing hosted version ${newest.versionNumber} (${label}) left by an earlier run`,
      });
      return { ...newest, versionLabel: label };
    }
    try {
      const created = await ctx.aws.appconfig.createHostedVersion(t.application.id, t.profile.id, {
        content: content.document.content,
        contentType: content.document.contentType,
        label,
        description: versionDescription(t.id, content.commit),
      });
      say(ctx, t.id, {
        kind: 'info',
        message: `created hosted version ${created.versionNumber} (${label}, ${content.document.size} bytes)`,
      });
      return { ...created, versionLabel: label };
    } catch (error) {
      // The create may have happened even though the reply failed: the next round looks it up first.
      if (!isTransient(error) || attemptNo >= CREATE_ATTEMPTS) throw error;
      say(ctx, t.id, {
        kind: 'warning',
        message: `creating the hosted version failed, retrying: ${(error as Error).message}`,
      });
      await ctx.clock.sleep(ctx.settings.deployPollMinMs * attemptNo);
    }
  }
}

/** What runsContent compares a deployment with. */
export function wantedOf(content: TargetContent): WantedContent {
  return { sha256: content.document.sha256, profileType: content.target.profileType };
}

function short(content: TargetContent): string {
  return content.document.sha256.slice(0, 16);
}

export function toRef(d: DeploymentInfo): VersionRef {
  return { number: Number(d.version), ...(d.versionLabel ? { label: d.versionLabel } : {}) };
}
