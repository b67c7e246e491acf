/**
 * What changed in one target between base and head, value by value. Feature-flag profiles are
 * compared flag by flag and attribute by attribute; freeform profiles by JSON path. A missing side
 * (target new or removed) compares against nothing.
 */
import type { FlagValue, Target } from '../model/types.ts';
import type { ValueChange } from './types.ts';

export function diffTarget(base: Target | undefined, head: Target | undefined): ValueChange[] {
  const profileType = (head ?? base)?.profileType;
  // A missing side of a freeform target compares as an empty document, so each setting shows.
  if (profileType === 'AWS.Freeform') return diffData(base ? base.data : {}, head ? head.data : {}, '');
  return diffFlags(base?.flags ?? {}, head?.flags ?? {});
}

function diffFlags(before: Record<string, FlagValue>, after: Record<string, FlagValue>): ValueChange[] {
  const changes: ValueChange[] = [];
  for (const flag of unionKeys(before, after)) {
    const old = before[flag];
    const now = after[flag];
    if (!old && now) changes.push(...flagRows('flag-added', flag, now));
    else if (old && !now) changes.push(...flagRows('flag-removed', flag, old));
    else if (old && now) changes.push(...diffFlag(flag, old, now));
  }
  return changes;
}

/** An added or removed flag shows as one row for the switch and one per attribute. */
function flagRows(kind: 'flag-added' | 'flag-removed', flag: string, value: FlagValue): ValueChange[] {
  const added = kind === 'flag-added';
  const side = (v: unknown) => (added ? { after: v } : { before: v });
  const switchDirection = value.enabled ? (added ? 'up' : 'down') : 'other';
  return [
    { kind, flag, attribute: 'enabled', ...side(value.enabled), direction: switchDirection },
    ...Object.entries(value.attributes).map(
      ([attribute, v]): ValueChange => ({ kind, flag, attribute, ...side(v), direction: 'other' }),
    ),
  ];
}

function diffFlag(flag: string, old: FlagValue, now: FlagValue): ValueChange[] {
  const changes: ValueChange[] = [];
  if (old.enabled !== now.enabled) {
    changes.push({
      kind: 'enabled',
      flag,
      attribute: 'enabled',
      before: old.enabled,
      after: now.enabled,
      direction: now.enabled ? 'up' : 'down',
    });
  }
  for (const attribute of unionKeys(old.attributes, now.attributes)) {
    const hadIt = Object.hasOwn(old.attributes, attribute);
    const hasIt = Object.hasOwn(now.attributes, attribute);
    const before = old.attributes[attribute];
    const after = now.attributes[attribute];
    if (hadIt && hasIt && sameValue(before, after)) continue;
    changes.push({
      kind: 'attribute',
      flag,
      attribute,
      ...(hadIt ? { before } : {}),
      ...(hasIt ? { after } : {}),
      direction: numericDirection(before, after),
    });
  }
  return changes;
}

function diffData(before: unknown, after: unknown, path: string): ValueChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    return unionKeys(before, after).flatMap((key) => {
      const child = joinPath(path, key);
      if (!Object.hasOwn(before, key)) return [pathChange(child, undefined, after[key], false, true)];
      if (!Object.hasOwn(after, key)) return [pathChange(child, before[key], undefined, true, false)];
      return diffData(before[key], after[key], child);
    });
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => diffData(item, after[i], `${path}[${i}]`));
  }
  if (sameValue(before, after)) return [];
  return [pathChange(path, before, after, before !== undefined, after !== undefined)];
}

function pathChange(
  path: string,
  before: unknown,
  after: unknown,
  hadIt: boolean,
  hasIt: boolean,
): ValueChange {
  return {
    kind: 'path',
    path: path === '' ? '(document)' : path,
    ...(hadIt ? { before } : {}),
    ...(hasIt ? { after } : {}),
    direction: 'other',
  };
}

function joinPath(path: string, key: string): string {
  const safe = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (path === '') return safe;
  return safe.startsWith('"') ? `${path}[${safe}]` : `${path}.${safe}`;
}

function numericDirection(before: unknown, after: unknown): ValueChange['direction'] {
  if (typeof before !== 'number' || typeof after !== 'number') return 'other';
  return after > before ? 'up' : 'down';
}

/** Head's order first (as the file reads), then what only base had. */
function unionKeys(before: object, after: object): string[] {
  return [...new Set([...Object.keys(after), ...Object.keys(before)])];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Values come from parsed YAML: scalars, arrays and plain objects, so JSON equality is exact enough. */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
