/**
 * Soak: how long a step must run before the next one, by what the step did. The runbook
 * (docs/concepts.md#bake-soak-and-dwell): monitor 15 minutes after switching a flag on (the step at
 * 0 %), 24 hours after an attribute reaches its maximum. `soak_minutes` per
 * environment overrides the defaults.
 */
import type { EnvironmentDefinition } from '../model/types.ts';

export function soakMinutesFor(
  env: EnvironmentDefinition | undefined,
  value: number,
  maximum: number,
): number {
  const soak = env?.soakMinutes ?? {};
  if (value >= maximum) return soak.maximum ?? 1440;
  // At 0 the step before can only have switched the flag (queries) on.
  if (value === 0) return soak.enable ?? 15;
  return soak.default ?? 0;
}
