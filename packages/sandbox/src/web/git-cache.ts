/**
 * Git answers about commits never change (a sha names the same content forever), so the pages keep
 * them: a pull request viewed twice runs its diff, log and merge checks once. Keys are full shas;
 * anything that reads a branch must not come through here.
 */
import type { BareRepository, CommitInfo, FileChange } from '../github/git.ts';

const MAX_ENTRIES = 500;
const cache = new Map<string, unknown>();

function memo<T>(key: string, compute: () => T): T {
  if (cache.has(key)) {
    const value = cache.get(key) as T;
    // Refresh its place: the map's order is the eviction order.
    cache.delete(key);
    cache.set(key, value);
    return value;
  }
  const value = compute();
  cache.set(key, value);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return value;
}

export const cachedGit = {
  diff: (git: BareRepository, from: string, to: string): FileChange[] =>
    memo(`diff ${git.path} ${from} ${to}`, () => git.diff(from, to)),
  commit: (git: BareRepository, sha: string): CommitInfo =>
    memo(`commit ${git.path} ${sha}`, () => git.commit(sha)),
  /** Commits reachable from `to` but not `from`, oldest first. */
  between: (git: BareRepository, from: string, to: string): CommitInfo[] =>
    memo(`between ${git.path} ${from} ${to}`, () => git.commits(['--reverse', `${from}..${to}`])),
  /** The newest `count` commits reachable from `sha`. */
  history: (git: BareRepository, sha: string, count: number): CommitInfo[] =>
    memo(`history ${git.path} ${sha} ${count}`, () => git.commits(['-n', String(count), sha])),
  mergeBase: (git: BareRepository, a: string, b: string): string | undefined =>
    memo(`merge-base ${git.path} ${a} ${b}`, () => git.mergeBase(a, b)),
  mergesCleanly: (git: BareRepository, base: string, head: string): boolean =>
    memo(`merge-tree ${git.path} ${base} ${head}`, () => git.mergeTree(base, head).clean),
};
