/**
 * `requires:` — a flag that is on (and whose `when` condition holds) needs each prerequisite flag on
 * in the same target, e.g. a percentage above 0 needs the flag that makes the new path usable enabled
 * (docs/reference.md#flags).
 */
import type { Application, Condition, Target } from '../model/types.ts';
import { targetId } from '../model/types.ts';
import { isEnabled } from './exposure.ts';
import type { PolicyFinding } from './finding.ts';
import { positionOf } from './finding.ts';

export function checkPrerequisites(app: Application, target: Target): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const [flag, value] of Object.entries(target.flags ?? {})) {
    if (!value.enabled) continue;
    for (const prerequisite of app.flags[flag]?.requires ?? []) {
      const { when } = prerequisite;
      if (when && !conditionHolds(when, value.attributes[when.attribute])) continue;
      if (isEnabled(target, prerequisite.flag)) continue;
      const state = target.flags?.[prerequisite.flag] ? 'disabled' : 'missing';
      const because = when
        ? `${flag} has ${when.attribute} ${String(value.attributes[when.attribute])} (${describeCondition(when)})`
        : `${flag} is enabled`;
      const instead = when
        ? `Enable ${prerequisite.flag} in ${target.file} first, or ${describeEscape(flag, when)}.`
        : `Enable ${prerequisite.flag} in ${target.file} first, or disable ${flag}.`;
      findings.push({
        rule: 'prerequisite',
        severity: 'error',
        targets: [targetId(target)],
        flag,
        ...(when ? { attribute: when.attribute } : {}),
        message: `${target.environment}: ${because}, which requires ${prerequisite.flag} to be enabled, but it is ${state}. ${instead}`,
        position: positionOf(target, flag, when?.attribute ?? 'enabled'),
      });
    }
  }
  return findings;
}

export function conditionHolds(condition: Condition, actual: unknown): boolean {
  if (typeof actual !== 'number') return false;
  switch (condition.op) {
    case '>':
      return actual > condition.value;
    case '>=':
      return actual >= condition.value;
    case '<':
      return actual < condition.value;
    case '<=':
      return actual <= condition.value;
    case '==':
      return actual === condition.value;
    case '!=':
      return actual !== condition.value;
  }
}

export function describeCondition(condition: Condition): string {
  return `${condition.attribute} ${condition.op} ${condition.value}`;
}

const NEGATED: Record<Condition['op'], Condition['op']> = {
  '>': '<=',
  '>=': '<',
  '<': '>=',
  '<=': '>',
  '==': '!=',
  '!=': '==',
};

/** How to leave the condition, e.g. "set new_provider_share.percentage to 0". */
function describeEscape(flag: string, condition: Condition): string {
  const negated = { ...condition, op: NEGATED[condition.op] };
  return conditionHolds(negated, condition.value)
    ? `set ${flag}.${condition.attribute} to ${condition.value}`
    : `change ${flag}.${condition.attribute} so that ${describeCondition(negated)}`;
}
