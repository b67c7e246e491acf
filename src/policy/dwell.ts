/**
 * Dwell: before the next rise in an environment, its current step must have baked healthy for the
 * policy's `dwell_minutes`. Only the deploy pipeline knows deployment history, so it answers through
 * a `DwellProvider`; without one, the rule reports a note instead of guessing.
 */
import type { Target } from '../model/types.ts';
import { targetId } from '../model/types.ts';
import type { Rise } from './exposure.ts';
import type { DwellProvider, PolicyFinding } from './finding.ts';
import { positionOf } from './finding.ts';

export function checkDwell(
  dwellMinutes: number | undefined,
  head: Target,
  rises: readonly Rise[],
  now: Date,
  provider: DwellProvider | undefined,
): PolicyFinding[] {
  const first = rises[0];
  if (!dwellMinutes || dwellMinutes <= 0 || !first) return [];
  const attribute = first.kind === 'numeric' ? first.attribute : 'enabled';
  const common = {
    rule: 'dwell' as const,
    targets: [targetId(head)],
    flag: first.flag,
    ...(first.kind === 'numeric' ? { attribute } : {}),
    position: positionOf(head, first.flag, attribute),
  };
  const since = provider?.healthySince({
    application: head.application,
    environment: head.environment,
    profile: head.profile,
  });
  if (!since) {
    return [
      {
        ...common,
        severity: 'info',
        message:
          `${head.environment}: dwell not checked — no deployment history is available here, so it is unknown ` +
          `whether the current step has baked healthy for ${dwellMinutes} min. The deploy pipeline checks it ` +
          `before it deploys this change.`,
      },
    ];
  }
  const bakedMinutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (bakedMinutes >= dwellMinutes) return [];
  const readyAt = new Date(since.getTime() + dwellMinutes * 60_000);
  return [
    {
      ...common,
      severity: 'error',
      message:
        `${head.environment}: the current step has baked healthy for ${bakedMinutes} min; ${dwellMinutes} min are ` +
        `required before the next increase. Wait until ${readyAt.toISOString()} (${dwellMinutes - bakedMinutes} min ` +
        `more), then re-run the check.`,
    },
  ];
}
