/**
 * Which files seed the repository, and the `git fast-import` stream that commits them. One
 * fast-import writes a single pack, which is several times faster than `git add` writing one loose
 * object per file — it keeps the sandbox's start time low when seeding from the whole project.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type SeedFile = {
  /** Repository path, `/`-separated. */
  path: string;
  mode: '100644' | '100755' | '120000';
} & (
  | { content: Buffer }
  /** A blob the seed checkout's own object store already holds (reached through alternates). */
  | { blob: string }
);

/** The seed's files, and the object directory that holds the blobs they name by id. */
export interface Seed {
  files: SeedFile[];
  /** Absolute path of the seed checkout's `objects/` when any file names a blob there. */
  alternate?: string;
}

/** Never part of a seed: dependencies and git's own directory. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
/**
 * Left out as well: the sandbox's own bundle, which nothing in the emulated repository runs. The
 * action and CLI bundles are seeded: `uses: ./actions/…` runs `dist/actions/<name>/index.mjs` from
 * the checkout, and a clone of the sandbox's remote runs `npx flagops` from `dist/cli/`.
 */
const SKIPPED_PREFIXES = ['dist/sandbox/'];

/**
 * A git checkout contributes what `git add --all` would: tracked and untracked-but-not-ignored files
 * as they are in the working tree. A tracked file unchanged since the index names the blob the
 * checkout already stores (no reading, hashing or compressing it again — that keeps the megabytes of
 * `dist/` cheap); everything else is read. Any other directory contributes every file.
 */
export function seedFiles(seedDir: string, env: NodeJS.ProcessEnv): Seed {
  if (!existsSync(join(seedDir, '.git'))) return { files: readAll(seedDir, walk(seedDir, '')) };
  const run = (args: string[]) =>
    execFileSync('git', args, { cwd: seedDir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const list = (args: string[]) =>
    run(args)
      .split('\0')
      .filter((p) => p !== '');
  const dirty = new Set(list(['diff-files', '-z', '--name-only']));
  const indexed = new Map<string, { mode: string; blob: string }>();
  for (const entry of list(['ls-files', '-z', '--stage'])) {
    const m = /^(\d+) ([0-9a-f]+) \d\t(.*)$/s.exec(entry);
    if (m) indexed.set(m[3]!, { mode: m[1]!, blob: m[2]! });
  }
  const files: SeedFile[] = [];
  const read: string[] = list(['ls-files', '-z', '--others', '--exclude-standard']);
  for (const [path, { mode, blob }] of indexed) {
    if (dirty.has(path) || !isBlobMode(mode)) read.push(path);
    else if (!skipped(path)) files.push({ path, mode, blob });
  }
  files.push(...readAll(seedDir, read));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (!files.some((f) => 'blob' in f)) return { files };
  const common = run(['rev-parse', '--git-common-dir']).trim();
  return { files, alternate: resolve(seedDir, common, 'objects') };
}

function isBlobMode(mode: string): mode is SeedFile['mode'] {
  return mode === '100644' || mode === '100755' || mode === '120000';
}

function skipped(path: string): boolean {
  return (
    path.split('/').some((part) => SKIPPED_DIRECTORIES.has(part)) ||
    SKIPPED_PREFIXES.some((p) => path.startsWith(p))
  );
}

function readAll(root: string, paths: string[]): SeedFile[] {
  const files: SeedFile[] = [];
  for (const path of [...new Set(paths)].sort()) {
    if (skipped(path)) continue;
    const file = readSeedFile(join(root, path), path);
    if (file) files.push(file);
  }
  return files;
}

function walk(root: string, prefix: string): string[] {
  const paths: string[] = [];
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) paths.push(...walk(root, path));
    else paths.push(path);
  }
  return paths;
}

/** Regular files and symlinks; anything else (deleted tracked files, submodules, sockets) is skipped. */
function readSeedFile(absolute: string, path: string): SeedFile | undefined {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(absolute);
  } catch {
    return undefined;
  }
  if (stat.isSymbolicLink()) return { path, mode: '120000', content: Buffer.from(readlinkSync(absolute)) };
  if (!stat.isFile()) return undefined;
  return { path, mode: stat.mode & 0o111 ? '100755' : '100644', content: readFileSync(absolute) };
}

/** A fast-import stream making one commit on `ref` that holds exactly `files`. */
export function fastImportStream(options: {
  ref: string;
  files: SeedFile[];
  message: string;
  identity: { name: string; email: string };
  /** Raw git date, e.g. `1704067200 +0000`. */
  date: string;
}): Buffer {
  const who = `${options.identity.name} <${options.identity.email}> ${options.date}`;
  const message = Buffer.from(options.message);
  const chunks: Buffer[] = [
    Buffer.from(
      `commit ${options.ref}\nauthor ${who}\ncommitter ${who}\ndata ${message.length}\n${options.message}\n`,
    ),
  ];
  for (const file of options.files) {
    if ('blob' in file) {
      chunks.push(Buffer.from(`M ${file.mode} ${file.blob} ${quotePath(file.path)}\n`));
      continue;
    }
    chunks.push(Buffer.from(`M ${file.mode} inline ${quotePath(file.path)}\ndata ${file.content.length}\n`));
    chunks.push(file.content, Buffer.from('\n'));
  }
  return Buffer.concat(chunks);
}

/** fast-import reads a path verbatim unless it starts with a quote; C-style quote the unusual ones. */
function quotePath(path: string): string {
  if (!/^"|\n/.test(path)) return path;
  return `"${path.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}
