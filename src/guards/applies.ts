/**
 * Whether a guard applies to a deployment, judged on the configuration it serves
 * (docs/reference.md#applies_when): a guard declares `applies_when` (flags that must be enabled,
 * optionally with a condition on a number attribute, which counts as 0 while its flag is off). A
 * comparison between an old and a new backend does not apply once the old one carries no traffic
 * by design; a guard on the new backend does not apply while it takes none. Pure.
 */
import { conditionHolds } from '../model/expressions.ts';
import type { GuardCondition, GuardDefinition, Target } from '../model/types.ts';

export interface NotApplicable {
  guard: string;
  /** The condition that does not hold, as written: `new_provider_share.percentage < 100`. */
  because: string;
}

/** The guards that apply to `target`'s values, and why the others do not. */
export function applicableGuards(
  guards: GuardDefinition[],
  target: Pick<Target, 'flags'> | undefined,
): { guards: GuardDefinition[]; notApplicable: NotApplicable[] } {
  const applying: GuardDefinition[] = [];
  const notApplicable: NotApplicable[] = [];
  for (const guard of guards) {
    const failed = target ? (guard.appliesWhen ?? []).find((c) => !holds(c, target)) : undefined;
    if (failed) notApplicable.push({ guard: guard.name, because: conditionText(failed) });
    else applying.push(guard);
  }
  return { guards: applying, notApplicable };
}

function holds(condition: GuardCondition, target: Pick<Target, 'flags'>): boolean {
  const value = target.flags?.[condition.flag];
  const enabled = value?.enabled === true;
  if (!condition.when) return enabled;
  const raw = enabled ? value.attributes[condition.when.attribute] : 0;
  return conditionHolds(condition.when, typeof raw === 'number' ? raw : 0);
}

export function conditionText(c: GuardCondition): string {
  return c.when ? `${c.flag}.${c.when.attribute} ${c.when.op} ${c.when.value}` : `${c.flag} enabled`;
}

/** `latency-gap (applies when new_provider_share.percentage < 100)`, grouped by condition. */
export function describeNotApplicable(list: NotApplicable[]): string {
  const byCondition = new Map<string, string[]>();
  for (const n of list) byCondition.set(n.because, [...(byCondition.get(n.because) ?? []), n.guard]);
  return [...byCondition]
    .map(([because, guards]) => `${guards.join(', ')} (applies when ${because})`)
    .join('; ');
}
