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
import { IN_FLIGHT } from '../aws/appconfig.ts';
import { type TargetRef, targetId } from '../core/target.ts';
import { type Breach, describeBreach, type WatchVerdict } from '../guards/verdict.ts';
import type { Application, Target } from '../model/types.ts';
import type { Snapshot } from '../pipeline/content.ts';
import type { PipelineContext } from '../pipeline/context.ts';
import { toRef } from '../pipeline/deploy.ts';
import { resolveTarget } from '../pipeline/resolve.ts';
import { type PriorContentLookup, type RollbackResult, rollback } from '../pipeline/rollback.ts';
import { labelContentHash, runningDeployment } from '../pipeline/versions.ts';
import { watchedFor, watchOnce } from '../pipeline/watch.ts';
import { effectiveNumber } from '../policy/exposure.ts';
import { soakMinutesFor } from '../policy/soak.ts';
import { fromBakeRecord, resumeOf } from '../release/record.ts';
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
  let record = await deps.bakes.latest(target);
  const now = ctx.clock.now();

  // A breach found by an earlier run: only its revert pull request may still be missing.
  if (record?.verdict === 'breached') {
    const until = record.completedAt + soakMinutesOf(app, target) * 60_000;
    if (now < Math.max(until, record.window.to) + 24 * 60 * 60_000) {
      const evidence = evidenceOf(deps, record, []);
      const pr = await deps.revert(evidence);
      return {
        target: id,
        status: 'breached',
        message: `soak breach already handled (deployment ${record.deploymentNumber} rolled back)${pr ? `; revert pull request #${pr.number}` : ''}`,
        deploymentNumber: record.deploymentNumber,
        ...(pr ? { pullRequest: pr } : {}),
      };
    }
  }

  const inFlight = deployments.find((d) => IN_FLIGHT.has(d.state) && d.profileName === t.profile.name);
  if (inFlight) return skip(`deployment ${inFlight.number} is ${inFlight.state}: its bake watches it`);
  // A job killed before it finished its release, or a rollback by hand: finish it (./adopt.ts).
  const soakMs = soakMinutesOf(app, target) * 60_000;
  const adoptedRollback = await adoptRollback(deps, t, deployments, record, soakMs);
  if (adoptedRollback) return adoptedOutcome(id, adoptedRollback);
  const running = runningDeployment(deployments, t.profile.name);
  if (!running) return skip('nothing deployed');
  const orphan = await adoptOrphanBake(deps, app, target, t, running, record);
  if (orphan && !('id' in orphan)) return adoptedOutcome(id, orphan);
  if (orphan) record = orphan;
  if (
    !record ||
    record.deploymentNumber !== running.number ||
    record.contentHash !== labelContentHash(running.versionLabel)
  )
    return skip(`no bake of deployment ${running.number} is recorded: its bake job watches it`);
  // An unverified or no-data bake is still watched: catching a breach never needs more evidence.
  if (record.verdict === 'breached')
    return skip(`deployment ${running.number}'s bake breached: its rollback is the bake's`);

  const until = record.completedAt + soakMinutesOf(app, target) * 60_000;
  if (until <= record.window.to)
    return skip(`no soak beyond the bake (ended ${iso(record.window.to)})`, {
      deploymentNumber: running.number,
    });
  const resumed = resumeFrom(record);
  if (resumed >= until)
    return {
      target: id,
      status: 'complete',
      message: `soak complete: no breach through ${iso(until)}`,
      deploymentNumber: running.number,
      until,
      through: resumed,
    };

  const watched = watchedFor(app, env, target);
  // Look back far enough that a streak crossing the previous run's end is seen whole.
  const lookback = Math.max(
    0,
    ...watched.guards.map((g) => g.consecutive * (g.windowMinutes ?? 1) * g.periodSeconds * 1000),
  );
  const verdict = await watchOnce(ctx, watched, {
    from: Math.max(record.window.from, resumed - lookback),
    to: until,
    rampUntil: record.completedAt,
  });
  if (verdict.status === 'breached') {
    const breaches = verdict.breaches;
    const undone = await rollback(ctx, t, {
      evidence: breaches,
      deploymentNumber: running.number,
      ...(deps.prior ? { prior: deps.prior(target) } : {}),
    });
    const note = `${SOAK_BREACH}: ${breaches.map(describeBreach).join('; ')}`;
    const marked = await deps.bakes.update(record, 'breached', note);
    const evidence = {
      ...evidenceOf(deps, marked, breaches, undone, running.startedAt),
      badVersion: toRef(running),
    };
    const pr = await deps.revert(evidence);
    return {
      target: id,
      status: 'breached',
      message: `${note} — rolled back (${undone.action})${pr ? `; revert pull request #${pr.number}` : ''}`,
      deploymentNumber: running.number,
      until,
      breaches,
      rollback: undone,
      ...(pr ? { pullRequest: pr } : {}),
    };
  }

  // Alarms alone (no guards) are read as they are now: judged through this instant.
  const through = Math.min(
    until,
    watched.guards.length === 0 ? Math.max(resumed, now) : settledThrough(verdict, resumed),
  );
  if (through > resumed) {
    const minutes = Math.floor((through - record.completedAt) / 60_000);
    // The bake's verdict stays what it was; only the note moves on.
    await deps.bakes.update(
      record,
      record.verdict,
      `soak watched through ${iso(through)} (${minutes} of ${Math.round((until - record.completedAt) / 60_000)} min)`,
    );
  }
  return {
    target: id,
    status: through >= until ? 'complete' : 'watching',
    message:
      through >= until
        ? `soak complete: no breach through ${iso(until)}`
        : `soaking until ${iso(until)}: no breach through ${iso(through)}`,
    deploymentNumber: running.number,
    until,
    through,
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

/** Where the previous run left off: the record's soak progress (migrated from older prose on read). */
export function resumeFrom(record: BakeRecord): number {
  return resumeOf(fromBakeRecord(record));
}

/**
 * The end of the last period every guard has judged (data arrived, healthy or gated), so the next
 * run starts where this one's evidence ends — never past a period still waiting for its data.
 */
function settledThrough(verdict: WatchVerdict, previous: number): number {
  let through = Number.POSITIVE_INFINITY;
  for (const g of verdict.guards) {
    let last = previous;
    for (const p of g.periods) {
      if (p.outcome === 'pending') break;
      last = Math.max(last, p.end);
    }
    through = Math.min(through, last);
  }
  return Number.isFinite(through) ? through : previous;
}

function evidenceOf(
  deps: SoakDeps,
  record: BakeRecord,
  breaches: Breach[],
  undone?: RollbackResult,
  deployedAt?: number,
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
    rolledBackAt: deps.ctx.clock.now(),
    ...(deps.runUrl ? { runUrl: deps.runUrl } : {}),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
