/**
 * The bundles the published CLI and the GitHub actions run: every `actions/<name>/main.ts` →
 * `dist/actions/<name>/index.mjs`, and `src/cli/main.ts` → `dist/cli/index.mjs`, built together and
 * split: each CLI command is a chunk loaded when it runs, and code two entry points share is a chunk
 * under `dist/chunks/`. Minified; `dist/licenses.txt` lists every package the bundles contain with
 * its licence text. The emulator (packages/sandbox) is never bundled.
 *
 * `dist/` is committed (an action runs what is in the repository, without `npm ci`), so the output
 * must be a pure function of the sources: no timestamps, no absolute paths, no source maps. Then
 * `test/build/dist-fresh.test.ts` can rebuild in memory and demand byte-for-byte equality.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * `yaml` as its ES module build (the package's `default` export condition) instead of its CommonJS
 * Node build. The two are the same parser from the same sources; the Node build also reads the
 * debug switches `process.env.LOG_TOKENS` and `LOG_STREAM` once per token, and every read of
 * `process.env` is a call into the C++ environment (Node.js docs, "process.env"). On the bench's
 * 1,000-target repository that was about a third of the YAML time (`npm run bench -- validate`).
 * The one other difference, `!!binary` built with `atob` rather than `Buffer`, is a YAML 1.1 tag
 * flagops's core schema never resolves.
 */
const yamlModuleBuild = {
  name: 'yaml-module-build',
  setup(build) {
    const entry = join(ROOT, 'node_modules/yaml/browser/index.js');
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: entry }));
  },
};

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

/** One entry per action (`runs.main` in its action.yml); what actions share lands in dist/chunks/. */
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

/**
 * The bundles and the licence list of what they contain (see `thirdPartyLicenses`). One esbuild run
 * for the CLI and every action, split: what two entry points share is one chunk under dist/chunks/
 * (the AWS SDK, Octokit, the pipeline), so the six actions do not each carry a copy. Minified; the
 * licence texts are gathered in dist/licenses.txt instead of comments in each file. `modules` maps
 * each output to the source files in it (from esbuild's metafile), for test/build.
 */
export async function buildBundles({ write }) {
  const result = await build({
    ...COMMON,
    entryPoints: entryPoints(),
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
  const licences = thirdPartyLicenses([result.metafile]);
  const files = [
    ...result.outputFiles.map((file) => ({
      path: relative(ROOT, file.path).split(sep).join('/'),
      contents: Buffer.from(file.contents),
    })),
    { path: LICENCES, contents: Buffer.from(licences) },
  ].sort((a, b) => (a.path < b.path ? -1 : 1));
  if (write) {
    const produced = new Set(files.map((f) => f.path));
    for (const stale of listFiles(DIST).filter((path) => !produced.has(path))) rmSync(join(ROOT, stale));
    for (const file of files) {
      mkdirSync(dirname(join(ROOT, file.path)), { recursive: true });
      writeFileSync(join(ROOT, file.path), file.contents);
    }
  }
  const modules = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([path, output]) => [
      path.split(sep).join('/'),
      Object.keys(output.inputs).sort(),
    ]),
  );
  return { files, licences, modules };
}

/** The third-party licence list of everything the bundles contain, beside them. */
export const LICENCES = 'dist/licenses.txt';

const COMMON = {
  absWorkingDir: ROOT,
  outdir: DIST,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Minified: dist/ is committed, and unminified it was 25 MB. Review the sources, not the bundles;
  // test/build/dist-fresh.test.ts proves the bundles are what the sources make.
  minify: true,
  sourcemap: false,
  // The licence texts travel in dist/licenses.txt (LICENCES), one copy for all bundles.
  legalComments: 'none',
  banner: { js: REQUIRE_BANNER },
  charset: 'utf8',
  logLevel: 'silent',
  metafile: true,
  write: false,
  plugins: [yamlModuleBuild],
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
