/**
 * The sandbox's window on its bare repository: small synchronous wrappers over the git CLI. Refs are
 * always read from git itself, because clients push to the repository directly with plain `git push`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fastImportStream, seedFiles } from './seed.ts';

export const SANDBOX_IDENTITY = { name: 'flagops sandbox', email: 'sandbox@flagops.invalid' } as const;

/** The seed commit's date: fixed, so the same seed directory always yields the same commit id. */
const SEED_DATE = '1704067200 +0000';

export interface Person {
  name: string;
  email: string;
  /** Epoch ms. */
  date: number;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: Person;
  committer: Person;
  message: string;
}

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed';

export interface FileChange {
  filename: string;
  previousFilename?: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  /** Hunks only, as GitHub shows them; absent for binary files. */
  patch?: string;
}

export type TreeEntry = {
  type: 'file' | 'dir' | 'submodule' | 'symlink';
  name: string;
  sha: string;
  size: number;
};

/**
 * Git must behave the same on every machine: no system or global configuration (autocrlf, hooks,
 * signing), no repository inherited from the caller's environment, and a fixed identity.
 */
export function gitEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('GIT_')) delete env[name];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: SANDBOX_IDENTITY.name,
    GIT_AUTHOR_EMAIL: SANDBOX_IDENTITY.email,
    GIT_COMMITTER_NAME: SANDBOX_IDENTITY.name,
    GIT_COMMITTER_EMAIL: SANDBOX_IDENTITY.email,
    ...extra,
  };
}

class GitFailure extends Error {
  constructor(
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
    args: string[],
  ) {
    super(`git ${args.join(' ')} failed (${exitCode}): ${stderr.trim()}`);
  }
}

/** Read-only subcommands whose answer depends only on the objects their arguments name. */
const OBJECT_READS = new Set([
  'show',
  'ls-tree',
  'log',
  'rev-parse',
  'cat-file',
  'merge-base',
  'rev-list',
  'diff',
]);
/** `<sha>`, `<sha>:path`, `<sha>^{tree}`, `<sha>~1`, or a range `<sha>..<sha>` (`...` too). */
const FIXED_REVISION = /^[0-9a-f]{40}(?:$|[:^~])|^[0-9a-f]{40}\.{2,3}[0-9a-f]{40}$/;
/** Answers kept per repository; past this many the store starts again (a long-lived sandbox). */
const MAX_KEPT_ANSWERS = 20_000;

/**
 * The key under which a git answer may be kept, or undefined when it may change. Objects never
 * change, so a read whose every revision is a full commit id (`<sha>`, `<sha>:path`, `<sha>^{tree}`,
 * `<a>..<b>`), paths after `--` aside, always answers the same. Refs do move (clients push with plain
 * git), so anything naming a ref, or that writes, is asked every time.
 */
export function fixedReadKey(args: string[]): string | undefined {
  if (!OBJECT_READS.has(args[0] ?? '')) return undefined;
  const end = args.indexOf('--');
  const revisions = (end < 0 ? args.slice(1) : args.slice(1, end)).filter((a) => !a.startsWith('-'));
  if (revisions.length === 0 || !revisions.every((r) => FIXED_REVISION.test(r))) return undefined;
  return args.join('\0');
}

export class BareRepository {
  constructor(readonly path: string) {}

  /**
   * Answers of reads at fixed commits: the story and the workflow runner ask the same ones again and
   * again (each event reads every workflow file at its commit), and every ask was a git process —
   * about 1,700 of them in `npm start`, each blocking the sandbox while it ran.
   */
  private readonly kept = new Map<string, string>();

  git(args: string[], options: { env?: Record<string, string>; input?: string } = {}): string {
    const plain = Object.keys(options.env ?? {}).length === 0 && options.input === undefined;
    const key = plain ? fixedReadKey(args) : undefined;
    const known = key === undefined ? undefined : this.kept.get(key);
    if (known !== undefined) return known;
    const answer = this.runGit(args, options);
    if (key !== undefined) {
      if (this.kept.size >= MAX_KEPT_ANSWERS) this.kept.clear();
      this.kept.set(key, answer);
    }
    return answer;
  }

  private runGit(args: string[], options: { env?: Record<string, string>; input?: string }): string {
    try {
      return execFileSync('git', ['--git-dir', this.path, ...args], {
        env: gitEnvironment(options.env),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['pipe', 'pipe', 'pipe'],
        ...(options.input !== undefined ? { input: options.input } : {}),
      });
    } catch (err) {
      const e = err as { status?: number; stdout?: string; stderr?: string };
      throw new GitFailure(e.status ?? -1, e.stdout ?? '', e.stderr ?? '', args);
    }
  }

  /** Like `git` but answers the exit code instead of throwing on a non-zero one. */
  tryGit(args: string[], env: Record<string, string> = {}): { code: number; stdout: string } {
    try {
      return { code: 0, stdout: this.git(args, { env }) };
    } catch (err) {
      if (err instanceof GitFailure) return { code: err.exitCode, stdout: err.stdout };
      throw err;
    }
  }

  exists(): boolean {
    return existsSync(join(this.path, 'HEAD'));
  }

  /**
   * Replace whatever is at the path with a new repository whose `main` holds `seedDir`'s files as git
   * would see them: a git checkout contributes tracked and untracked-but-not-ignored files; any other
   * directory contributes every file except `node_modules` and `.git`.
   */
  seed(seedDir: string): string {
    this.kept.clear();
    rmSync(this.path, { recursive: true, force: true });
    mkdirSync(dirname(this.path), { recursive: true });
    // No template: hook samples and the like are not needed and cost start time.
    execFileSync('git', ['init', '--quiet', '--bare', '--template=', '--initial-branch=main', this.path], {
      env: gitEnvironment(),
      stdio: 'ignore',
    });
    const seed = seedFiles(seedDir, gitEnvironment());
    // The seed checkout's blobs are borrowed, not copied: git reads them through alternates.
    if (seed.alternate)
      writeFileSync(join(this.path, 'objects', 'info', 'alternates'), `${seed.alternate}\n`);
    const stream = fastImportStream({
      ref: 'refs/heads/main',
      files: seed.files,
      message: 'Seed the sandbox repository\n',
      identity: SANDBOX_IDENTITY,
      date: SEED_DATE,
    });
    execFileSync('git', ['--git-dir', this.path, 'fast-import', '--quiet', '--date-format=raw'], {
      env: gitEnvironment(),
      input: stream,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    return this.git(['rev-parse', 'refs/heads/main']).trim();
  }

  /** The commit a branch, tag, full ref or (abbreviated) sha names; undefined when none. */
  resolveCommit(rev: string): string | undefined {
    if (rev.startsWith('-') || rev.includes('..')) return undefined;
    const { code, stdout } = this.tryGit(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    return code === 0 ? stdout.trim() : undefined;
  }

  /** The sha a full ref (`refs/heads/x`) points at, without peeling; undefined when absent. */
  refTarget(ref: string): string | undefined {
    const { code, stdout } = this.tryGit(['rev-parse', '--verify', '--quiet', ref]);
    return code === 0 && ref.startsWith('refs/') ? stdout.trim() : undefined;
  }

  /**
   * A branch's tip. `owner:branch` names a fork's branch, kept here under `refs/forks/owner/` as
   * GitHub keeps a fork pull request's head in the base repository (git forbids `:` in branch names).
   */
  branchSha(branch: string): string | undefined {
    const colon = branch.indexOf(':');
    if (colon >= 0) return this.refTarget(`refs/forks/${branch.slice(0, colon)}/${branch.slice(colon + 1)}`);
    return this.refTarget(`refs/heads/${branch}`);
  }

  /** Refs under a prefix (`refs/heads/`), sorted by name. */
  refs(prefix = 'refs/'): Array<{ ref: string; sha: string; type: string }> {
    const out = this.git(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(objecttype)', prefix]);
    return out
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [ref = '', sha = '', type = ''] = line.split('\0');
        return { ref, sha, type };
      })
      .filter((r) => r.ref.startsWith(prefix));
  }

  objectType(sha: string): string | undefined {
    const { code, stdout } = this.tryGit(['cat-file', '-t', sha]);
    return code === 0 ? stdout.trim() : undefined;
  }

  /** Compare-and-swap: fails (returns false) when the ref no longer holds `expectedOld`. */
  updateRef(ref: string, sha: string, expectedOld?: string): boolean {
    const args = ['update-ref', ref, sha];
    if (expectedOld !== undefined) args.push(expectedOld);
    return this.tryGit(args).code === 0;
  }

  deleteRef(ref: string): boolean {
    return this.tryGit(['update-ref', '-d', ref]).code === 0;
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.tryGit(['merge-base', '--is-ancestor', ancestor, descendant]).code === 0;
  }

  mergeBase(a: string, b: string): string | undefined {
    const { code, stdout } = this.tryGit(['merge-base', a, b]);
    return code === 0 ? stdout.trim() : undefined;
  }

  /** Three-way merge without a work tree: the merged tree, or `clean: false` on conflicts. */
  mergeTree(ours: string, theirs: string): { clean: true; tree: string } | { clean: false } {
    const { code, stdout } = this.tryGit(['merge-tree', '--write-tree', '--no-messages', ours, theirs]);
    if (code === 0) return { clean: true, tree: stdout.split('\n')[0]?.trim() ?? '' };
    if (code === 1) return { clean: false };
    throw new Error(`git merge-tree ${ours} ${theirs} failed with exit code ${code}`);
  }

  treeOf(commit: string): string {
    return this.git(['rev-parse', `${commit}^{tree}`]).trim();
  }

  commitTree(options: {
    tree: string;
    parents: string[];
    message: string;
    author: Person;
    committer: Person;
  }): string {
    const args = ['commit-tree', options.tree];
    for (const p of options.parents) args.push('-p', p);
    const stamp = (ms: number) => `${Math.floor(ms / 1000)} +0000`;
    return this.git(args, {
      input: options.message,
      env: {
        GIT_AUTHOR_NAME: options.author.name,
        GIT_AUTHOR_EMAIL: options.author.email,
        GIT_AUTHOR_DATE: stamp(options.author.date),
        GIT_COMMITTER_NAME: options.committer.name,
        GIT_COMMITTER_EMAIL: options.committer.email,
        GIT_COMMITTER_DATE: stamp(options.committer.date),
      },
    }).trim();
  }

  commit(sha: string): CommitInfo {
    return this.commits(['--no-walk', sha])[0] as CommitInfo;
  }

  /** `git log` over the given arguments (a range, options), parsed. */
  commits(logArgs: string[]): CommitInfo[] {
    const format = '%H%x00%T%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%B%x1e';
    const out = this.git(['log', `--format=${format}`, ...logArgs, '--']);
    return out
      .split('\x1e')
      .map((record) => record.replace(/^\n/, ''))
      .filter((record) => record !== '')
      .map((record) => {
        const [
          sha = '',
          tree = '',
          parents = '',
          an = '',
          ae = '',
          at = '0',
          cn = '',
          ce = '',
          ct = '0',
          message = '',
        ] = record.split('\0');
        return {
          sha,
          tree,
          parents: parents === '' ? [] : parents.split(' '),
          author: { name: an, email: ae, date: Number(at) * 1000 },
          committer: { name: cn, email: ce, date: Number(ct) * 1000 },
          message: message.replace(/\n+$/, ''),
        };
      });
  }

  countCommits(range: string): number {
    return Number(this.git(['rev-list', '--count', range]).trim());
  }

  private readonly diffs = new Map<string, FileChange[]>();

  /**
   * What changed from one commit to another, as GitHub lists a pull request's files. Between two
   * commit ids the answer never changes, so it is kept: paging through a large pull request's
   * files would otherwise diff it again for every page.
   */
  diff(from: string, to: string): FileChange[] {
    const key = `${from}..${to}`;
    const fixed = /^[0-9a-f]{40}$/.test(from) && /^[0-9a-f]{40}$/.test(to);
    const kept = fixed ? this.diffs.get(key) : undefined;
    if (kept) return kept;
    const changes = this.computeDiff(from, to);
    if (fixed) this.diffs.set(key, changes);
    return changes;
  }

  private computeDiff(from: string, to: string): FileChange[] {
    const names = this.git(['diff', '-M', '-z', '--name-status', from, to]).split('\0');
    const numbers = this.git(['diff', '-M', '-z', '--numstat', from, to]).split('\0');
    const patches = splitPatches(this.git(['diff', '-M', from, to]));
    const changes: FileChange[] = [];
    let n = 0;
    let m = 0;
    while (n < names.length && names[n] !== '') {
      const code = names[n++] ?? '';
      const kind = code[0] ?? 'M';
      const first = names[n++] ?? '';
      const second = kind === 'R' || kind === 'C' ? (names[n++] ?? '') : undefined;
      // numstat: "added\tdeleted\tpath" or, for renames, "added\tdeleted\t" then old and new paths.
      const [added = '0', deleted = '0', path = ''] = (numbers[m++] ?? '').split('\t');
      if (path === '') m += 2;
      const binary = added === '-';
      const patch = patches[changes.length];
      const change: FileChange = {
        filename: second ?? first,
        status: statusOf(kind),
        additions: binary ? 0 : Number(added),
        deletions: binary ? 0 : Number(deleted),
      };
      if (second !== undefined) change.previousFilename = first;
      if (!binary && patch !== undefined && patch !== '') change.patch = patch;
      changes.push(change);
    }
    return changes;
  }

  /** A file's blob or a directory's entries at a revision; undefined when the path is absent. */
  readPath(
    rev: string,
    path: string,
  ):
    | { kind: 'file'; sha: string; content: Buffer }
    | { kind: 'dir'; sha: string; entries: TreeEntry[] }
    | undefined {
    const spec = path === '' ? `${rev}^{tree}` : `${rev}:${path}`;
    const { code, stdout } = this.tryGit(['rev-parse', '--verify', '--quiet', spec]);
    if (code !== 0) return undefined;
    const sha = stdout.trim();
    const type = this.objectType(sha);
    if (type === 'blob') {
      const content = execFileSync('git', ['--git-dir', this.path, 'cat-file', 'blob', sha], {
        env: gitEnvironment(),
      });
      return { kind: 'file', sha, content };
    }
    if (type !== 'tree') return undefined;
    const listing = this.git(['ls-tree', '-z', '--long', sha]);
    const entries: TreeEntry[] = listing
      .split('\0')
      .filter((line) => line !== '')
      .map((line) => {
        const [meta = '', name = ''] = line.split('\t');
        const [mode = '', objType = '', objSha = '', size = '-'] = meta.trim().split(/\s+/);
        const kind: TreeEntry['type'] =
          objType === 'tree'
            ? 'dir'
            : objType === 'commit'
              ? 'submodule'
              : mode === '120000'
                ? 'symlink'
                : 'file';
        return { type: kind, name, sha: objSha, size: size === '-' ? 0 : Number(size) };
      });
    return { kind: 'dir', sha, entries };
  }
}

function statusOf(kind: string): FileStatus {
  switch (kind) {
    case 'A':
      return 'added';
    case 'D':
      return 'removed';
    case 'R':
      return 'renamed';
    case 'C':
      return 'copied';
    case 'M':
      return 'modified';
    default:
      return 'changed';
  }
}

/** One entry per file of a unified diff, holding only its hunks (from the first `@@`). */
function splitPatches(diff: string): string[] {
  if (diff === '') return [];
  return diff
    .split(/^diff --git /m)
    .slice(1)
    .map((section) => {
      const start = section.search(/^@@/m);
      return start < 0 ? '' : section.slice(start).replace(/\n$/, '');
    });
}
