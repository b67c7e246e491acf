/**
 * CODEOWNERS as GitHub reads it for `require_code_owner_reviews`: the first of `.github/CODEOWNERS`,
 * `CODEOWNERS`, `docs/CODEOWNERS` on the pull request's BASE branch; gitignore-style patterns except
 * that `\#` escapes, `!` negation and `[ ]` ranges do not work (such lines match nothing here);
 * paths are case-sensitive; the last matching line wins and a line without owners leaves its paths
 * unowned (https://docs.github.com/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners).
 * Owners are `@login`, `@org/team` or an email; only owners with write access count.
 */

export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

export interface OwnerLine {
  line: number;
  owners: string[];
  test: (path: string) => boolean;
}

export function readCodeOwners(text: string): OwnerLine[] {
  const lines: OwnerLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    // A `#` after whitespace starts a comment; owners never contain one.
    const words = content.split(/\s+/);
    const end = words.findIndex((w, n) => n > 0 && w.startsWith('#'));
    const [pattern = '', ...owners] = end < 0 ? words : words.slice(0, end);
    lines.push({ line: i + 1, owners, test: patternTest(pattern) });
  });
  return lines;
}

/** The owners of `path`: the last matching line's (possibly none). */
export function ownersFor(lines: readonly OwnerLine[], path: string): string[] {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.test(path)) return lines[i]!.owners;
  return [];
}

const UNSUPPORTED = /^[!\\]|\[/;

function patternTest(pattern: string): (path: string) => boolean {
  if (pattern === '' || UNSUPPORTED.test(pattern)) return () => false;
  const directoryOnly = pattern.endsWith('/');
  const body = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  // A slash at the start or in the middle ties the pattern to the root; otherwise any depth.
  const rooted = pattern.startsWith('/') || body.includes('/');
  const source = body
    .split('/')
    .map((segment, i, all) => {
      if (segment === '**') return i === all.length - 1 ? '.*' : '(?:[^/]+/)*';
      const glob = segment
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]');
      return i === all.length - 1 ? glob : `${glob}/`;
    })
    .join('');
  const full = new RegExp(`^${rooted ? '' : '(?:[^/]+/)*'}${source}$`);
  // A pattern naming a directory owns everything below it, except `dir/*`, which GitHub
  // documents as direct children only.
  const below = body.endsWith('/*') ? undefined : new RegExp(`^${rooted ? '' : '(?:[^/]+/)*'}${source}/`);
  return (path) => (!directoryOnly && full.test(path)) || (below?.test(path) ?? false);
}
