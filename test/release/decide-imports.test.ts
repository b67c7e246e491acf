/**
 * `decide` is pure: nothing that does I/O is reachable from src/release/decide.ts. The test walks
 * its import graph (static, re-export, side-effect and dynamic imports, type-only ones included) and
 * fails on any package import outside the product, a Node built-in that reaches the outside world,
 * an AWS or GitHub client, and on source text that uses `fetch`, `process.env`, timers or
 * `Date.now()` (time comes in as `now`).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENTRY = 'src/release/decide.ts';

/** Specifiers that do I/O (or reach something that does). */
const FORBIDDEN_MODULES = [
  /^(node:)?(fs|fs\/promises|child_process|net|tls|dgram|dns|http|https|http2|worker_threads|cluster|os|readline|process)$/,
  /^@aws-sdk\//,
  /^@smithy\//,
  /^@octokit\//,
  /^@actions\//,
  /^(undici|node-fetch|axios|got)$/,
];

/** Uses of I/O or of the process's own clock in source text. */
const FORBIDDEN_TEXT: Array<[RegExp, string]> = [
  [/\bfetch\s*\(/, 'fetch('],
  [/\bprocess\.(env|argv|stdout|stderr|exit|cwd)\b/, 'process.*'],
  [/\bDate\.now\s*\(/, 'Date.now()'],
  [/\bnew Date\(\s*\)/, 'new Date()'],
  [/\b(setTimeout|setInterval|setImmediate)\s*\(/, 'timers'],
  [/\brequire\s*\(/, 'require('],
];

function specifiersOf(text: string): string[] {
  const code = text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .join('\n');
  const found: string[] = [];
  for (const pattern of [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ])
    for (const m of code.matchAll(pattern)) found.push(m[1]!);
  return found;
}

/** Every product file reachable from `entry`, and every non-relative specifier any of them imports. */
function graphOf(entry: string): {
  files: Map<string, string>;
  packages: Array<{ from: string; spec: string }>;
} {
  const files = new Map<string, string>();
  const packages: Array<{ from: string; spec: string }> = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    const text = readFileSync(join(ROOT, file), 'utf8');
    files.set(file, text);
    for (const spec of specifiersOf(text)) {
      if (spec.startsWith('.')) queue.push(posix.normalize(posix.join(posix.dirname(file), spec)));
      else packages.push({ from: file, spec });
    }
  }
  return { files, packages };
}

describe('decide imports nothing that does I/O', () => {
  const { files, packages } = graphOf(ENTRY);

  it('walks a real graph: the record, the advancer step, the clock check and the guards verdict', () => {
    for (const f of [
      'src/release/record.ts',
      'src/rollout/decide.ts',
      'src/core/clock-check.ts',
      'src/guards/verdict.ts',
    ])
      expect([...files.keys()]).toContain(f);
  });

  it('reaches no package and no Node built-in that does I/O', () => {
    const bad = packages.filter((p) => FORBIDDEN_MODULES.some((re) => re.test(p.spec)));
    expect(bad).toEqual([]);
    // Anything outside the product would need reading too: there is none.
    expect(packages.map((p) => `${p.from} -> ${p.spec}`)).toEqual([]);
  });

  it('uses no fetch, process, timer or wall clock in any file it reaches', () => {
    const uses: string[] = [];
    for (const [file, text] of files) {
      const code = text
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
        .join('\n');
      for (const [re, what] of FORBIDDEN_TEXT) if (re.test(code)) uses.push(`${file}: ${what}`);
    }
    expect(uses).toEqual([]);
  });

  it('the checks can fail: they catch an I/O import and a fetch in a sample', () => {
    expect(specifiersOf("import { readFileSync } from 'node:fs';\nimport type { X } from './x.ts';")).toEqual(
      ['node:fs', './x.ts'],
    );
    expect(FORBIDDEN_MODULES.some((re) => re.test('node:child_process'))).toBe(true);
    expect(FORBIDDEN_MODULES.some((re) => re.test('@aws-sdk/client-appconfig'))).toBe(true);
    expect(FORBIDDEN_TEXT.some(([re]) => re.test('await fetch(url)'))).toBe(true);
  });
});
