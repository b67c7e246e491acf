/**
 * What the committed bundles carry: no emulator or demo code at all (`flagops sandbox` and `flagops
 * demo` load the package flagops-sandbox by name when they run); the actions share their common code
 * in chunks instead of six copies; dist/ stays small; dist/licenses.txt lists what they contain, as
 * `npm run build` writes it. Which source files a bundle holds comes from esbuild's metafile (the
 * bundles are minified, so the files themselves no longer say).
 */
import { readFileSync } from 'node:fs';
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
    for (const m of read(path).matchAll(
      /(?:^|[;}])\s*(?:import|export)\b[^;'"]*?(?:from\s*)?["'](\.[^"']+)["']/g,
    ))
      visit(posix.normalize(posix.join(dirname(path), m[1]!)));
  };
  visit(entry);
  return [...seen].sort();
}

const emulator = (module: string) => module.startsWith('packages/') || module.includes('/flagops-sandbox/');

describe('bundles', () => {
  const files = listFiles(DIST);
  const actions = files.filter((f) => /^dist\/actions\/[^/]+\/index\.mjs$/.test(f));
  let modules: Record<string, string[]> = {};
  let licences = '';
  beforeAll(async () => {
    ({ modules, licences } = await buildBundles({ write: false }));
  }, 120_000);
  const sourcesOf = (paths: string[]) => paths.flatMap((p) => modules[p] ?? []);

  it('actions and the CLI load their own code and no emulator code', () => {
    expect(actions.length).toBe(6);
    for (const entry of [...actions, 'dist/cli/index.mjs']) {
      const sources = sourcesOf(staticClosure(entry));
      expect(sources.length, `${entry}: the metafile names no sources`).toBeGreaterThan(0);
      expect(sources.filter(emulator), entry).toEqual([]);
    }
    const deploy = sourcesOf(staticClosure('dist/actions/deploy/index.mjs'));
    expect(deploy).toContain('actions/deploy/main.ts');
    expect(deploy).toContain('src/pipeline/release.ts');
  });

  it('no bundle holds emulator code; demo and sandbox load its package by name', () => {
    const cli = read('dist/cli/index.mjs');
    const commands = [...cli.matchAll(/import\("\.\.\/chunks\/([a-z-]+)-[A-Z0-9]+\.mjs"\)/g)].map(
      (m) => m[1]!,
    );
    expect(commands).toEqual(expect.arrayContaining(['validate', 'deploy', 'rollback', 'demo', 'sandbox']));
    expect(Object.values(modules).flat().filter(emulator)).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/sandbox/'))).toEqual([]);
    // The two commands find the package at run time; the name is not resolved at build time.
    const bundles = files.filter((f) => f.endsWith('.mjs'));
    expect(bundles.filter((f) => read(f).includes('"flagops-sandbox"')).length).toBeGreaterThan(0);
  });

  it('shares what the actions have in common: the AWS SDK is in one chunk, not in each action', () => {
    const holders = Object.entries(modules)
      .filter(([, inputs]) => inputs.some((i) => i.includes('node_modules/@aws-sdk/client-appconfig/')))
      .map(([path]) => path);
    expect(holders.length).toBe(1);
    expect(holders[0]).toMatch(/^dist\/chunks\//);
  });

  it('keeps dist/ under 10 MB, licences included', () => {
    const bytes = files.reduce((sum, f) => sum + readFileSync(join(ROOT, f)).length, 0);
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
    expect(files).toContain(LICENCES);
  });

  it('dist/licenses.txt is what the build writes and lists the bundled packages with their licence texts', () => {
    expect(read(LICENCES), 'dist/licenses.txt is stale: run npm run build and commit').toBe(licences);
    for (const name of ['yaml', 'ajv', '@actions/core', '@aws-sdk/client-appconfig', '@octokit/core'])
      expect(licences).toMatch(
        new RegExp(`^${name.replace('/', '\\/')}@\\d[^\\n]*\\nLicense: \\S+\\n\\n\\S`, 'm'),
      );
  });
});
