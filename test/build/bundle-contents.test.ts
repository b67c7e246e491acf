/**
 * What the committed bundles carry: no emulator or demo code at all (`flagops sandbox` and `flagops
 * demo` load the package flagops-sandbox by name when they run); licence comments
 * stay in the bundles; THIRD_PARTY_LICENSES lists what they contain, as `npm run build` writes it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundles, DIST, LICENCES, listFiles, ROOT } from '../../scripts/build-lib.mjs';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** A bundle and every file it imports statically (what loads when it loads; `import()` is not followed). */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const m of read(path).matchAll(/^(?:import|export)\b[^;'"]*?(?:from\s*)?["'](\.[^"']+)["'];?$/gm))
      visit(posix.normalize(posix.join(dirname(path), m[1]!)));
  };
  visit(entry);
  return [...seen].sort();
}

/** Source modules a bundle file holds: esbuild marks each with a `// path` line (not minified). */
function modulesIn(paths: string[]): string[] {
  return paths.flatMap((p) =>
    [...read(p).matchAll(/^\/\/ ((?:src|packages\/sandbox|actions)\/\S+\.ts)$/gm)].map((m) => m[1]!),
  );
}

const emulator = (module: string) => module.startsWith('packages/sandbox/');

describe('bundles', () => {
  const files = listFiles(DIST);
  const actions = files.filter((f) => /^dist\/actions\/[^/]+\/index\.mjs$/.test(f));

  it('actions and the CLI entry carry no sandbox or demo code', () => {
    expect(actions.length).toBe(6);
    for (const entry of [...actions, 'dist/cli/index.mjs']) {
      const modules = modulesIn(staticClosure(entry));
      expect(
        modules.length,
        `${entry} holds no marked modules: did the build start minifying?`,
      ).toBeGreaterThan(0);
      expect(modules.filter(emulator), entry).toEqual([]);
    }
  });

  it('no bundle holds emulator code; demo and sandbox load its package by name', () => {
    const cli = read('dist/cli/index.mjs');
    const commands = [...cli.matchAll(/import\("\.\.\/chunks\/([a-z-]+)-[A-Z0-9]+\.mjs"\)/g)].map(
      (m) => m[1]!,
    );
    expect(commands).toEqual(expect.arrayContaining(['validate', 'deploy', 'rollback', 'demo', 'sandbox']));
    const bundles = files.filter((f) => f.endsWith('.mjs'));
    expect(modulesIn(bundles).filter(emulator)).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/sandbox/'))).toEqual([]);
    // The two commands find the package at run time; the name is not resolved at build time.
    const companion = bundles.filter((f) => read(f).includes('"flagops-sandbox"'));
    expect(companion.length).toBeGreaterThan(0);
  });

  it('keeps licence comments in the bundles', () => {
    for (const entry of actions) expect(read(entry), entry).toMatch(/MIT Licen[cs]ed|MIT License/);
  });

  describe('THIRD_PARTY_LICENSES', () => {
    let licences = '';
    beforeAll(async () => {
      licences = (await buildBundles({ write: false })).licences;
    }, 120_000);

    it('is what the build writes, and lists the bundled packages with their licence texts', () => {
      expect(existsSync(join(ROOT, LICENCES))).toBe(true);
      expect(read(LICENCES), 'THIRD_PARTY_LICENSES is stale: run npm run build and commit').toBe(licences);
      for (const name of ['yaml', 'ajv', '@actions/core', '@aws-sdk/client-appconfig', '@octokit/core'])
        expect(licences).toMatch(
          new RegExp(`^${name.replace('/', '\\/')}@\\d[^\\n]*\\nLicense: \\S+\\n\\n\\S`, 'm'),
        );
    });
  });
});
