/**
 * The soak watch (`flagops watch`, scheduled in watch.yml): the monitoring after a bake's job ended
 * (docs/concepts.md#bake-soak-and-dwell) — 15 minutes after switching a flag on, 24 hours at 100 % — which no job can cover (a job
 * lasts at most 6 hours) and AppConfig's own monitors stop covering once the deployment completes.
 *
 * For every target whose running deployment has a bake record (any verdict but breached: catching a
 * breach needs no more evidence than the bake had) and is still inside its soak window,
 * it judges the guards and alarms over the time since the last run — where it left off is read from
 * the release record (`soak.through`), never from the job — and writes how far it got, as data, with
 * the conditional update (./release-store.ts): a run that loses a write to another watcher reads the
 * winner's record and decides again. Each run looks back far enough to see a streak that crosses
 * two runs.
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
import { type ReleaseRecord, resumeOf } from '../release/record.ts';
import type { RevertEvidence } from '../revert/text.ts';
import { type Adopted, adoptOrphanBake, adoptRollback } from './adopt.ts';
import type { BakeRecord, BakeRecordStore } from './bake-record.ts';
import { releaseOf, sameRecord } from './release-store.ts';

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
    out.push(await watchAgainOnLost(deps, app, target));
  }
  return out;
}

/** Another watcher's write won: this run's facts are stale, so it reads the record again. */
class LostWrite extends Error {}

async function watchAgainOnLost(deps: SoakDeps, app: Application, target: Target): Promise<SoakOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await watchOne(deps, app, target);
    } catch (error) {
      if (!(error instanceof LostWrite) || attempt >= 4) throw error;
    }
  }
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
      return reconcile(deps, t, bake, releaseOf(bake, until), observed, now, {
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

  const record = releaseOf(bake, bake.completedAt + soakMinutes * 60_000);
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
    before: beforeOf(deployments, running, t.profile.name, deps.prior !== undefined),
  };
  return reconcile(deps, t, bake, record, observed, now, { running, look });
}

/**
 * decide → write → act → decide again, until no action is left. Each round writes what the previous
 * act changed before the next act, so a run killed between two acts resumes from what was written,
 * and two watchers of one release are serialised by the conditional write: the loser reads the
 * winner's record and decides again (`LostWrite`).
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
  const breaches = context.look?.breaches ?? [];
  const breachNote = `${SOAK_BREACH}: ${breaches.map(describeBreach).join('; ')}`;
  let observed = first;
  let record = start;
  let written = start;
  let stored = bake;
  const save = async (next: ReleaseRecord) => {
    if (sameRecord(written, next)) return;
    const outcome = await deps.bakes.write(
      stored,
      next,
      noteOf(next, breaches.length > 0 ? breachNote : undefined),
    );
    if (!outcome.won) throw new LostWrite(`${id}: another watcher wrote the record first`);
    stored = outcome.record;
    written = next;
  };
  let undone: RollbackResult | undefined;
  let pr: { number: number; url: string } | undefined;
  for (let round = 0; round < 6; round += 1) {
    const d = decide(record, observed, now);
    record = d.record;
    const action = d.actions.find((a) => a.kind !== 'wake-advancer');
    if (action?.kind === 'error') throw new PipelineError(`${id}: ${action.message}`, EXIT.usage);
    await save(record);
    if (action?.kind === 'rollback') {
      undone = await rollback(ctx, t, {
        evidence: breaches,
        deploymentNumber: action.deploymentNumber,
        ...(deps.prior ? { prior: deps.prior(t.ref) } : {}),
      });
      observed = {
        rolledBack: {
          action: undone.action,
          at: undone.at,
          ...(undone.serving ? { serving: undone.serving.number } : {}),
          ...(undone.adopted ? { by: undone.adopted.by } : {}),
        },
      };
    } else if (action?.kind === 'open-revert') {
      const evidence = {
        ...evidenceOf(
          deps,
          stored,
          breaches,
          breaches.length > 0 ? breachNote : SOAK_BREACH,
          undone,
          context.running?.startedAt,
          d.record.rollback?.at,
        ),
        ...(context.running ? { badVersion: toRef(context.running) } : {}),
      };
      pr = await deps.revert(evidence);
      // Opening nothing (main already says what runs) ends the release's revert all the same.
      if (!pr) break;
      observed = { revertPullRequest: pr };
    } else break;
  }

  // A revert pull request an earlier run opened is in the record: say which.
  if (!pr && record.revert) pr = { number: record.revert.pullRequest, url: record.revert.url ?? '' };
  if (record.verdict === 'breached') {
    const lead =
      context.message ??
      `${breaches.length > 0 ? breachNote : SOAK_BREACH} — rolled back (${undone?.action ?? 'adopted'})`;
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

/**
 * What ran before the running deployment, observed (the record keeps it as the rollback's target):
 * the profile's previous completed deployment, else git's pre-change content when it can be asked.
 */
function beforeOf(
  deployments: DeploymentInfo[],
  running: DeploymentInfo,
  profileName: string,
  gitAsked: boolean,
): NonNullable<Observation['before']> {
  const earlier = runningDeployment(
    deployments.filter((d) => d.number < running.number),
    profileName,
  );
  const version = Number(earlier?.version);
  if (earlier)
    return { source: 'appconfig', ...(Number.isInteger(version) ? { hostedVersion: version } : {}) };
  return { source: gitAsked ? 'git' : 'none' };
}

/** Words for people beside the record's machine line (the record itself is the data). */
function noteOf(record: ReleaseRecord, breach: string | undefined): string | undefined {
  if (record.verdict === 'breached') return breach;
  const soak = record.soak;
  if (!soak || record.completedAt === undefined) return undefined;
  const minutes = Math.floor((soak.through - record.completedAt) / 60_000);
  const total = Math.round((soak.until - record.completedAt) / 60_000);
  return `soak watched through ${iso(soak.through)} (${minutes} of ${total} min)`;
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
  reason: string,
  undone?: RollbackResult,
  deployedAt?: number,
  /** When the rollback took effect, as the release record has it (AppConfig's time). */
  rolledBackAt?: number,
): RevertEvidence {
  const [application, environment, profile] = record.target.split('/') as [string, string, string];
  return {
    target: { application, environment, profile },
    breaches,
    reason,
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
