/**
 * What the soak watch picks up when the job that owned a release died (a runner lost, a kill -9)
 * or a person acted by hand: the next scheduled `flagops watch` finishes the release from what AWS
 * and GitHub say, so a killed job never leaves harm serving, a revert missing, or a record silent.
 *
 * - A rollback already made (the profile's newest deployment ROLLED_BACK or REVERTED: by a job
 *   killed before its revert step, by `flagops rollback`, by AppConfig's own monitor) whose record
 *   does not say so: the record is marked breached, naming who rolled back, then the revert pull
 *   request is opened (opening is idempotent: one branch per rolled-back commit).
 * - A deployment that runs but whose bake nobody recorded, although its bake should have ended
 *   (the deploy job died mid-bake or right after StartDeployment): its bake window is judged now.
 *   A breach is rolled back, recorded and reverted like the bake's own; otherwise the bake is
 *   recorded and the soak carries on from it.
 *
 * Each write is one the next run can see (the release record's verdict, rollback and revert pull
 * request as data, written with the conditional update of ./release-store.ts; the revert branch), so
 * a run killed between them converges on the run after.
 */
import type { DeploymentInfo } from '../aws/appconfig.ts';
import { type TargetRef, targetId } from '../core/target.ts';
import { type Breach, describeBreach } from '../guards/verdict.ts';
import type { Application, Target } from '../model/types.ts';
import { appConfigRollbackBreach } from '../pipeline/appconfig-rollback.ts';
import type { Snapshot } from '../pipeline/content.ts';
import { type PipelineContext, say } from '../pipeline/context.ts';
import { toRef } from '../pipeline/deploy.ts';
import type { ResolvedTarget } from '../pipeline/resolve.ts';
import { type PriorContentLookup, type RollbackResult, rollback } from '../pipeline/rollback.ts';
import { labelContentHash } from '../pipeline/versions.ts';
import { watchedFor, watchOnce } from '../pipeline/watch.ts';
import type { ReleaseRecord } from '../release/record.ts';
import type { RevertEvidence } from '../revert/text.ts';
import type { BakeFacts, BakeRecord, BakeRecordStore, BakeVerdict } from './bake-record.ts';
import { updateRelease } from './release-store.ts';

/** A bake's job writes its record right after the bake ends; give it this long before adopting. */
export const ORPHAN_GRACE_MS = 5 * 60_000;
/** A rollback older than its soak plus this is history, not a release to finish. */
const ADOPT_HORIZON_MS = 24 * 60 * 60_000;

export interface AdoptDeps {
  ctx: PipelineContext;
  snapshot: Snapshot;
  bakes: BakeRecordStore;
  revert: (evidence: RevertEvidence) => Promise<{ number: number; url: string } | undefined>;
  runUrl?: string;
  prior?: (target: TargetRef) => PriorContentLookup;
}

export interface Adopted {
  deploymentNumber: number;
  note: string;
  breaches: Breach[];
  rollback?: RollbackResult;
  pullRequest?: { number: number; url: string };
}

const ROLLED_BACK = new Set(['ROLLED_BACK', 'REVERTED']);

/**
 * The profile's newest deployment was rolled back but its record does not say breached: say so,
 * then open the revert pull request. Undefined when there is nothing to adopt.
 */
export async function adoptRollback(
  deps: AdoptDeps,
  t: ResolvedTarget,
  deployments: DeploymentInfo[],
  record: BakeRecord | undefined,
  soakMs: number,
): Promise<Adopted | undefined> {
  const newest = ours(deployments, t)[0];
  if (!newest || !ROLLED_BACK.has(newest.state)) return undefined;
  if (record?.deploymentNumber === newest.number && record.verdict === 'breached') return undefined;
  const { ctx } = deps;
  const d = await ctx.aws.appconfig.getDeployment(t.application.id, t.environment.id, newest.number);
  const breach = appConfigRollbackBreach(d, d.completedAt ?? d.startedAt ?? ctx.clock.now());
  if (ctx.clock.now() > breach.at + soakMs + ADOPT_HORIZON_MS) return undefined;
  const by = breach.kind === 'appconfig-rollback' ? breach.triggeredBy : 'someone';
  const note = `rolled back by ${by} (deployment ${d.number} ${d.state}): ${describeBreach(breach)}`;
  const facts = factsOf(t, d, 'breached', { from: d.startedAt ?? breach.at, to: breach.at });
  const action = d.state === 'REVERTED' ? 'reverted' : 'rolled back';
  const own = await markBreached(withRef(deps), t, record, d, facts, note, { action, at: breach.at, by });
  const pr = await deps.revert({
    target: t.ref,
    breaches: [breach],
    deploymentNumber: d.number,
    badVersion: toRef(d),
    rollbackAction: action,
    ...(d.startedAt !== undefined ? { deployedAt: d.startedAt } : {}),
    rolledBackAt: breach.at,
    ...(deps.runUrl ? { runUrl: deps.runUrl } : {}),
  });
  await recordRevert(deps.bakes, own, pr);
  return { deploymentNumber: d.number, note, breaches: [breach], ...(pr ? { pullRequest: pr } : {}) };
}

/**
 * The running deployment has no record although its bake should have ended: judge the bake window
 * now. A breach: roll back, record, revert (returned). Otherwise the bake is recorded and the
 * record returned for the soak to carry on from.
 */
export async function adoptOrphanBake(
  deps: AdoptDeps,
  app: Application,
  target: Target,
  t: ResolvedTarget,
  running: DeploymentInfo,
  record: BakeRecord | undefined,
): Promise<Adopted | BakeRecord | undefined> {
  const { ctx } = deps;
  const env = app.environments.find((e) => e.name === target.environment);
  if (!env || record?.deploymentNumber === running.number || !labelContentHash(running.versionLabel))
    return undefined;
  const d = await ctx.aws.appconfig.getDeployment(t.application.id, t.environment.id, running.number);
  if (d.completedAt === undefined || d.startedAt === undefined) return undefined;
  const bakeEnd = d.completedAt + env.bakeMinutes * 60_000;
  if (ctx.clock.now() < bakeEnd + ORPHAN_GRACE_MS) return undefined;
  const window = { from: d.startedAt, to: bakeEnd };
  const verdict = await watchOnce(ctx, watchedFor(app, env, target), {
    ...window,
    rampUntil: d.completedAt,
  });
  if (verdict.status !== 'breached') {
    const judged: BakeVerdict = verdict.status === 'pending' ? 'unverified' : verdict.status;
    const facts = factsOf(t, d, judged, window);
    return facts ? deps.bakes.record(facts, deps.snapshot.commit.sha) : undefined;
  }
  const undone = await rollback(ctx, t, {
    evidence: verdict.breaches,
    deploymentNumber: d.number,
    ...(deps.prior ? { prior: deps.prior(target) } : {}),
  });
  const note = `bake breach (its job never recorded it), rolled back (${undone.action}): ${verdict.breaches.map(describeBreach).join('; ')}`;
  const own = await markBreached(withRef(deps), t, record, d, factsOf(t, d, 'breached', window), note, {
    action: undone.action,
    at: undone.at,
    by: undone.adopted?.by ?? 'flagops watch (the bake its job never recorded)',
    ...(undone.serving ? { serving: undone.serving.number } : {}),
  });
  const pr = await deps.revert({
    target: t.ref,
    breaches: verdict.breaches,
    deploymentNumber: d.number,
    badVersion: toRef(d),
    ...(undone.serving ? { serving: undone.serving } : {}),
    rollbackAction: undone.action,
    ...(undone.redeployNumber !== undefined ? { redeployNumber: undone.redeployNumber } : {}),
    deployedAt: d.startedAt,
    rolledBackAt: undone.at,
    ...(deps.runUrl ? { runUrl: deps.runUrl } : {}),
  });
  await recordRevert(deps.bakes, own, pr);
  return {
    deploymentNumber: d.number,
    note,
    breaches: verdict.breaches,
    rollback: undone,
    ...(pr ? { pullRequest: pr } : {}),
  };
}

function withRef(deps: AdoptDeps) {
  return { ctx: deps.ctx, bakes: deps.bakes, ref: deps.snapshot.commit.sha };
}

function ours(deployments: DeploymentInfo[], t: ResolvedTarget): DeploymentInfo[] {
  return deployments.filter((d) => d.profileName === t.profile.name).sort((a, b) => b.number - a.number);
}

function factsOf(
  t: ResolvedTarget,
  d: DeploymentInfo,
  verdict: BakeVerdict,
  window: { from: number; to: number },
): BakeFacts | undefined {
  const contentHash = labelContentHash(d.versionLabel);
  if (!contentHash) return undefined;
  return {
    target: targetId(t.ref),
    environment: t.ref.environment,
    deploymentNumber: d.number,
    contentHash,
    window,
    completedAt: d.completedAt ?? window.from,
    verdict,
  };
}

type RollbackFacts = NonNullable<ReleaseRecord['rollback']>;

/**
 * The deployment's record, created when its job never wrote one, then marked breached with the
 * rollback and who made it (kept when the record already names one: the first rollback stays).
 */
async function markBreached(
  deps: Pick<AdoptDeps, 'ctx' | 'bakes'> & { ref: string },
  t: ResolvedTarget,
  record: BakeRecord | undefined,
  d: DeploymentInfo,
  facts: BakeFacts | undefined,
  note: string,
  rollback: RollbackFacts,
): Promise<BakeRecord | undefined> {
  const own =
    record?.deploymentNumber === d.number
      ? record
      : facts
        ? await deps.bakes.record(facts, deps.ref)
        : undefined;
  if (!own) {
    say(deps.ctx, targetId(t.ref), {
      kind: 'warning',
      message: `deployment ${d.number} carries no flagops label: no record written`,
    });
    return undefined;
  }
  return updateRelease(
    deps.bakes,
    own,
    (current) =>
      current.verdict === 'breached' && current.rollback
        ? undefined
        : { ...current, verdict: 'breached', rollback: current.rollback ?? rollback },
    note,
  );
}

/** The revert pull request, as data in the record (the first one recorded stays). */
async function recordRevert(
  bakes: BakeRecordStore,
  own: BakeRecord | undefined,
  pr: { number: number; url: string } | undefined,
): Promise<void> {
  if (!own || !pr) return;
  await updateRelease(bakes, own, (current) =>
    current.revert ? undefined : { ...current, revert: { pullRequest: pr.number, url: pr.url } },
  );
}

/**
 * A rollback made outside a bake or soak (`flagops rollback`) written to the rolled-back
 * deployment's record as data: the breach, the rollback and who made it, and the revert pull request
 * when one was opened; the record is created when no job recorded that deployment. Repeating it
 * writes nothing new.
 */
export async function recordRollback(
  ctx: PipelineContext,
  bakes: BakeRecordStore,
  t: ResolvedTarget,
  deploymentNumber: number,
  note: string,
  ref: string,
  done: { rollback: RollbackFacts; pullRequest?: { number: number; url: string } },
): Promise<void> {
  const d = await ctx.aws.appconfig.getDeployment(t.application.id, t.environment.id, deploymentNumber);
  const latest = await bakes.latest(t.ref);
  const window = { from: d.startedAt ?? ctx.clock.now(), to: ctx.clock.now() };
  const own = await markBreached(
    { ctx, bakes, ref },
    t,
    latest,
    d,
    factsOf(t, d, 'breached', window),
    note,
    done.rollback,
  );
  await recordRevert(bakes, own, done.pullRequest);
}
