/**
 * The advancer's one decision point, pure: given what is known about a target with a `_rollout`
 * plan, either wait (with the reason and, where known, until when) or propose the next step.
 * Re-running with the same facts gives the same decision, so scheduled runs are idempotent.
 *
 * Order matters: a hold, a freeze window or someone else's open change stops everything; our own
 * open proposal waits for people; then the current step must be deployed, baked healthy (a
 * recorded verdict, never `unverified`) and have dwelt — the plan's wait, the policy's dwell and the
 * soak, whichever is longest — before the next step is proposed.
 */
import type { RolloutPlan } from '../model/types.ts';

export interface AdvanceFacts {
  target: string;
  plan: RolloutPlan;
  /** The attribute's value on main (0 while the flag is off). */
  current: number;
  /** The policy ladder for the attribute, if any. */
  ladder?: readonly number[];
  now: number;
  hold?: string;
  freeze?: { name: string; end: number };
  /** Someone else's open pull request for the target. */
  openChange?: { number: number; url: string };
  /** The advancer's own open proposal. */
  proposal?: { number: number; url: string };
  /** Main's content runs (COMPLETE) since this instant; undefined: not (yet) deployed. */
  deployedAt?: number;
  /** The AppConfig deployment that serves main's content. */
  deploymentNumber?: number;
  /** A deployment in flight for the target. */
  inFlight?: string;
  /** The recorded bake verdict of the running deployment (its bake record), once written. */
  bake?: { verdict: 'healthy' | 'breached' | 'unverified' | 'no-data'; until: number };
  bakeMinutes: number;
  /** Minutes the current step must have run before the next: max(plan wait, policy dwell, soak). */
  dwellMinutes: number;
}

export type AdvanceDecision =
  | { kind: 'wait'; reason: string; until?: number }
  | { kind: 'proposed'; reason: string; number: number; url: string }
  | { kind: 'propose'; next: number; finish: boolean; reason: string };

/**
 * The next value along the plan: `current + step` capped at the target; with a ladder, the highest
 * rung within that reach, or — when the step is shorter than the gap — the next rung up. So
 * `--target 100 --step-size 10` on the ladder 0, 10, 25, 50, 75, 100 walks the migration's phases
 * (docs/runbook.md#phase-2).
 */
export function nextValue(plan: RolloutPlan, current: number, ladder?: readonly number[]): number {
  const reach = Math.min(current + plan.step, plan.target);
  if (!ladder || ladder.length === 0) return reach;
  const rungs = [...ladder].sort((a, b) => a - b).filter((v) => v > current && v <= plan.target);
  const within = rungs.filter((v) => v <= reach);
  return within.length > 0 ? within[within.length - 1]! : (rungs[0] ?? plan.target);
}

export function decideAdvance(f: AdvanceFacts): AdvanceDecision {
  if (f.hold) return { kind: 'wait', reason: `held: ${f.hold}` };
  if (f.freeze && f.current < f.plan.target)
    return { kind: 'wait', reason: `freeze window ${f.freeze.name}`, until: f.freeze.end };
  if (f.openChange)
    return {
      kind: 'wait',
      reason: `pull request #${f.openChange.number} is open for this target; the next step waits for it`,
    };
  if (f.proposal)
    return {
      kind: 'proposed',
      number: f.proposal.number,
      url: f.proposal.url,
      reason: `step proposed in pull request #${f.proposal.number}; waiting for approvals and the merge`,
    };
  if (f.inFlight) return { kind: 'wait', reason: `deploying: ${f.inFlight}` };
  if (f.deployedAt === undefined)
    return { kind: 'wait', reason: 'main is not deployed yet (AppConfig serves other content)' };
  // The plan is not deployed content: once the target runs, removing it needs no more waiting.
  if (f.current >= f.plan.target)
    return { kind: 'propose', next: f.current, finish: true, reason: `target ${f.plan.target} reached` };
  const bakeEnd = f.deployedAt + f.bakeMinutes * 60_000;
  if (f.now < bakeEnd) return { kind: 'wait', reason: 'baking', until: bakeEnd };
  if (!f.bake)
    return {
      kind: 'wait',
      reason: `no bake of deployment ${f.deploymentNumber ?? '?'} is recorded yet (its bake job records the verdict when it ends)`,
    };
  if (f.bake.verdict !== 'healthy')
    return {
      kind: 'wait',
      reason: `the current step's bake is ${f.bake.verdict}: a person decides (fix, or lower the percentage)`,
    };
  const readyAt = f.deployedAt + Math.max(f.bakeMinutes, f.dwellMinutes) * 60_000;
  if (f.now < readyAt) return { kind: 'wait', reason: `dwelling ${f.dwellMinutes} min`, until: readyAt };
  const next = nextValue(f.plan, f.current, f.ladder);
  return {
    kind: 'propose',
    next,
    finish: next >= f.plan.target,
    reason: `${f.current} baked healthy and dwelt ${f.dwellMinutes} min`,
  };
}

/** `waiting until 12:45Z: dwelling 15 min` — what `status` and the advancer print. */
export function describeDecision(d: AdvanceDecision): string {
  switch (d.kind) {
    case 'wait':
      return `waiting${d.until !== undefined ? ` until ${new Date(d.until).toISOString()}` : ''}: ${d.reason}`;
    case 'proposed':
      return d.reason;
    case 'propose':
      return d.finish && d.reason.startsWith('target')
        ? `finishing: ${d.reason}, removing the plan`
        : `proposing ${d.next}${d.finish ? ' (the target; the plan is removed)' : ''}: ${d.reason}`;
  }
}
