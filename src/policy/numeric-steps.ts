/**
 * How far one change may raise a numeric policy attribute: at most `max_increase` points, and (when a
 * ladder is set) only onto one of the ladder's values. Only rises are judged; any decrease passes.
 */
import type { NumericRule, Target } from '../model/types.ts';
import { targetId } from '../model/types.ts';
import { effectiveNumber } from './exposure.ts';
import type { PolicyFinding } from './finding.ts';
import { positionOf } from './finding.ts';

export function checkNumericSteps(
  rules: readonly NumericRule[],
  base: Target | undefined,
  head: Target,
): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const rule of rules) {
    const before = effectiveNumber(base, rule.flag, rule.attribute);
    const after = effectiveNumber(head, rule.flag, rule.attribute);
    if (after <= before) continue;
    const common = {
      severity: 'error' as const,
      targets: [targetId(head)],
      flag: rule.flag,
      attribute: rule.attribute,
      position: positionOf(head, rule.flag, rule.attribute),
    };
    const rise = `${head.environment}: ${rule.key} rises ${before} → ${after} (+${after - before})`;
    const tooFar = rule.maxIncrease !== undefined && after - before > rule.maxIncrease;
    if (tooFar && rule.maxIncrease !== undefined) {
      const limit = before + rule.maxIncrease;
      const step = ladderStepWithin(rule.ladder, before, limit);
      const next =
        step !== undefined
          ? ` — the ladder's next step is ${step}.`
          : rule.ladder
            ? '.'
            : ', then raise it again in a later change.';
      findings.push({
        ...common,
        rule: 'max-increase',
        message: `${rise}; at most +${rule.maxIncrease} per change is allowed. Go to ${limit} or less first${next}`,
      });
    }
    if (rule.ladder && !rule.ladder.includes(after)) {
      const limit = rule.maxIncrease === undefined ? after : Math.min(after, before + rule.maxIncrease);
      const step = ladderStepWithin(rule.ladder, before, limit) ?? rule.ladder.find((v) => v > before);
      const instead = step !== undefined ? `Use ${step} instead` : `Stay at ${before} or lower it`;
      findings.push({
        ...common,
        rule: 'ladder',
        message: `${rise}, but ${after} is not on the ladder [${rule.ladder.join(', ')}]. ${instead}.`,
      });
    }
  }
  return findings;
}

/** The highest ladder value above `from` and at most `limit`: the furthest allowed step. */
function ladderStepWithin(
  ladder: readonly number[] | undefined,
  from: number,
  limit: number,
): number | undefined {
  const reachable = (ladder ?? []).filter((v) => v > from && v <= limit);
  return reachable.length ? Math.max(...reachable) : undefined;
}
