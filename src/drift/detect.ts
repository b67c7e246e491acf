/**
 * drift(targets): for every target `main` declares, what AppConfig serves compared with what
 * `main` compiles to. In sync (the running version's label names main's content), deploying (a
 * deployment of main's content is in flight), held (a revert pull request is open: README promise 1's
 * allowed exception), or drifted — with the version, its label and who or what deployed it, as far
 * as AppConfig's deployment description and events tell.
 */
import { IN_FLIGHT } from '../aws/appconfig.ts';
import { type TargetRef, targetId } from '../core/target.ts';
import { compileSnapshot, type Snapshot } from '../pipeline/content.ts';
import type { PipelineContext } from '../pipeline/context.ts';
import { PipelineError } from '../pipeline/context.ts';
import type { HoldCheck } from '../pipeline/holds.ts';
import { labelNamesContent, runsContent } from '../pipeline/in-sync.ts';
import { resolveTarget } from '../pipeline/resolve.ts';
import { runningDeployment } from '../pipeline/versions.ts';

export type DriftStatus = 'in-sync' | 'deploying' | 'held' | 'drifted';

export interface TargetDrift {
  target: string;
  status: DriftStatus;
  /** What main compiles to. */
  main: { commit: string; sha256: string };
  deployed?: {
    deploymentNumber: number;
    version: number;
    label?: string;
    /** Who or what started the running deployment, as far as AppConfig records it. */
    by: string;
    completedAt?: number;
  };
  /** One line: why this status. */
  reason: string;
}

/** flagops names itself in every deployment it starts: `flagops: …` and `flagops rollback: …`. */
const FLAGOPS_DESCRIPTION = /^flagops[ :]/;

export async function detectDrift(
  ctx: PipelineContext,
  snapshot: Snapshot,
  holds: HoldCheck,
): Promise<TargetDrift[]> {
  const out: TargetDrift[] = [];
  for (const t of snapshot.repo.targets) {
    const ref: TargetRef = { application: t.application, environment: t.environment, profile: t.profile };
    out.push(await detectOne(ctx, snapshot, ref, holds));
  }
  return out;
}

async function detectOne(
  ctx: PipelineContext,
  snapshot: Snapshot,
  ref: TargetRef,
  holds: HoldCheck,
): Promise<TargetDrift> {
  const id = targetId(ref);
  const compiled = compileSnapshot(snapshot, ref);
  const main = { commit: compiled.commit.sha, sha256: compiled.document.sha256 };
  const wanted = { sha256: main.sha256, profileType: compiled.target.profileType };
  let resolved: Awaited<ReturnType<typeof resolveTarget>>;
  try {
    resolved = await resolveTarget(ctx.aws, ref);
  } catch (error) {
    if (!(error instanceof PipelineError)) throw error;
    return { target: id, status: 'drifted', main, reason: error.message };
  }
  const { application, environment, profile } = resolved;
  const deployments = await ctx.aws.appconfig.listDeployments(application.id, environment.id);
  const running = runningDeployment(deployments, profile.name);
  const inFlight = deployments.find((d) => d.profileName === profile.name && IN_FLIGHT.has(d.state));
  const deployed = running
    ? {
        deploymentNumber: running.number,
        version: Number(running.version),
        ...(running.versionLabel ? { label: running.versionLabel } : {}),
        by: await deployedBy(ctx, resolved, running.number),
        ...(running.completedAt !== undefined ? { completedAt: running.completedAt } : {}),
      }
    : undefined;
  const base = { target: id, main, ...(deployed ? { deployed } : {}) };

  if (inFlight) {
    if (labelNamesContent(inFlight.versionLabel, main.sha256))
      return {
        ...base,
        status: 'deploying',
        reason: `deployment ${inFlight.number} of main's content is ${inFlight.state}`,
      };
    return await heldOr(holds, ref, {
      ...base,
      status: 'drifted',
      reason: `deployment ${inFlight.number} of version ${inFlight.version}${inFlight.versionLabel ? ` (${inFlight.versionLabel})` : ''} is ${inFlight.state}, and it is not what main compiles to`,
    });
  }
  if (running && (await runsContent(ctx, resolved, running, wanted)))
    return { ...base, status: 'in-sync', reason: `version ${running.version} is main's content` };
  return await heldOr(holds, ref, {
    ...base,
    status: 'drifted',
    reason: running
      ? `AppConfig serves version ${running.version}${running.versionLabel ? ` (${running.versionLabel})` : ' (no label)'}, which is not what main compiles to (${main.sha256.slice(0, 16)})`
      : 'nothing is deployed, but main declares this target',
  });
}

/** Drift under an open revert pull request is the promised exception, not a surprise. */
async function heldOr(holds: HoldCheck, ref: TargetRef, drift: TargetDrift): Promise<TargetDrift> {
  const hold = await holds.check(ref);
  return hold.held ? { ...drift, status: 'held', reason: `${drift.reason}; ${hold.reason}` } : drift;
}

async function deployedBy(
  ctx: PipelineContext,
  t: Awaited<ReturnType<typeof resolveTarget>>,
  deploymentNumber: number,
): Promise<string> {
  const d = await ctx.aws.appconfig.getDeployment(t.application.id, t.environment.id, deploymentNumber);
  const started = d.events.find((e) => e.type === 'DEPLOYMENT_STARTED');
  const who = started?.triggeredBy ? ` (triggered by ${started.triggeredBy})` : '';
  if (d.description && FLAGOPS_DESCRIPTION.test(d.description)) return `${d.description}${who}`;
  if (d.description) return `not flagops: "${d.description}"${who}`;
  return `not flagops: no description${who}`;
}
