/**
 * The bundles the published CLI and the GitHub actions run: every `actions/<name>/main.ts` →
 * `dist/actions/<name>/index.mjs` (one self-contained file each), and `src/cli/main.ts` →
 * `dist/cli/index.mjs`, split: each command is a chunk under `dist/chunks/` loaded when it runs. The
 * emulator (packages/sandbox) is never bundled. Licence comments stay at the end of each bundle, and `THIRD_PARTY_LICENSES` lists
 * every package the bundles contain with its licence text.
 *
 * `dist/` is committed (an action runs what is in the repository, without `npm ci`), so the output
 * must be a pure function of the sources: no timestamps, no absolute paths, no source maps. Then
 * `test/build/dist-fresh.test.ts` can rebuild in memory and demand byte-for-byte equality.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = 'dist';

/**
 * @actions/* and their dependencies are CommonJS that call `require('net')` & co.; an ESM bundle has
 * no `require`, and esbuild's shim then throws "Dynamic require of "net" is not supported". A real
 * `require` made with createRequire fixes that (Node.js docs, "module.createRequire").
 */
const REQUIRE_BANNER =
  "import { createRequire as __flagopsCreateRequire } from 'node:module';\n" +
  'const require = __flagopsCreateRequire(import.meta.url);';

/**
 * The CLI's entry point, split into chunks (one per command, loaded when it runs). The emulator is
 * not in it: `flagops demo` and `flagops sandbox` load the package flagops-sandbox by name.
 */
export const CLI_ENTRIES = { 'cli/index': 'src/cli/main.ts' };

/** Entry points, keyed by their output path under dist/ without the extension. */
export function entryPoints(root = ROOT) {
  return { ...CLI_ENTRIES, ...actionEntryPoints(root) };
}

/** One self-contained bundle per action: a runner loads one file and nothing else. */
export function actionEntryPoints(root = ROOT) {
  const entries = {};
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
  return (await buildBundles({ write })).files;
}

/** The bundles and the licence list of what they contain (see `thirdPartyLicenses`). */
export async function buildBundles({ write }) {
  const actions = await build({ ...COMMON, entryPoints: actionEntryPoints() });
  const cli = await build({
    ...COMMON,
    entryPoints: CLI_ENTRIES,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
  const outputs = [...actions.outputFiles, ...cli.outputFiles];
  const files = outputs
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
  const licences = thirdPartyLicenses([actions.metafile, cli.metafile]);
  if (write) writeFileSync(join(ROOT, LICENCES), licences);
  return { files, licences };
}

/** The third-party licence list, next to LICENSE at the repository root (dist/ holds only bundles). */
export const LICENCES = 'THIRD_PARTY_LICENSES';

const COMMON = {
  absWorkingDir: ROOT,
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
  // Licence comments are kept, gathered at the end of each file (the licences ask for it).
  legalComments: 'eof',
  banner: { js: REQUIRE_BANNER },
  charset: 'utf8',
  logLevel: 'silent',
  metafile: true,
  write: false,
};

/**
 * Every npm package any bundle contains, with its version, licence and licence text, sorted by name:
 * the notice the MIT, ISC, BSD and Apache licences ask to travel with copies of the code.
 */
function thirdPartyLicenses(metafiles) {
  const packages = new Map();
  for (const metafile of metafiles) {
    for (const output of Object.values(metafile.outputs)) {
      for (const input of Object.keys(output.inputs)) {
        const dir = packageDir(input);
        if (dir && !packages.has(dir)) packages.set(dir, readPackage(dir));
      }
    }
  }
  const sections = [...packages.values()]
    .filter((p) => p !== undefined)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .filter((p, i, all) => i === 0 || all[i - 1].id !== p.id)
    .map((p) => `${p.id}\nLicense: ${p.license}\n\n${p.text.trim()}\n`);
  return [
    'Third-party software bundled in dist/ (written by `npm run build`; do not edit).',
    '',
    ...sections.map((s) => `${'-'.repeat(78)}\n${s}`),
  ].join('\n');
}

/** `node_modules/@scope/name` or `node_modules/name` of a bundled input (nested node_modules too). */
function packageDir(input) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m ? m[1] : undefined;
}

function readPackage(dir) {
  const absolute = join(ROOT, dir);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(absolute, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const licenceFile = readdirSync(absolute)
    .sort()
    .find((name) => /^(licen[cs]e|copying|notice)(\.|$)/i.test(name));
  const text = licenceFile
    ? readFileSync(join(absolute, licenceFile), 'utf8')
    : `(no licence file in the package; its package.json says "${manifest.license ?? 'UNKNOWN'}")`;
  return { id: `${manifest.name}@${manifest.version}`, license: String(manifest.license ?? 'UNKNOWN'), text };
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
