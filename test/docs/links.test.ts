/**
 * The documentation stays true to itself: every relative link in the repository's Markdown points
 * at a file that exists (and at a heading that exists, with `#anchor`), and every comment in the
 * product that cites `docs/…`, `README "…"` or `README promise N` names something that is there.
 * Comments cite only what the repository holds, so none cites "the guide" (a document it does not
 * contain).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/cli.ts';

const SKIP = new Set(['node_modules', '.git', 'dist', 'fixtures']);

function filesUnder(dir: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, keep, out);
    else if (keep(name)) out.push(path);
  }
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Headings outside fenced code, as written (without `#`s). */
function headings(markdown: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) {
      const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (m) out.push(m[1]!);
    }
  }
  return out;
}

function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const h of headings(readFileSync(file, 'utf8'))) {
    const base = slug(h);
    const n = seen.get(base) ?? 0;
    anchors.add(n === 0 ? base : `${base}-${n}`);
    seen.set(base, n + 1);
  }
  return anchors;
}

/** Problems with one relative target `path#anchor` seen from `from`. */
function checkTarget(from: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? from : resolve(dirname(from), decodeURIComponent(path));
  if (!existsSync(file)) return `${target}: no such file`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!file.endsWith('.md')) return undefined;
  return anchorsOf(file).has(anchor)
    ? undefined
    : `${target}: no heading with anchor #${anchor} in ${relative(PROJECT_ROOT, file)}`;
}

/** Headings cited as `README "…"`, `(README, "…")` or `the README's "…"`. */
function readmeCitations(text: string): string[] {
  return [...text.matchAll(/README(?:'s)?[,\s(]*"([^"\n]+)"/g)].map((m) => m[1]!);
}

const rel = (file: string) => relative(PROJECT_ROOT, file);
const markdown = filesUnder(PROJECT_ROOT, (n) => n.endsWith('.md'));
const code = ['src', 'actions', 'scripts', 'testkit']
  .map((d) => join(PROJECT_ROOT, d))
  .filter(existsSync)
  .flatMap((d) => filesUnder(d, (n) => /\.(ts|mjs|yml)$/.test(n)));
const README = join(PROJECT_ROOT, 'README.md');

describe('links and citations', () => {
  it('the helpers read GitHub anchors as GitHub does', () => {
    expect(slug('Bake, soak and dwell')).toBe('bake-soak-and-dwell');
    expect(slug('`applies_when`')).toBe('applies_when');
    expect(checkTarget(join(PROJECT_ROOT, 'docs', 'runbook.md'), 'concepts.md#no-such-heading')).toMatch(
      /no heading/,
    );
    expect(checkTarget(README, 'docs/missing.md')).toMatch(/no such file/);
    expect(
      readmeCitations('(README, "Threat model") and README "The CLI"; the README\'s ("Exit codes")'),
    ).toEqual(['Threat model', 'The CLI', 'Exit codes']);
  });

  it('docs/ holds the runbook, the concepts and the reference', () => {
    for (const name of ['runbook.md', 'concepts.md', 'reference.md'])
      expect(existsSync(join(PROJECT_ROOT, 'docs', name)), name).toBe(true);
  });

  it('every relative Markdown link resolves, anchors included', () => {
    const problems: string[] = [];
    for (const file of markdown) {
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const problem = checkTarget(file, target);
        if (problem) problems.push(`${rel(file)}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every docs/… citation in code names a file and heading that exist', () => {
    const problems: string[] = [];
    for (const file of code) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bdocs\/([\w./-]+\.md)(#[\w-]+)?/g)) {
        const problem = checkTarget(README, `docs/${m[1]}${m[2] ?? ''}`);
        if (problem) problems.push(`${rel(file)}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every README "…" citation in code names a README heading, and every promise N exists', () => {
    const readme = headings(readFileSync(README, 'utf8'));
    const promises = [...readFileSync(README, 'utf8').matchAll(/^(\d+)\. \*\*/gm)].length;
    const problems: string[] = [];
    for (const file of code) {
      const text = readFileSync(file, 'utf8');
      for (const heading of readmeCitations(text))
        if (!readme.includes(heading)) problems.push(`${rel(file)}: README has no heading "${heading}"`);
      for (const m of text.matchAll(/README promise (\d+)/g))
        if (Number(m[1]) < 1 || Number(m[1]) > promises)
          problems.push(`${rel(file)}: README has no promise ${m[1]}`);
    }
    expect(promises).toBeGreaterThanOrEqual(8);
    expect(problems).toEqual([]);
  });

  it('no comment in the product cites "the guide", which the repository does not contain', () => {
    const problems = code
      .filter((f) => !rel(f).startsWith('testkit') && !rel(f).startsWith(join('src', 'demo')))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${rel(f)}:${i + 1}` }))
          .filter(({ line }) => /\bthe guide\b|\bguide's\b/i.test(line)),
      )
      .map(({ at, line }) => `${at}: ${line.trim()}`);
    expect(problems).toEqual([]);
  });
});
