/** How values and changes read in every renderer, so text, markdown and revert notes agree. */
import type { ValueChange } from './types.ts';

/** A value as a person reads it; `—` when the value does not exist on that side. */
export function formatValue(value: unknown, present: boolean): string {
  if (!present) return '—';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

export function formatBefore(change: ValueChange): string {
  return formatValue(change.before, Object.hasOwn(change, 'before'));
}

export function formatAfter(change: ValueChange): string {
  return formatValue(change.after, Object.hasOwn(change, 'after'));
}

/** `FLAG.ATTRIBUTE` (e.g. `new_provider_share.percentage`), `FLAG.enabled` or a JSON path. */
export function changeSubject(change: ValueChange): string {
  if (change.path !== undefined) return change.path;
  return change.attribute !== undefined ? `${change.flag}.${change.attribute}` : (change.flag ?? '');
}
