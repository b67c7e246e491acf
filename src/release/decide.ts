/**
 * The one decision point of a release's life: `decide(record, observation, now)` returns what to do
 * (actions), the record as it stands afterwards and when to look again (`wakeAt`). Every entry
 * point is a shell around it: read the record → observe (AppConfig, CloudWatch, GitHub) → decide →
 * act → write the record. Acting reports back through the next observation (a rollback made, a
 * revert pull request opened), so a shell loops decide → act until no action is left, and a job
 * killed between two steps resumes from the record on the next run of any entry point.
 *
 * The life, in the order the checks run:
 *   clock check (a service timestamp more than a minute ahead of `now` is an error, never "0 min")
 *   → someone else rolled the deployment back (AppConfig's monitor, a person, another job): adopt it
 *   → breached: roll back (to the earlier AppConfig version, git's pre-change content, or nothing)
 *     → one revert pull request (adopt an open one) → held while it is open
 *   → bake (until AppConfig completed + bake minutes, and the last periods settled)
 *     → healthy / no-data / unverified (only healthy wakes the advancer)
 *   → soak (from the bake's end until completion + soak minutes; resumes at `soak.through`)
 *   → advance: the advancer's step decision (src/rollout/decide.ts), due now or at `wakeAt`.
 *
 * Pure: no I/O is reachable from here (test/release/decide-imports.test.ts walks the import graph).
 */
import { clockDisagreement } from '../core/clock-check.ts';
import type { Breach, WatchVerdict } from '../guards/verdict.ts';
import { type AdvanceFacts, decideAdvance, describeDecision } from '../rollout/decide.ts';
import { type ReleaseRecord, resumeOf } from './record.ts';

/** AppConfig's deployment states that mean the change no longer stays (rolled back or reverted). */
const UNDONE = new Set(['ROLLING_BACK', 'ROLLED_BACK', 'REVERTED']);
const IN_FLIGHT = new Set(['VALIDATING', 'DEPLOYING', 'BAKING']);

export type Before = NonNullable<ReleaseRecord['deployed']['before']>;

export type Action =
  /** Undo the deployment; `to` is what ran before (git's pre-change content for a first deployment). */
  | { kind: 'rollback'; deploymentNumber: number; to: Before; reason: string }
  /** Open the one revert pull request of this release (idempotent by its branch). */
  | { kind: 'open-revert'; deploymentNumber: number; reason: string }
  /** The step is due: dispatch the advancer now instead of waiting for its schedule. */
  | { kind: 'wake-advancer'; reason: string }
  /** Propose the next step of the `_rollout` plan. */
  | { kind: 'propose-step'; next: number; finish: boolean; reason: string }
  /** Stop: the facts cannot be trusted (a clock that is not the services' clock). */
  | { kind: 'error'; message: string };

export interface Observation {
  /** AppConfig's deployment of this record, as read now. */
  deployment?: {
    state: string;
    startedAt?: number;
    completedAt?: number;
    /** The deployment no longer serves (a later deployment, or it was undone). */
    serving?: boolean;
    /** Who undid it, from AppConfig's event log (`USER`, `APPCONFIG`, `CLOUDWATCH_ALARM`, …). */
    undoneBy?: { by: string; description?: string; at?: number };
  };
  /** One look at the guards and alarms over `lookRange(record, now)`. */
  look?: Pick<WatchVerdict, 'status' | 'settled' | 'breaches' | 'guards'> & { message?: string };
  /** The environment's bake minutes and the soak this step owes (minutes after completion). */
  bakeMinutes?: number;
  soakMinutes?: number;
  /** What ran before: where a rollback goes back to. */
  before?: Before;
  /** The rollback this process just made (the shell's act, reported back). */
  rolledBack?: { action: string; at: number; serving?: number; by?: string };
  /** The open revert pull request of this target (found on GitHub, or just opened). */
  revertPullRequest?: { number: number; url?: string };
  /** The step decision's facts, for a target with a `_rollout` plan (the advancer). */
  advance?: Omit<AdvanceFacts, 'now'>;
}

export interface Decision {
  actions: Action[];
  record: ReleaseRecord;
  /** When something can change without an outside event (the bake's or soak's end, a dwell). */
  wakeAt?: number;
  /** One line for people: where the release stands. */
  reason: string;
}

/** The range a look judges now: the bake from the deployment's start, the soak from where it left off. */
export function lookRange(
  record: ReleaseRecord,
  lookbackMs = 0,
): { from: number; to: number; rampUntil?: number } {
  const ramp = record.completedAt !== undefined ? { rampUntil: record.completedAt } : {};
  if (record.verdict === 'pending' || !record.soak)
    return { from: record.bake.from, to: record.bake.to, ...ramp };
  return {
    from: Math.max(record.bake.from, resumeOf(record) - lookbackMs),
    to: record.soak.until,
    ...ramp,
  };
}

export function decide(record: ReleaseRecord, o: Observation, now: number): Decision {
  const clock = clockCheck(record, o, now);
  if (clock) return { actions: [{ kind: 'error', message: clock }], record, reason: clock };
  let r = withDeployment(record, o);
  r = adoptRollback(r, o, now);
  if (r.verdict === 'breached' || o.look?.status === 'breached') return breached(r, o, now);
  if (r.verdict === 'pending') return baking(r, o, now);
  if (r.soak && resumeOf(r) < r.soak.until) return soaking(r, o, now);
  return advancing(r, o, now);
}

/** A timestamp the services wrote that lies in this process's future: the clocks disagree. */
function clockCheck(record: ReleaseRecord, o: Observation, now: number): string | undefined {
  const stamps: Array<[string, number | undefined]> = [
    [`deployment ${record.deploymentNumber}'s start`, o.deployment?.startedAt],
    [`deployment ${record.deploymentNumber}'s completion`, o.deployment?.completedAt ?? record.completedAt],
  ];
  for (const [what, at] of stamps) {
    const problem = at === undefined ? undefined : clockDisagreement(what, at, now);
    if (problem) return problem;
  }
  return undefined;
}

/** AppConfig's completion fixes the bake's end (completion + bake minutes) and the soak's. */
function withDeployment(record: ReleaseRecord, o: Observation): ReleaseRecord {
  const completedAt = record.completedAt ?? o.deployment?.completedAt;
  if (completedAt === undefined || record.verdict !== 'pending') return record;
  const bakeMs = (o.bakeMinutes ?? 0) * 60_000;
  return { ...record, completedAt, bake: { from: record.bake.from, to: completedAt + bakeMs } };
}

/** Someone else's rollback (AppConfig's monitor, a person, another job) is adopted, never fought. */
function adoptRollback(record: ReleaseRecord, o: Observation, now: number): ReleaseRecord {
  if (o.rolledBack)
    return {
      ...record,
      verdict: 'breached',
      rollback: {
        action: o.rolledBack.action,
        at: o.rolledBack.at,
        by: o.rolledBack.by ?? 'flagops',
        ...(o.rolledBack.serving !== undefined ? { serving: o.rolledBack.serving } : {}),
      },
    };
  if (record.rollback || !o.deployment) return record;
  const undone = UNDONE.has(o.deployment.state);
  // A breached release whose deployment no longer serves was rolled back (or replaced) already.
  const replaced = record.verdict === 'breached' && o.deployment.serving === false;
  if (!undone && !replaced) return record;
  const by = o.deployment.undoneBy?.by ?? (undone ? 'someone else' : 'a later deployment');
  return {
    ...record,
    verdict: 'breached',
    rollback: {
      action: undone ? 'adopted' : 'replaced',
      at: o.deployment.undoneBy?.at ?? now,
      by,
    },
  };
}

/** Breached: roll back once, then one revert pull request, then held while it is open. */
function breached(record: ReleaseRecord, o: Observation, now: number): Decision {
  const r: ReleaseRecord = { ...record, verdict: 'breached' };
  const reason = describeLookBreaches(o.look?.breaches) ?? 'breached';
  if (o.deployment?.state === 'ROLLING_BACK')
    return { actions: [], record: r, wakeAt: now + 60_000, reason: 'rolling back: waiting for it to settle' };
  if (!r.rollback) {
    const to = r.deployed.before ?? o.before ?? { source: 'none' as const };
    return {
      actions: [{ kind: 'rollback', deploymentNumber: r.deploymentNumber, to, reason }],
      record: { ...r, deployed: { ...r.deployed, before: to } },
      reason: `breach: ${reason} — rolling back to ${describeBefore(to)}`,
    };
  }
  const rolled = `rolled back (${r.rollback.action}, by ${r.rollback.by})`;
  if (!revertFollows(r.rollback.serving) && r.deployed.before?.source === 'none')
    return { actions: [], record: r, reason: `${rolled}; nothing serves now, so no revert: fix forward` };
  const pr = r.revert
    ? { number: r.revert.pullRequest, ...(r.revert.url ? { url: r.revert.url } : {}) }
    : o.revertPullRequest;
  if (!pr)
    return {
      actions: [{ kind: 'open-revert', deploymentNumber: r.deploymentNumber, reason }],
      record: r,
      reason: `${rolled}; opening the revert pull request`,
    };
  const revert = { pullRequest: pr.number, ...(pr.url ? { url: pr.url } : {}) };
  const held = o.revertPullRequest ? { hold: { reason: `held by revert pull request #${pr.number}` } } : {};
  const { hold: _released, ...rest } = r;
  return {
    actions: [],
    record: { ...rest, revert, ...held },
    reason: `${rolled}; revert pull request #${pr.number}${o.revertPullRequest ? ' open: the target is held' : ''}`,
  };
}

/** Baking: until the bake's end and the last periods settled; then the verdict. */
function baking(record: ReleaseRecord, o: Observation, now: number): Decision {
  const look = o.look;
  if (record.completedAt === undefined || (o.deployment && IN_FLIGHT.has(o.deployment.state)))
    return { actions: [], record, reason: 'deploying: watching while AppConfig rolls out' };
  const ended = now >= record.bake.to && look !== undefined && (look.settled || look.guards.length === 0);
  if (!ended)
    return { actions: [], record, wakeAt: record.bake.to, reason: `baking until ${iso(record.bake.to)}` };
  const verdict = look.status === 'healthy' || look.status === 'pending' ? 'healthy' : look.status;
  const until = record.completedAt + (o.soakMinutes ?? 0) * 60_000;
  const soak = until > record.bake.to ? { soak: { until, through: record.bake.to } } : {};
  const r: ReleaseRecord = {
    ...record,
    verdict: verdict === 'no-data' ? 'no-data' : verdict === 'healthy' ? 'healthy' : 'unverified',
    guards: judged(look.guards),
    ...soak,
  };
  const message = `bake complete: ${r.verdict}${look.message ? ` (${look.message})` : ''}`;
  // Only a healthy bake starts the dwell: unverified and no-data hold, and never roll back.
  if (r.verdict !== 'healthy') return { actions: [], record: r, reason: message };
  if (r.soak)
    return { actions: [], record: r, wakeAt: now, reason: `${message}; soaking until ${iso(until)}` };
  return { ...advancing(r, o, now, [{ kind: 'wake-advancer', reason: message }]), reason: message };
}

/** Soaking: judged through the last settled period, resumed there on the next run. */
function soaking(record: ReleaseRecord, o: Observation, now: number): Decision {
  const soak = record.soak!;
  const previous = resumeOf(record);
  if (!o.look)
    return { actions: [], record, wakeAt: now, reason: `soaking until ${iso(soak.until)}: not looked yet` };
  const through = Math.min(
    soak.until,
    o.look.guards.length === 0 ? Math.max(previous, now) : settledThrough(o.look.guards, previous),
  );
  const r: ReleaseRecord = { ...record, soak: { ...soak, through: Math.max(previous, through) } };
  if (through < soak.until)
    return {
      actions: [],
      record: r,
      wakeAt: soak.until,
      reason: `soaking until ${iso(soak.until)}: no breach through ${iso(r.soak!.through)}`,
    };
  const done = `soak complete: no breach through ${iso(soak.until)}`;
  const wake: Action[] = r.verdict === 'healthy' ? [{ kind: 'wake-advancer', reason: done }] : [];
  return { ...advancing(r, o, now, wake), reason: done };
}

/** Settled: the advancer's step decision, when the target has a plan. */
function advancing(record: ReleaseRecord, o: Observation, now: number, pre: Action[] = []): Decision {
  if (!o.advance) return { actions: pre, record, reason: `settled: ${record.verdict}` };
  const step = decideAdvance({ ...o.advance, now });
  const reason = describeDecision(step);
  if (step.kind === 'propose')
    return {
      actions: [...pre, { kind: 'propose-step', next: step.next, finish: step.finish, reason: step.reason }],
      record: { ...record, advance: { step: o.advance.current, proposed: step.next } },
      reason,
    };
  const hold = o.advance.hold ? { hold: { reason: o.advance.hold } } : {};
  return {
    actions: pre,
    record: { ...record, advance: { step: o.advance.current }, ...hold },
    ...(step.kind === 'wait' && step.until !== undefined ? { wakeAt: step.until } : {}),
    reason,
  };
}

/**
 * The end of the last period every guard has judged (data arrived, healthy or gated), so the next
 * run starts where this one's evidence ends — never past a period still waiting for its data.
 */
export function settledThrough(guards: WatchVerdict['guards'], previous: number): number {
  let through = Number.POSITIVE_INFINITY;
  for (const g of guards) {
    let last = previous;
    for (const p of g.periods) {
      if (p.outcome === 'pending') break;
      last = Math.max(last, p.end);
    }
    through = Math.min(through, last);
  }
  return Number.isFinite(through) ? through : previous;
}

/** Each guard's judged periods, as data (the record keeps the last 20 of each). */
function judged(guards: WatchVerdict['guards']): ReleaseRecord['guards'] {
  const out: ReleaseRecord['guards'] = {};
  for (const g of guards) {
    out[g.guard] = {
      periods: g.periods.slice(-20).map((p) => ({
        start: p.start,
        end: p.end,
        outcome: p.outcome,
        ...(p.value !== undefined ? { value: p.value } : {}),
      })),
      ...(g.comparison ? { evidence: g.comparison } : {}),
    };
  }
  return out;
}

export type RollbackMethod = 'adopt' | 'wait' | 'stop' | 'revert' | 'redeploy-git' | 'redeploy';

/** The longest AppConfig reverts a completed deployment (StopDeployment with AllowRevert). */
export const REVERT_WINDOW_MS = 72 * 60 * 60_000;

/**
 * How to undo a deployment, by the gentlest means that works: adopt a rollback already made, wait
 * for one under way, stop one in flight, redeploy git's pre-change content when AppConfig ran no
 * earlier version, revert within AppConfig's 72 h, else redeploy the earlier version.
 */
export function rollbackMethod(
  deployment: { state: string; completedAt?: number },
  options: { fromGit: boolean },
  now: number,
): RollbackMethod {
  if (deployment.state === 'ROLLED_BACK' || deployment.state === 'REVERTED') return 'adopt';
  if (deployment.state === 'ROLLING_BACK') return 'wait';
  if (deployment.state !== 'COMPLETE') return 'stop';
  if (options.fromGit) return 'redeploy-git';
  if (deployment.completedAt !== undefined && now - deployment.completedAt < REVERT_WINDOW_MS)
    return 'revert';
  return 'redeploy';
}

/**
 * Whether a rollback is followed by a revert pull request: yes whenever something serves afterwards
 * (an earlier version, or git's pre-change content), so git says what runs; not when nothing serves,
 * since a values file cannot say "nothing".
 */
export function revertFollows(serving: number | undefined): boolean {
  return serving !== undefined;
}

function describeBefore(b: Before): string {
  if (b.source === 'appconfig') return `version ${b.hostedVersion ?? '?'}`;
  if (b.source === 'git')
    return `git's content from before the change${b.commit ? ` (${b.commit.slice(0, 12)})` : ''}`;
  return 'nothing';
}

function describeLookBreaches(breaches: Breach[] | undefined): string | undefined {
  if (!breaches || breaches.length === 0) return undefined;
  return breaches
    .map((b) =>
      b.kind === 'guard'
        ? `guard ${b.guard}`
        : b.kind === 'alarm'
          ? `alarm ${b.alarm}`
          : `AppConfig (${b.triggeredBy})`,
    )
    .join(', ');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
