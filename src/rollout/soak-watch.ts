/**
 * The soak watch (`flagops watch`, scheduled in watch.yml): the monitoring after a bake's job ended
 * (docs/concepts.md#bake-soak-and-dwell) — 15 minutes after switching a flag on, 24 hours at 100 % — which no job can cover (a job
 * lasts at most 6 hours) and AppConfig's own monitors stop covering once the deployment completes.
 *
 * For every target whose running deployment has a bake record (any verdict but breached: catching a
 * breach needs no more evidence than the bake had) and is still inside its soak window,
 * it judges the guards and alarms over the time since the last run — where it left off is read from
 * the record (the newest status says "soak watched through <instant>"), never from the job — and
 * writes how far it got. Each run looks back far enough to see a streak that crosses two runs.
 *
 * On a breach: the same rollback as the bake (StopDeployment while in flight, StopDeployment with
 * AllowRevert within AppConfig's 72 hours, else a redeploy of the previous version), the record
 * marked `breached` with the evidence, then the revert pull request through the same revert path
 * (`src/revert/`). Re-runs do not act twice: the rolled-back deployment no longer runs, and a
 * breached record only has its revert pull request reconciled (opening it is idempotent).
 */

import { type DeploymentInfo, IN_FLIGHT } from '../aws/appconfig.ts';
import { EXIT } from '../core/failure.ts';
import { type TargetRef, targetId } from '../core/target.ts';
import { type Breach, describeBreach, type WatchVerdict } from '../guards/verdict.ts';
import type { Application, Target } from '../model/types.ts';
import type { Snapshot } from '../pipeline/content.ts';
import { type PipelineContext, PipelineError } from '../pipeline/context.ts';
import { toRef } from '../pipeline/deploy.ts';
import { type ResolvedTarget, resolveTarget } from '../pipeline/resolve.ts';
import { type PriorContentLookup, type RollbackResult, rollback } from '../pipeline/rollback.ts';
import { labelContentHash, runningDeployment } from '../pipeline/versions.ts';
import { watchedFor, watchOnce } from '../pipeline/watch.ts';
import { effectiveNumber } from '../policy/exposure.ts';
import { soakMinutesFor } from '../policy/soak.ts';
import { decide, lookRange, type Observation } from '../release/decide.ts';
import { fromBakeRecord, type ReleaseRecord, resumeOf } from '../release/record.ts';
import type { RevertEvidence } from '../revert/text.ts';
import { type Adopted, adoptOrphanBake, adoptRollback } from './adopt.ts';
import type { BakeRecord, BakeRecordStore } from './bake-record.ts';

export interface SoakDeps {
  ctx: PipelineContext;
  snapshot: Snapshot;
  bakes: BakeRecordStore;
  /** Open (or find) the revert pull request: the bake's revert path. */
  revert: (evidence: RevertEvidence) => Promise<{ number: number; url: string } | undefined>;
  environment?: string;
  runUrl?: string;
  /** Git's pre-change content of a target, for a first deployment's rollback (runtime/prior-content.ts). */
  prior?: (target: TargetRef) => PriorContentLookup;
}

export type SoakStatus = 'watching' | 'complete' | 'breached' | 'skipped';

export interface SoakOutcome {
  target: string;
  status: SoakStatus;
  message: string;
  deploymentNumber?: number;
  /** The soak's end (epoch ms). */
  until?: number;
  /** How far the guards are judged healthy now (epoch ms). */
  through?: number;
  breaches?: Breach[];
  rollback?: RollbackResult;
  pullRequest?: { number: number; url: string };
}

const SOAK_BREACH = 'soak breach';

export async function watchSoaks(deps: SoakDeps): Promise<SoakOutcome[]> {
  const out: SoakOutcome[] = [];
  for (const target of deps.snapshot.repo.targets) {
    if (deps.environment && target.environment !== deps.environment) continue;
    const app = deps.snapshot.repo.applications[target.application];
    if (!app) continue;
    out.push(await watchOne(deps, app, target));
  }
  return out;
}

/**
 * The soak a step owes, by what it exposes: the declared maximum of any numeric attribute → the
 * maximum soak (24 h), nothing exposed yet (every such attribute at 0: queries just enabled) → the
 * enable soak (15 min), else the default.
 */
export function soakMinutesOf(app: Application, target: Target): number {
  const env = app.environments.find((e) => e.name === target.environment);
  let value = 0;
  let atMaximum = false;
  for (const [flag, def] of Object.entries(app.flags)) {
    for (const [attribute, a] of Object.entries(def.attributes)) {
      if (a.maximum === undefined) continue;
      const v = effectiveNumber(target, flag, attribute);
      value = Math.max(value, v);
      if (v >= a.maximum) atMaximum = true;
    }
  }
  if (atMaximum) return soakMinutesFor(env, 1, 1);
  return soakMinutesFor(env, value, Number.POSITIVE_INFINITY);
}

/**
 * One target, as a shell around `decide`: read the record (the bake record, migrated on read) →
 * observe (AppConfig's deployments, one look at the guards over `lookRange`) → decide → act
 * (rollback, revert pull request) → write the record, deciding again after each act until
 * nothing is left to do.
 */
async function watchOne(deps: SoakDeps, app: Application, target: Target): Promise<SoakOutcome> {
  const { ctx } = deps;
  const id = targetId(target);
  const skip = (message: string, extra: Partial<SoakOutcome> = {}): SoakOutcome => ({
    target: id,
    status: 'skipped',
    message,
    ...extra,
  });
  const env = app.environments.find((e) => e.name === target.environment);
  if (!env) return skip('environment not declared');
  const t = await resolveTarget(ctx.aws, target);
  const deployments = await ctx.aws.appconfig.listDeployments(t.application.id, t.environment.id);
  let bake = await deps.bakes.latest(target);
  const now = ctx.clock.now();
  const soakMinutes = soakMinutesOf(app, target);

  // A breach recorded earlier (by a soak watch, a bake, or adopted below): only its revert pull
  // request may still be missing; opening it is idempotent.
  if (bake?.verdict === 'breached') {
    const until = bake.completedAt + soakMinutes * 60_000;
    if (now < Math.max(until, bake.window.to) + 24 * 60 * 60_000) {
      const summary = deployments.find((d) => d.number === bake?.deploymentNumber);
      const running = runningDeployment(deployments, t.profile.name);
      const observed: Observation = {
        deployment: {
          state: summary?.state ?? 'COMPLETE',
          serving: running?.number === bake.deploymentNumber,
          undoneBy: { by: 'flagops (an earlier run)' },
        },
      };
      return reconcile(deps, t, bake, fromBakeRecord(bake, until), observed, now, {
        message: `soak breach already handled (deployment ${bake.deploymentNumber} rolled back)`,
      });
    }
  }

  const inFlight = deployments.find((d) => IN_FLIGHT.has(d.state) && d.profileName === t.profile.name);
  if (inFlight) return skip(`deployment ${inFlight.number} is ${inFlight.state}: its bake watches it`);
  // A job killed before it finished its release, or a rollback by hand: finish it (./adopt.ts).
  const adoptedRollback = await adoptRollback(deps, t, deployments, bake, soakMinutes * 60_000);
  if (adoptedRollback) return adoptedOutcome(id, adoptedRollback);
  const running = runningDeployment(deployments, t.profile.name);
  if (!running) return skip('nothing deployed');
  const orphan = await adoptOrphanBake(deps, app, target, t, running, bake);
  if (orphan && !('id' in orphan)) return adoptedOutcome(id, orphan);
  if (orphan) bake = orphan;
  if (
    !bake ||
    bake.deploymentNumber !== running.number ||
    bake.contentHash !== labelContentHash(running.versionLabel)
  )
    return skip(`no bake of deployment ${running.number} is recorded: its bake job watches it`);
  // An unverified or no-data bake is still watched: catching a breach never needs more evidence.
  if (bake.verdict === 'breached')
    return skip(`deployment ${running.number}'s bake breached: its rollback is the bake's`);

  const record = fromBakeRecord(bake, bake.completedAt + soakMinutes * 60_000);
  if (!record.soak)
    return skip(`no soak beyond the bake (ended ${iso(bake.window.to)})`, {
      deploymentNumber: running.number,
    });
  const { until } = record.soak;
  const resumed = resumeOf(record);
  const watched = watchedFor(app, env, target);
  // Look back far enough that a streak crossing the previous run's end is seen whole.
  const lookback = Math.max(
    0,
    ...watched.guards.map((g) => g.consecutive * (g.windowMinutes ?? 1) * g.periodSeconds * 1000),
  );
  const look = resumed < until ? await watchOnce(ctx, watched, lookRange(record, lookback)) : undefined;
  const observed: Observation = {
    deployment: {
      state: running.state,
      ...(running.startedAt !== undefined ? { startedAt: running.startedAt } : {}),
      ...(running.completedAt !== undefined ? { completedAt: running.completedAt } : {}),
      serving: true,
    },
    ...(look ? { look } : {}),
    soakMinutes,
  };
  return reconcile(deps, t, bake, record, observed, now, { running, look });
}

/**
 * decide → act → decide again, until no action is left; the record is written after each act, so
 * a run killed between two acts resumes from what was written.
 */
async function reconcile(
  deps: SoakDeps,
  t: ResolvedTarget,
  bake: BakeRecord,
  start: ReleaseRecord,
  first: Observation,
  now: number,
  context: { running?: DeploymentInfo; look?: WatchVerdict | undefined; message?: string },
): Promise<SoakOutcome> {
  const { ctx } = deps;
  const id = targetId(t.ref);
  const base = { target: id, deploymentNumber: start.deploymentNumber };
  let observed = first;
  let record = start;
  let stored = bake;
  let undone: RollbackResult | undefined;
  let pr: { number: number; url: string } | undefined;
  const breaches = context.look?.breaches ?? [];
  for (let round = 0; round < 4; round += 1) {
    const d = decide(record, observed, now);
    const action = d.actions.find((a) => a.kind !== 'wake-advancer');
    if (!action) {
      record = d.record;
      break;
    }
    if (action.kind === 'error') throw new PipelineError(`${id}: ${action.message}`, EXIT.usage);
    if (action.kind === 'rollback') {
      const target = t.ref;
      undone = await rollback(ctx, t, {
        evidence: breaches,
        deploymentNumber: action.deploymentNumber,
        ...(deps.prior ? { prior: deps.prior(target) } : {}),
      });
      stored = await deps.bakes.update(
        stored,
        'breached',
        `${SOAK_BREACH}: ${breaches.map(describeBreach).join('; ')}`,
      );
      observed = {
        rolledBack: {
          action: undone.action,
          at: undone.at,
          ...(undone.serving ? { serving: undone.serving.number } : {}),
          ...(undone.adopted ? { by: undone.adopted.by } : {}),
        },
      };
    } else if (action.kind === 'open-revert') {
      const evidence = {
        ...evidenceOf(deps, stored, breaches, undone, context.running?.startedAt, d.record.rollback?.at),
        ...(context.running ? { badVersion: toRef(context.running) } : {}),
      };
      pr = await deps.revert(evidence);
      // Opening nothing (main already says what runs) ends the release's revert all the same.
      if (!pr) {
        record = d.record;
        break;
      }
      observed = { revertPullRequest: pr };
    } else {
      record = d.record;
      break;
    }
    record = d.record;
  }

  if (record.verdict === 'breached') {
    const lead =
      context.message ?? `${stored.note ?? SOAK_BREACH} — rolled back (${undone?.action ?? 'adopted'})`;
    return {
      ...base,
      status: 'breached',
      message: `${lead}${pr ? `; revert pull request #${pr.number}` : ''}`,
      ...(record.soak ? { until: record.soak.until } : {}),
      ...(breaches.length > 0 ? { breaches } : {}),
      ...(undone ? { rollback: undone } : {}),
      ...(pr ? { pullRequest: pr } : {}),
    };
  }

  const soak = record.soak!;
  const previous = resumeOf(start);
  if (soak.through > previous) {
    const minutes = Math.floor((soak.through - (start.completedAt ?? soak.through)) / 60_000);
    const total = Math.round((soak.until - (start.completedAt ?? soak.until)) / 60_000);
    // The bake's verdict stays what it was; only the progress moves on (read back by fromBakeRecord).
    await deps.bakes.update(
      stored,
      stored.verdict,
      `soak watched through ${iso(soak.through)} (${minutes} of ${total} min)`,
    );
  }
  const complete = soak.through >= soak.until;
  return {
    ...base,
    status: complete ? 'complete' : 'watching',
    message: complete
      ? `soak complete: no breach through ${iso(soak.until)}`
      : `soaking until ${iso(soak.until)}: no breach through ${iso(soak.through)}`,
    until: soak.until,
    through: soak.through,
  };
}

function adoptedOutcome(id: string, a: Adopted): SoakOutcome {
  return {
    target: id,
    status: 'breached',
    message: `${a.note}${a.pullRequest ? `; revert pull request #${a.pullRequest.number}` : ''}`,
    deploymentNumber: a.deploymentNumber,
    breaches: a.breaches,
    ...(a.rollback ? { rollback: a.rollback } : {}),
    ...(a.pullRequest ? { pullRequest: a.pullRequest } : {}),
  };
}

function evidenceOf(
  deps: SoakDeps,
  record: BakeRecord,
  breaches: Breach[],
  undone?: RollbackResult,
  deployedAt?: number,
  /** When the rollback took effect, as the release record has it (AppConfig's time). */
  rolledBackAt?: number,
): RevertEvidence {
  const [application, environment, profile] = record.target.split('/') as [string, string, string];
  return {
    target: { application, environment, profile },
    breaches,
    reason: record.note ?? SOAK_BREACH,
    deploymentNumber: record.deploymentNumber,
    ...(undone?.serving ? { serving: undone.serving } : {}),
    ...(undone ? { rollbackAction: undone.action } : {}),
    ...(undone?.redeployNumber !== undefined ? { redeployNumber: undone.redeployNumber } : {}),
    ...(deployedAt !== undefined ? { deployedAt } : {}),
    rolledBackAt: rolledBackAt ?? undone?.at ?? deps.ctx.clock.now(),
    ...(deps.runUrl ? { runUrl: deps.runUrl } : {}),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
