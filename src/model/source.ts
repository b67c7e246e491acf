/**
 * Where repository files come from: the working tree, or a git revision (`--base REF`). The loader
 * reads only through this interface, so the same code validates a checkout and a pull request's base.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * A path that is not a regular file: a symbolic link, a device, a FIFO, a socket or (in git) a
 * submodule. The loader refuses these and never reads them: a values file linked to
 * `/proc/self/environ` would otherwise put the runner's secrets into the plan comment.
 */
export interface IrregularEntry {
  path: string;
  kind: 'symbolic link' | 'submodule' | 'device' | 'FIFO' | 'socket' | 'special file';
}

export interface RepoSource {
  /** A label for messages: `working tree` or the git ref. */
  readonly label: string;
  /** Repository root on disk (for messages and for git). */
  readonly root: string;
  /** Every regular file's path (relative, forward slashes) under `dir` (relative), recursively. */
  list(dir: string): string[];
  /** Entries under `dir` that are not regular files (never followed, never read). */
  irregular(dir: string): IrregularEntry[];
  /** A regular file's bytes, or undefined when it does not exist or is not a regular file. */
  read(path: string): Buffer | undefined;
}

function kindOf(st: Stats): IrregularEntry['kind'] {
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'device';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  return 'special file';
}

export class WorkingTreeSource implements RepoSource {
  readonly label = 'working tree';
  constructor(readonly root: string) {}

  list(dir: string): string[] {
    return this.walk(dir).files;
  }

  irregular(dir: string): IrregularEntry[] {
    return this.walk(dir).irregular;
  }

  /** lstat, never stat: a link is reported as a link, and never descended into or read. */
  private walk(dir: string): { files: string[]; irregular: IrregularEntry[] } {
    const files: string[] = [];
    const irregular: IrregularEntry[] = [];
    const rel = (full: string) => relative(this.root, full).split(sep).join('/');
    const visit = (abs: string): void => {
      let entries: string[];
      try {
        entries = readdirSync(abs);
      } catch {
        return;
      }
      for (const name of entries.sort()) {
        const full = join(abs, name);
        let st: Stats;
        try {
          st = lstatSync(full);
        } catch {
          continue;
        }
        if (st.isDirectory()) visit(full);
        else if (st.isFile()) files.push(rel(full));
        else irregular.push({ path: rel(full), kind: kindOf(st) });
      }
    };
    const top = join(this.root, dir);
    const st = lstatSync(top, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) irregular.push({ path: dir, kind: kindOf(st) });
    else visit(top);
    return { files, irregular };
  }

  read(path: string): Buffer | undefined {
    // Every component must be a real directory and the file a regular file: a linked directory
    // (`flags/app/production -> /proc/self`) is refused like a linked file.
    const parts = path.split('/');
    let abs = this.root;
    for (const [i, part] of parts.entries()) {
      if (part === '' || part === '.' || part === '..') return undefined;
      abs = join(abs, part);
      const st = lstatSync(abs, { throwIfNoEntry: false });
      if (!st || (i < parts.length - 1 ? !st.isDirectory() : !st.isFile())) return undefined;
    }
    try {
      return readFileSync(abs);
    } catch {
      return undefined;
    }
  }
}

/** Files as they are at a git revision, read with `git ls-tree` / `git cat-file` (no checkout). */
export class GitRevisionSource implements RepoSource {
  private readonly files: Map<string, string>;
  private readonly special: IrregularEntry[] = [];
  private readonly blobs = new Map<string, Buffer>();
  private readonly batchedDirs = new Set<string>();
  constructor(
    readonly root: string,
    readonly label: string,
  ) {
    const out = git(root, ['ls-tree', '-r', '-z', '--full-tree', label]);
    this.files = new Map();
    for (const entry of out.toString('utf8').split('\0')) {
      if (!entry) continue;
      const tab = entry.indexOf('\t');
      const [mode, type, object] = entry.slice(0, tab).split(' ');
      const path = entry.slice(tab + 1);
      // Mode 120000 is a symbolic link (its blob is the target path), 160000 a submodule.
      if (mode === '120000') this.special.push({ path, kind: 'symbolic link' });
      else if (type === 'commit') this.special.push({ path, kind: 'submodule' });
      else if (type === 'blob' && object) this.files.set(path, object);
    }
  }

  list(dir: string): string[] {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    return [...this.files.keys()].filter((p) => p.startsWith(prefix)).sort();
  }

  irregular(dir: string): IrregularEntry[] {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    return this.special.filter((e) => e.path.startsWith(prefix) || e.path === dir);
  }

  read(path: string): Buffer | undefined {
    const object = this.files.get(path);
    if (object === undefined) return undefined;
    // One `git cat-file` per file costs a process each: a thousand values files took seconds.
    // The first read in a top-level directory fetches all of its blobs in one batch instead.
    const top = path.slice(0, path.indexOf('/') + 1);
    if (top !== '' && !this.blobs.has(object) && !this.batchedDirs.has(top)) {
      this.batchedDirs.add(top);
      const objects = [...this.files].filter(([p]) => p.startsWith(top)).map(([, o]) => o);
      for (const [id, content] of readBlobs(this.root, objects)) this.blobs.set(id, content);
    }
    return this.blobs.get(object) ?? git(this.root, ['cat-file', 'blob', object]);
  }
}

/** Blob contents by object id, read with one `git cat-file --batch`. */
function readBlobs(cwd: string, objects: string[]): Map<string, Buffer> {
  const unique = [...new Set(objects)];
  const blobs = new Map<string, Buffer>();
  if (unique.length === 0) return blobs;
  const out = execFileSync('git', ['cat-file', '--batch'], {
    cwd,
    input: `${unique.join('\n')}\n`,
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Each entry: `<id> <type> <size>\n<content>\n`, or `<id> missing\n`.
  let offset = 0;
  while (offset < out.length) {
    const eol = out.indexOf(0x0a, offset);
    if (eol < 0) break;
    const [id, , sizeText] = out.subarray(offset, eol).toString('utf8').split(' ');
    if (id === undefined || sizeText === undefined) {
      offset = eol + 1;
      continue;
    }
    const size = Number(sizeText);
    blobs.set(id, out.subarray(eol + 1, eol + 1 + size));
    offset = eol + 1 + size + 1;
  }
  return blobs;
}

function git(cwd: string, args: string[]): Buffer {
  return execFileSync('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}
