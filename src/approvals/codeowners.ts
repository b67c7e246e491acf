/**
 * CODEOWNERS: who must approve which paths. GitHub reads the file from the pull request's base
 * branch (`.github/CODEOWNERS`, then `CODEOWNERS`, then `docs/CODEOWNERS`); for each changed file
 * the LAST matching line decides, and a line with no owners makes the path unowned
 * (https://docs.github.com/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners).
 * Pure: parse, match, judge; team membership is handed in.
 */

export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

export interface CodeOwnersRule {
  pattern: string;
  /** `@login`, `@org/team` or an email, as written. */
  owners: string[];
  line: number;
  matches: (path: string) => boolean;
}

export function parseCodeOwners(text: string): CodeOwnersRule[] {
  const rules: CodeOwnersRule[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const [pattern, ...owners] = line.split(/\s+/);
    if (!pattern) continue;
    rules.push({ pattern, owners, line: i + 1, matches: globMatcher(pattern) });
  }
  return rules;
}

/**
 * A gitignore-style pattern as a matcher: `*` and `?` within a segment, a `**` segment across
 * segments, a leading `/` (or any inner `/`) anchors at the root, a trailing `/` matches
 * everything below a directory, and a pattern naming a directory matches what is inside it.
 * No regular expressions: segments are matched with the two-pointer wildcard algorithm and `**`
 * by dynamic programming over segments, so a hostile pattern costs at most
 * O(pattern × path), never backtracking.
 */
export function globMatcher(pattern: string): (path: string) => boolean {
  const anchored = pattern.startsWith('/') || pattern.slice(0, -1).includes('/');
  const directory = pattern.endsWith('/');
  const segments = pattern.replace(/^\//, '').replace(/\/$/, '').split('/');
  // Unanchored: may start in any directory. A pattern names a file or a directory: whatever
  // lies below it matches too (a trailing `/` insists on that).
  const full = [...(anchored ? [] : ['**']), ...segments, ...(directory ? ['**', '*'] : [])];
  return (path) => {
    const parts = path.split('/');
    return matchSegments(full, parts) || (!directory && matchSegments([...full, '**', '*'], parts));
  };
}

/** `pattern` segments (with `**` for any number of segments) against path segments. */
function matchSegments(pattern: readonly string[], path: readonly string[]): boolean {
  // can[j]: pattern[0..i) matches path[0..j).
  let can = path.map(() => false).concat(false);
  can[0] = true;
  for (const seg of pattern) {
    const next = can.map(() => false);
    if (seg === '**') {
      let any = false;
      for (let j = 0; j < can.length; j++) {
        any = any || can[j] === true;
        next[j] = any;
      }
    } else {
      for (let j = 0; j < path.length; j++)
        if (can[j] && matchSegment(seg, path[j] ?? '')) next[j + 1] = true;
    }
    can = next;
  }
  return can[path.length] === true;
}

/** One segment: `*` any run, `?` one character; the classic linear-backtrack wildcard match. */
function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** The owners of one path: the last matching rule's, or none. */
export function ownersOf(rules: readonly CodeOwnersRule[], path: string): string[] {
  let owners: string[] = [];
  for (const rule of rules) if (rule.matches(path)) owners = rule.owners;
  return owners;
}

export interface CodeOwnersVerdict {
  satisfied: boolean;
  /** Paths whose owners have not approved, with the owners that could. */
  missing: { path: string; owners: string[] }[];
}

/**
 * Every changed path with owners needs an approval from one of them: a listed login, or a member
 * of a listed team. `approvers` are the logins whose approval counts (write access, not the
 * author, not a bot), lower case; `teamMembers` maps `org/team` (lower case) to lower-case logins.
 */
export function judgeCodeOwners(
  rules: readonly CodeOwnersRule[],
  paths: readonly string[],
  approvers: ReadonlySet<string>,
  teamMembers: ReadonlyMap<string, ReadonlySet<string>>,
): CodeOwnersVerdict {
  const missing: CodeOwnersVerdict['missing'] = [];
  for (const path of paths) {
    const owners = ownersOf(rules, path);
    if (owners.length === 0) continue;
    const ok = owners.some((owner) => {
      const name = owner.replace(/^@/, '').toLowerCase();
      if (name.includes('/')) return [...(teamMembers.get(name) ?? [])].some((m) => approvers.has(m));
      return approvers.has(name);
    });
    if (!ok) missing.push({ path, owners });
  }
  return { satisfied: missing.length === 0, missing };
}

/** The teams (`org/team`, lower case) named anywhere in the rules. */
export function teamsIn(rules: readonly CodeOwnersRule[]): string[] {
  const teams = new Set<string>();
  for (const r of rules)
    for (const o of r.owners) if (o.startsWith('@') && o.includes('/')) teams.add(o.slice(1).toLowerCase());
  return [...teams].sort();
}
