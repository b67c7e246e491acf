/**
 * The bundles the published CLI and the GitHub actions run: `src/cli/main.ts` → `dist/cli/index.mjs`
 * and every `actions/<name>/main.ts` → `dist/actions/<name>/index.mjs`.
 *
 * `dist/` is committed (an action runs what is in the repository, without `npm ci`), so the output
 * must be a pure function of the sources: no timestamps, no absolute paths, no source maps. Then
 * `test/build/dist-fresh.test.ts` can rebuild in memory and demand byte-for-byte equality.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = 'dist';

/**
 * @actions/* and their dependencies are CommonJS that call `require('net')` & co.; an ESM bundle has
 * no `require`, and esbuild's shim then throws "Dynamic require of "net" is not supported". A real
 * `require` made with createRequire fixes that (reference: github-actions.md §2).
 */
const REQUIRE_BANNER =
  "import { createRequire as __flagopsCreateRequire } from 'node:module';\n" +
  'const require = __flagopsCreateRequire(import.meta.url);';

/** Entry points, keyed by their output path under dist/ without the extension. */
export function entryPoints(root = ROOT) {
  const entries = { 'cli/index': 'src/cli/main.ts' };
  const actionsDir = join(root, 'actions');
  if (existsSync(actionsDir)) {
    for (const name of readdirSync(actionsDir).sort()) {
      if (existsSync(join(actionsDir, name, 'main.ts')))
        entries[`actions/${name}/index`] = `actions/${name}/main.ts`;
    }
  }
  return entries;
}

/**
 * Builds every bundle. Returns `{ path, contents }` per output file, `path` relative to the repo root
 * with forward slashes and sorted. With `write: true` the files are written and any other file under
 * dist/ (a removed action's bundle) is deleted, so dist/ holds exactly what the sources produce.
 */
export async function buildAll({ write }) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: entryPoints(),
    outdir: DIST,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Not minified: the bundles are committed, and a reviewer should be able to read what changed in a
    // pull request's dist/ diff (and a stack trace from an action run) without source maps.
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    banner: { js: REQUIRE_BANNER },
    charset: 'utf8',
    logLevel: 'silent',
    write: false,
  });
  const files = result.outputFiles
    .map((file) => ({
      path: relative(ROOT, file.path).split(sep).join('/'),
      contents: Buffer.from(file.contents),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  if (write) {
    const produced = new Set(files.map((f) => f.path));
    for (const stale of listFiles(DIST).filter((path) => !produced.has(path))) rmSync(join(ROOT, stale));
    for (const file of files) {
      mkdirSync(dirname(join(ROOT, file.path)), { recursive: true });
      writeFileSync(join(ROOT, file.path), file.contents);
    }
  }
  return files;
}

/** Every file under `dir` (relative to the repo root), as repo-relative paths with forward slashes. */
export function listFiles(dir) {
  const absolute = join(ROOT, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
