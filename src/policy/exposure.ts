/**
 * How much a target exposes, as the rules see it. A flag that is absent or disabled exposes nothing,
 * so its numeric attributes count as 0: enabling a flag whose `percentage` is 50 is a rise of 50,
 * exactly as if it had been moved from 0 to 50. A target that is new in head is compared against
 * "nothing deployed" the same way (every flag absent).
 */
import type { Target } from '../model/types.ts';

export function isEnabled(target: Target | undefined, flag: string): boolean {
  return target?.flags?.[flag]?.enabled === true;
}

/** The attribute's number while the flag is enabled; 0 when the flag is off or absent. */
export function effectiveNumber(target: Target | undefined, flag: string, attribute: string): number {
  const value = target?.flags?.[flag];
  if (!value?.enabled) return 0;
  const n = value.attributes[attribute];
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}

/** A change that exposes more: a flag switched on, or a numeric attribute of an enabled flag rising. */
export type Rise =
  | { kind: 'enable'; flag: string }
  | { kind: 'numeric'; flag: string; attribute: string; before: number; after: number };

/**
 * Every rise from base to head for one target. Lowering, disabling and removing flags are not rises:
 * they are how people roll back, and only approvals may apply to them (the README's promises: lowering traffic or reverting is never blocked by policy).
 */
export function risesBetween(base: Target | undefined, head: Target): Rise[] {
  const rises: Rise[] = [];
  for (const [flag, value] of Object.entries(head.flags ?? {})) {
    if (!value.enabled) continue;
    if (!isEnabled(base, flag)) rises.push({ kind: 'enable', flag });
    for (const [attribute, raw] of Object.entries(value.attributes)) {
      if (typeof raw !== 'number') continue;
      const before = effectiveNumber(base, flag, attribute);
      const after = effectiveNumber(head, flag, attribute);
      if (after > before) rises.push({ kind: 'numeric', flag, attribute, before, after });
    }
  }
  return rises;
}

export function describeRise(rise: Rise): string {
  return rise.kind === 'enable'
    ? `enabling ${rise.flag}`
    : `raising ${rise.flag}.${rise.attribute} ${rise.before} → ${rise.after}`;
}
