/**
 * Where a release record lives after the bake, and the conditional update that keeps two writers
 * from both winning.
 *
 * Storage stays "the GitHub deployment's payload plus statuses" (issue 19): every revision of a
 * release's record is its own GitHub deployment of task `flagops:bake`, its payload the whole record
 * (the bake facts plus `release`, revision N), its one status the machine line
 * `flagops record rN <verdict>` (and a few words for people) in the verdict's state. Why a
 * deployment per revision, from GitHub's REST description (@octokit/openapi):
 * - a deployment's `payload` (an object or a JSON string) is set by "Create a deployment" and no
 *   endpoint changes it, so one deployment cannot hold a record that changes;
 * - a status has only `state`, `description` (at most 140 characters), `environment`,
 *   `environment_url` and `log_url`: a record with its guards' judged periods does not fit in 140
 *   characters, and URLs are links, not storage.
 * The revisions it supersedes (and a loser's) are marked `inactive` and deleted ("Delete a
 * deployment": when a repository has more than one, only inactive ones may be), so an environment
 * keeps about one deployment per release and a reader's one page of 100 still reaches every
 * target's newest release.
 *
 * The conditional update: GitHub has no compare-and-set, but deployment ids only grow. The record
 * readers take is the release's highest revision, and of two deployments carrying it the one
 * created first (lower id). A writer that read revision N creates N+1 and lists the release again:
 * it won when readers would now take its deployment; otherwise another writer got there first, so it
 * retires its own and its caller re-reads the winner and decides again (`decide` is pure and
 * idempotent, so deciding twice acts once).
 *
 * Records from storage are untrusted data: `parseReleaseRecord` checks their shape, and one whose
 * target or deployment differs from its payload's facts is ignored.
 */
import {
  fromBakeRecord,
  type LegacyBakeRecord,
  parseReleaseRecord,
  type ReleaseRecord,
} from '../release/record.ts';

/** One stored revision as this module sees it (the bake record, ./bake-record.ts, is one). */
export interface StoredRevision extends LegacyBakeRecord {
  /** The GitHub deployment holding it: ids only grow, so a lower one was created first. */
  id: number;
  release?: ReleaseRecord;
}

/** The revision a stored record carries (0: an old record without release data). */
export function revisionOf(r: Pick<StoredRevision, 'release'>): number {
  return r.release?.revision ?? 0;
}

/** The record readers take among one release's deployments: highest revision, then first created. */
export function winnerOf<T extends Pick<StoredRevision, 'release' | 'id'>>(revisions: T[]): T | undefined {
  return [...revisions].sort((a, b) => revisionOf(b) - revisionOf(a) || a.id - b.id)[0];
}

/** The status line of a revision: machine-readable first, then words for people, ≤140 characters. */
export function machineLine(record: ReleaseRecord, note?: string): string {
  const line = `flagops record r${record.revision} ${record.verdict}`;
  return (note ? `${line}: ${note}` : line).slice(0, 140);
}

/** The bake verdict a record's payload carries beside it, for readers of the bake facts (dwell). */
export function factsVerdict(record: ReleaseRecord): LegacyBakeRecord['verdict'] {
  return record.verdict === 'pending' ? 'unverified' : record.verdict;
}

/** A payload's `release`, when it is a record of the same release as the payload's facts. */
export function releaseIn(
  value: unknown,
  facts: { target: string; deploymentNumber: number },
): ReleaseRecord | undefined {
  const release = parseReleaseRecord(value);
  if (!release || release.target !== facts.target || release.deploymentNumber !== facts.deploymentNumber)
    return undefined;
  return release;
}

/**
 * The release record of a stored bake record: its data, or, for a record written before records
 * were data, the migration of its facts and prose (`fromBakeRecord`). A soak the stored record does
 * not know of yet (its bake ended before the soak was owed) is added from `soakUntil`.
 */
export function releaseOf(bake: StoredRevision, soakUntil?: number): ReleaseRecord {
  const stored = bake.release;
  if (!stored) return fromBakeRecord(bake, soakUntil);
  if (stored.soak || soakUntil === undefined || soakUntil <= stored.bake.to) return stored;
  return { ...stored, soak: { until: soakUntil, through: stored.bake.to } };
}

/** Two records say the same, revision aside (a shell writes only when something changed). */
export function sameRecord(a: ReleaseRecord, b: ReleaseRecord): boolean {
  return canonical({ ...a, revision: 0 }) === canonical({ ...b, revision: 0 });
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  );
}

/** A conditional write's result: won (the stored revision), or lost to `current` (re-read). */
export type WriteOutcome<R extends StoredRevision> =
  | { won: true; record: R }
  | { won: false; current: R | undefined };

/** The conditional write: `next` as revision `read`'s + 1, won only if no other writer got there first. */
export interface RevisionStore<R extends StoredRevision> {
  write(read: R, next: ReleaseRecord, note?: string): Promise<WriteOutcome<R>>;
}

/**
 * Read-modify-write with the conditional update: `change` gets the current record and returns the
 * next one (or undefined: nothing to write); a lost write re-reads the winner and asks `change`
 * again. Returns the record as stored, or undefined when nothing was written.
 */
export async function updateRelease<R extends StoredRevision>(
  store: RevisionStore<R>,
  read: R,
  change: (current: ReleaseRecord) => ReleaseRecord | undefined,
  note?: string,
): Promise<R | undefined> {
  let current: R | undefined = read;
  for (let attempt = 0; attempt < 5 && current; attempt += 1) {
    const before = releaseOf(current);
    const next = change(before);
    if (!next || sameRecord(before, next)) return current;
    const outcome = await store.write(current, next, note);
    if (outcome.won) return outcome.record;
    current = outcome.current;
  }
  return current;
}
