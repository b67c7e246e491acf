/**
 * The percentage history of a values file from git: one point per commit that changed the file
 * (oldest first), reading each revision's YAML. A revision that does not parse is skipped, not fatal.
 */
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';

export interface HistoryPoint {
  /** Abbreviated commit, or a label such as `this PR`. */
  commit: string;
  /** ISO date (day) of the commit. */
  date: string;
  value: number;
}

export interface HistorySeries {
  /** `flag.attribute`, e.g. `new_provider_share.percentage`. */
  key: string;
  points: HistoryPoint[];
}

/** Numeric attributes named like a percentage, from one values file's text: key → value (0 when off). */
export function percentagesOf(text: string): Record<string, number> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return {};
  }
  const out: Record<string, number> = {};
  if (typeof doc !== 'object' || doc === null) return out;
  for (const [flag, value] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null || flag.startsWith('_')) continue;
    const entry = value as Record<string, unknown>;
    for (const [attr, v] of Object.entries(entry)) {
      if (typeof v === 'number' && /percent/i.test(attr))
        out[`${flag}.${attr}`] = entry['enabled'] === false ? 0 : v;
    }
  }
  return out;
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 << 20,
    });
  } catch {
    return undefined;
  }
}

/**
 * The series of `file` as of `rev` (newest `limit` changes), plus the head's value as a last point
 * labelled `headLabel` when `headText` is given and differs.
 */
export function percentageHistory(
  root: string,
  rev: string,
  file: string,
  options: { limit?: number; headText?: string; headLabel?: string } = {},
): HistorySeries[] {
  const limit = options.limit ?? 20;
  const log = git(root, ['log', `-${limit}`, '--format=%H%x00%cs', rev, '--', file]) ?? '';
  const commits = log
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\0') as [string, string])
    .reverse();
  const byKey = new Map<string, HistoryPoint[]>();
  const add = (values: Record<string, number>, commit: string, date: string) => {
    for (const [key, value] of Object.entries(values)) {
      const points = byKey.get(key) ?? [];
      points.push({ commit, date, value });
      byKey.set(key, points);
    }
  };
  for (const [sha, date] of commits) {
    const text = git(root, ['show', `${sha}:${file}`]);
    if (text !== undefined) add(percentagesOf(text), sha.slice(0, 7), date);
  }
  if (options.headText !== undefined)
    add(percentagesOf(options.headText), options.headLabel ?? 'this PR', 'proposed');
  return [...byKey.entries()].map(([key, points]) => ({ key, points }));
}
