/**
 * Forks, as GitHub has them (https://docs.github.com/en/rest/repos/forks#create-a-fork):
 * `POST /repos/{owner}/{repo}/forks` gives the caller a repository of their own — here a bare
 * repository beside this one, named by the answer's `clone_url` — which its owner pushes to
 * freely. A pull request from `login:branch` keeps its head in this repository under
 * `refs/forks/login/branch` (GitHub keeps it as refs/pull/N/head), fetched when the pull request
 * is opened and again whenever the fork's branch moves (push-hook.ts: `synchronize`).
 *
 * What a fork pull request's workflows get is the runner's business (runner.ts): on `pull_request`
 * a read-only GITHUB_TOKEN, no secrets, no variables and no OIDC token.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GitHubWorld } from './context.ts';
import { gitEnvironment } from './git.ts';
import type { ForkRecord } from './state.ts';

/** `owner:branch` → its parts; undefined for a branch of this repository. */
export function forkHead(head: string): { owner: string; branch: string } | undefined {
  const colon = head.indexOf(':');
  return colon < 0 ? undefined : { owner: head.slice(0, colon), branch: head.slice(colon + 1) };
}

/** The branch name a pull request's head has in its own repository (GITHUB_HEAD_REF). */
export function headBranch(head: string): string {
  return forkHead(head)?.branch ?? head;
}

export function findFork(world: GitHubWorld, login: string): ForkRecord | undefined {
  const lower = login.toLowerCase();
  return (world.state.forks ?? []).find((f) => f.owner.toLowerCase() === lower);
}

/**
 * The caller's fork, made on first asking (GitHub answers a repeated request with the same fork):
 * a bare clone of this repository's branches beside it in the sandbox's work directory.
 */
export function createFork(world: GitHubWorld, login: string): { fork: ForkRecord; created: boolean } {
  const known = findFork(world, login);
  if (known && existsSync(known.path)) return { fork: known, created: false };
  const path = join(dirname(dirname(world.git.path)), login.toLowerCase(), `${world.name}.git`);
  rmSync(path, { recursive: true, force: true });
  execFileSync('git', ['clone', '--quiet', '--bare', '--no-tags', world.git.path, path], {
    env: gitEnvironment(),
    stdio: 'ignore',
  });
  const fork = { owner: login.toLowerCase(), path };
  world.state.forks = [...(world.state.forks ?? []).filter((f) => f !== known), fork];
  world.changed();
  return { fork, created: true };
}

/** Fetch the fork's `branch` into `refs/forks/<owner>/<branch>`; its sha, or undefined when absent. */
export function fetchForkBranch(world: GitHubWorld, fork: ForkRecord, branch: string): string | undefined {
  const ref = `refs/forks/${fork.owner}/${branch}`;
  const fetched = world.git.tryGit([
    'fetch',
    '--quiet',
    '--no-tags',
    fork.path,
    `+refs/heads/${branch}:${ref}`,
  ]);
  if (fetched.code !== 0) {
    world.git.deleteRef(ref);
    return undefined;
  }
  return world.git.refTarget(ref);
}
