/**
 * Proposing a change as a pull request, the part every proposer shares (operator edits, automatic
 * reverts, the rollout advancer): a throwaway clone of the remote, one branch prepared in it with a
 * real commit made by git, pushed with the token in git's environment, and one pull request per
 * branch, opened or brought up to date (README promise 3: re-running makes no second one).
 *
 * Plain git rather than the Git Data API: the commit is byte for byte what a person would push, it
 * works against any git host (and a local bare repository), and it needs one token permission
 * (contents: write) instead of four API round trips per file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitIdentity, git, gitOutput, gitSucceeds } from '../git/run.ts';
import type { GitHubApi, PullRequest } from '../github/api.ts';

/** A clone to prepare one branch in; see `inClone`. */
export interface Clone {
  readonly dir: string;
  /** The remote's default branch (`origin/HEAD`), `main` when the remote does not say. */
  defaultBranch(): string;
  /** Whether the remote has this branch. */
  hasBranch(branch: string): boolean;
  /** A file as the remote's branch has it (no trailing newline), undefined when absent. */
  fileOn(branch: string, file: string): string | undefined;
  /** Start `branch` here from the remote's `from` branch, replacing any local one. */
  checkout(branch: string, from: string): void;
  /** Write one file and commit it with flagops' identity (unless the environment names one). */
  commitFile(file: string, text: string, message: string, options?: { allowEmpty?: boolean }): void;
  /** Push HEAD to `branch`; `force` when the branch is ours to replace. */
  push(branch: string, options?: { force?: boolean }): void;
}

/** Clone `remote` into a temporary directory, run `body` in it, and always remove the directory. */
export async function inClone<T>(
  remote: string,
  env: NodeJS.ProcessEnv,
  purpose: string,
  body: (clone: Clone) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `flagops-${purpose}-`));
  try {
    git(dir, ['clone', '--quiet', '--no-tags', remote, '.'], env);
    return await body(cloneIn(dir, env));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cloneIn(dir: string, env: NodeJS.ProcessEnv): Clone {
  return {
    dir,
    defaultBranch() {
      const ref = gitOutput(dir, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], env);
      return (ref ?? 'refs/remotes/origin/main').replace(/^refs\/remotes\/origin\//, '');
    },
    hasBranch(branch) {
      return gitSucceeds(dir, ['rev-parse', '--verify', '--quiet', `origin/${branch}`], env);
    },
    fileOn(branch, file) {
      return gitOutput(dir, ['show', `origin/${branch}:${file}`], env);
    },
    checkout(branch, from) {
      git(dir, ['checkout', '--quiet', '-B', branch, `origin/${from}`], env);
    },
    commitFile(file, text, message, options = {}) {
      writeFileSync(join(dir, file), text);
      git(dir, ['add', '--', file], env);
      const allowEmpty = options.allowEmpty ? ['--allow-empty'] : [];
      git(dir, [...commitIdentity(dir, env), 'commit', '--quiet', ...allowEmpty, '-m', message], env);
    },
    push(branch, options = {}) {
      const force = options.force ? ['--force'] : [];
      git(dir, ['push', '--quiet', ...force, 'origin', `HEAD:refs/heads/${branch}`], env);
    },
  };
}

export interface ProposedPullRequest {
  head: string;
  base: string;
  title: string;
  body: string;
}

/**
 * The one pull request for `head`: opened when none is, otherwise updated only when its title or
 * body differ. `changed` says whether GitHub was written to.
 */
export async function upsertPullRequest(
  pulls: Pick<GitHubApi['pulls'], 'create' | 'update'>,
  open: PullRequest | undefined,
  wanted: ProposedPullRequest,
): Promise<{ pullRequest: PullRequest; created: boolean; changed: boolean }> {
  if (!open) return { pullRequest: await pulls.create(wanted), created: true, changed: true };
  if (open.title === wanted.title && open.body === wanted.body)
    return { pullRequest: open, created: false, changed: false };
  const pullRequest = await pulls.update(open.number, { title: wanted.title, body: wanted.body });
  return { pullRequest, created: false, changed: true };
}
