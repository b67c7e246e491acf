/**
 * Which files seed the repository, and the `git fast-import` stream that commits them. One
 * fast-import writes a single pack, which is several times faster than `git add` writing one loose
 * object per file — it keeps the sandbox's start time low when seeding from the whole project.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface SeedFile {
  /** Repository path, `/`-separated. */
  path: string;
  mode: '100644' | '100755' | '120000';
  content: Buffer;
}

/** Never part of a seed: dependencies and git's own directory. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
/**
 * Top-level directories left out as well: `dist/` holds megabytes of generated bundles that nothing
 * in the emulated repository reads, and copying them would triple the sandbox's start time.
 */
const SKIPPED_TOP_LEVEL = new Set(['dist']);

/**
 * A git checkout contributes what `git add --all` would: tracked and untracked-but-not-ignored files
 * as they are in the working tree. Any other directory contributes every file.
 */
export function seedFiles(seedDir: string, env: NodeJS.ProcessEnv): SeedFile[] {
  const paths = existsSync(join(seedDir, '.git')) ? checkoutPaths(seedDir, env) : walk(seedDir, '');
  const files: SeedFile[] = [];
  for (const path of [...new Set(paths)].sort()) {
    const parts = path.split('/');
    if (parts.some((part) => SKIPPED_DIRECTORIES.has(part)) || SKIPPED_TOP_LEVEL.has(parts[0]!)) continue;
    const file = readSeedFile(join(seedDir, path), path);
    if (file) files.push(file);
  }
  return files;
}

function checkoutPaths(seedDir: string, env: NodeJS.ProcessEnv): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: seedDir,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.split('\0').filter((p) => p !== '');
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
