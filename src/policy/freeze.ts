/**
 * Freeze windows (UTC instants): inside a window that covers the environment, nothing may rise —
 * no flag switched on, no number raised. Lowering and disabling stay allowed: rollback is never
 * blocked (the README's promises, "How a change flows").
 */
import type { FreezeWindow, Target } from '../model/types.ts';
import { targetId } from '../model/types.ts';
import type { Rise } from './exposure.ts';
import { describeRise } from './exposure.ts';
import type { PolicyFinding } from './finding.ts';
import { positionOf } from './finding.ts';

export function activeFreezeWindows(
  windows: readonly FreezeWindow[],
  environment: string,
  now: Date,
): FreezeWindow[] {
  return windows.filter((w) => {
    const covers = w.environments.length === 0 || w.environments.includes(environment);
    const start = Date.parse(w.start);
    const end = Date.parse(w.end);
    return covers && now.getTime() >= start && now.getTime() < end;
  });
}

export function checkFreezeWindows(
  windows: readonly FreezeWindow[],
  head: Target,
  rises: readonly Rise[],
  now: Date,
): PolicyFinding[] {
  const active = activeFreezeWindows(windows, head.environment, now);
  const findings: PolicyFinding[] = [];
  for (const window of active) {
    for (const rise of rises) {
      const attribute = rise.kind === 'numeric' ? rise.attribute : 'enabled';
      findings.push({
        rule: 'freeze-window',
        severity: 'error',
        targets: [targetId(head)],
        flag: rise.flag,
        ...(rise.kind === 'numeric' ? { attribute } : {}),
        message:
          `${head.environment}: ${describeRise(rise)} is not allowed during the freeze window "${window.name}" ` +
          `(${window.start} – ${window.end}, UTC). Wait until ${window.end}, or limit this change to ` +
          `lowering or disabling — rollbacks are always allowed.`,
        position: positionOf(head, rise.flag, attribute),
      });
    }
  }
  return findings;
}
