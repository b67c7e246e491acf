/**
 * When to look next: just after the next period's data is due (its end plus `readDelayMs`), again
 * with backoff while a period's data is late (until its ingestion allowance runs out), at the
 * bake's end, and at least every `pollIntervalMs`. Pure.
 */
import type { GuardReport } from '../guards/report.ts';
import type { GuardDefinition } from '../model/types.ts';
import type { PipelineSettings } from './context.ts';

export interface ScheduleInput {
  now: number;
  /** The bake's end, once known. */
  to?: number;
  /** Looks in a row that found the same periods still pending (the backoff exponent). */
  quietLooks: number;
  settings: Pick<PipelineSettings, 'pollIntervalMs' | 'readDelayMs' | 'ingestionAllowanceMs'>;
  guards: GuardDefinition[];
}

export function nextLook(reports: GuardReport[], input: ScheduleInput): number {
  const { now, settings } = input;
  const candidates: number[] = [];
  const steps = input.guards.map((g) => g.periodSeconds * 1000);
  if (steps.length === 0) candidates.push(now + settings.pollIntervalMs);
  else {
    // The in-between looks (alarms, the deployment) keep the same phase as the period reads, so
    // every look lands just after data is due rather than just before.
    const base = Math.floor((now - settings.readDelayMs) / Math.min(...steps)) * Math.min(...steps);
    const phase = base + settings.readDelayMs;
    candidates.push(
      phase + (Math.floor((now - phase) / settings.pollIntervalMs) + 1) * settings.pollIntervalMs,
    );
  }
  for (const step of steps) {
    const end = Math.floor((now - settings.readDelayMs) / step) * step + step;
    candidates.push(end + settings.readDelayMs);
  }
  const backoff = Math.min(
    settings.pollIntervalMs,
    settings.readDelayMs * 2 ** Math.min(input.quietLooks + 1, 16),
  );
  for (const r of reports) {
    for (const p of r.periods) {
      if (p.outcome !== 'pending') continue;
      // Late data: look again soon, backing off, and once more when the period's allowance ends.
      candidates.push(now + backoff);
      const due = p.end + settings.ingestionAllowanceMs;
      if (due > now) candidates.push(due);
    }
  }
  if (input.to !== undefined && input.to > now) candidates.push(input.to);
  return Math.max(now + 1, Math.min(...candidates));
}
