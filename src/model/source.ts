/**
 * Where repository files come from: the working tree, or a git revision (`--base REF`). The loader
 * reads only through this interface, so the same code validates a checkout and a pull request's base.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface RepoSource {
  /** A label for messages: `working tree` or the git ref. */
  readonly label: string;
  /** Repository root on disk (for messages and for git). */
  readonly root: string;
  /** Every file path (relative, forward slashes) under `dir` (relative), recursively. */
  list(dir: string): string[];
  /** The file's bytes, or undefined when it does not exist. */
  read(path: string): Buffer | undefined;
}

export class WorkingTreeSource implements RepoSource {
  readonly label = 'working tree';
  constructor(readonly root: string) {}

  list(dir: string): string[] {
    const out: string[] = [];
    const walk = (abs: string): void => {
      let entries: string[];
      try {
        entries = readdirSync(abs);
      } catch {
        return;
      }
      for (const name of entries.sort()) {
        const full = join(abs, name);
        const st = statSync(full, { throwIfNoEntry: false });
        if (!st) continue;
        if (st.isDirectory()) walk(full);
        else if (st.isFile()) out.push(relative(this.root, full).split(sep).join('/'));
      }
    };
    walk(join(this.root, dir));
    return out;
  }

  read(path: string): Buffer | undefined {
    try {
      return readFileSync(join(this.root, path));
    } catch {
      return undefined;
    }
  }
}

/** Files as they are at a git revision, read with `git ls-tree` / `git cat-file` (no checkout). */
export class GitRevisionSource implements RepoSource {
  private readonly files: Map<string, string>;
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
      const [, type, object] = entry.slice(0, tab).split(' ');
      if (type === 'blob' && object) this.files.set(entry.slice(tab + 1), object);
    }
  }

  list(dir: string): string[] {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    return [...this.files.keys()].filter((p) => p.startsWith(prefix)).sort();
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
