/**
 * Transition rules: what a change from a base repository to a head repository may do, per target.
 * A target new in head is compared against "nothing deployed" (every flag off, every number 0), so a
 * new environment must ramp up like any other; dwell does not apply to it (no step has baked yet).
 * Targets removed in head only lower exposure and pass.
 */
import type { Repository, Target } from '../model/types.ts';
import { targetId } from '../model/types.ts';
import { checkAcceptance, type VerificationProvider } from './acceptance.ts';
import { checkDwell } from './dwell.ts';
import { risesBetween } from './exposure.ts';
import type { DwellProvider, PolicyFinding } from './finding.ts';
import { checkFreezeWindows } from './freeze.ts';
import { checkNumericSteps } from './numeric-steps.ts';

export interface TransitionContext {
  now: Date;
  dwell?: DwellProvider;
  /** Recorded acceptance verifications, for the gate before `acceptance.required_for`. */
  verification?: VerificationProvider;
}

export function checkTransition(base: Repository, head: Repository, ctx: TransitionContext): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  const baseTargets = indexTargets(base.targets);
  for (const target of head.targets) {
    const app = head.applications[target.application];
    if (!app || !target.flags) continue;
    const before = baseTargets.get(targetId(target));
    const rises = risesBetween(before, target);
    if (rises.length === 0) continue;
    findings.push(...checkNumericSteps(app.policy.numeric, before, target));
    findings.push(...checkFreezeWindows(app.policy.freezeWindows, target, rises, ctx.now));
    findings.push(...checkAcceptance(app.acceptance, target, rises, ctx.now, ctx.verification));
    if (before) {
      const minutes = app.policy.dwellMinutes[target.environment];
      const env = app.environments.find((e) => e.name === target.environment);
      findings.push(...checkDwell(minutes, env, target, rises, ctx.now, ctx.dwell));
    }
  }
  return findings;
}

export function indexTargets(targets: readonly Target[]): Map<string, Target> {
  return new Map(targets.map((t) => [targetId(t), t]));
}
