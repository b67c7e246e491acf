/**
 * Dwell: before the next rise in an environment, the step it runs now must have run long enough,
 * judged from its bake record (written by each bake, read from GitHub through a `DwellProvider`):
 *
 * - a rise from a step that already exposes something (10 → 25) needs that step's bake recorded
 *   `healthy` and the policy's `dwell_minutes` since it completed;
 * - the first exposure (0 → 10, right after queries were switched on) needs the enable soak
 *   (`soak_minutes.enable`, 15 by default: docs/runbook.md#phase-1's "monitor for 15 minutes"): a recorded bake of
 *   the current step that did not breach — at 0 % nothing reaches the new backend, so no data is the
 *   expected verdict — completed that long ago. With nothing recorded yet (nothing was ever exposed)
 *   it is a note.
 *
 * Without a provider (no records readable here) the rule reports a note instead of guessing.
 */
import { clockDisagreement } from '../core/clock.ts';
import type { EnvironmentDefinition, Target } from '../model/types.ts';
import { targetId } from '../model/types.ts';
import type { Rise } from './exposure.ts';
import type { DwellProvider, PolicyFinding } from './finding.ts';
import { positionOf } from './finding.ts';
import { soakMinutesFor } from './soak.ts';

export function checkDwell(
  dwellMinutes: number | undefined,
  env: EnvironmentDefinition | undefined,
  head: Target,
  rises: readonly Rise[],
  now: Date,
  provider: DwellProvider | undefined,
): PolicyFinding[] {
  const first = rises.find((r) => r.kind === 'numeric') ?? rises[0];
  if (!first) return [];
  const fromZero = first.kind === 'enable' || first.before === 0;
  const minutes = fromZero ? soakMinutesFor(env, 0, Number.POSITIVE_INFINITY) : (dwellMinutes ?? 0);
  if (minutes <= 0) return [];
  const attribute = first.kind === 'numeric' ? first.attribute : 'enabled';
  const what = fromZero ? 'the soak after enabling' : 'the dwell';
  const common = {
    rule: 'dwell' as const,
    targets: [targetId(head)],
    flag: first.flag,
    ...(first.kind === 'numeric' ? { attribute } : {}),
    position: positionOf(head, first.flag, attribute),
  };
  const note = (message: string): PolicyFinding[] => [{ ...common, severity: 'info', message }];
  const error = (message: string): PolicyFinding[] => [{ ...common, severity: 'error', message }];
  const step = provider?.currentStep({
    application: head.application,
    environment: head.environment,
    profile: head.profile,
  });
  if (!step) {
    // The soak alone is not worth a note on every change where nothing can be read.
    if (fromZero && !dwellMinutes) return [];
    return note(
      `${head.environment}: dwell not checked — no bake records can be read here (they are GitHub deployments ` +
        `of task flagops:bake; set GITHUB_TOKEN and GITHUB_REPOSITORY), so it is unknown whether the current step ` +
        `has run ${minutes} min. The pull request's plan checks it.`,
    );
  }
  if (!step.recorded) {
    if (fromZero)
      return note(`${head.environment}: ${what} not checked — ${step.why}; nothing was exposed yet.`);
    return error(
      `${head.environment}: ${step.why}, so the current step has not baked healthy for the ${minutes} min ` +
        `required before the next increase. Wait for its bake to end healthy (flagops status shows it), then re-run the check.`,
    );
  }
  const accepted = fromZero ? step.verdict !== 'breached' : step.verdict === 'healthy';
  if (!accepted)
    return error(
      `${head.environment}: the current step's bake (deployment ${step.deployment}) is ${step.verdict}, so the current ` +
        `step has not ${fromZero ? 'soaked' : 'baked healthy'} for the ${minutes} min required before the next increase. ` +
        'Fix the cause or lower the percentage; a healthy bake of the current step starts the clock again.',
    );
  // A record from the future is a clock that is not the services' clock, never "0 min".
  const disagreement = clockDisagreement(
    `the bake record of deployment ${step.deployment}`,
    step.since.getTime(),
    now.getTime(),
  );
  if (disagreement) return error(`${head.environment}: ${disagreement}`);
  const ranMinutes = Math.max(0, Math.floor((now.getTime() - step.since.getTime()) / 60_000));
  if (ranMinutes >= minutes) return [];
  const readyAt = new Date(step.since.getTime() + minutes * 60_000);
  return error(
    `${head.environment}: the current step has ${fromZero ? 'soaked' : 'baked healthy'} for ${ranMinutes} min; ${minutes} min are ` +
      `required before the next increase (${what}). Wait until ${readyAt.toISOString()} (${minutes - ranMinutes} min ` +
      `more), then re-run the check.`,
  );
}
