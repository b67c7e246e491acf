import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { createGitHubApi, type GitHubApi } from '../../src/github/api.ts';
import { createOctokit, type Octokit } from '../../src/github/octokit.ts';

import { git } from '../helpers/git.ts';

export const REPO = { owner: 'ons', repo: 'flags' };
export const APP_DIR = 'flags/ons-data-platform-app';

export interface Harness {
  sandbox: Sandbox;
  tmp: string;
  /** The seed's files on disk (what `main` starts as). */
  seedDir: string;
  octokit(login: string): Octokit;
  api(login: string): GitHubApi;
  /** Clone main into a fresh directory. */
  clone(): string;
  /** Write files on a new branch from main, commit and push; returns the clone and head sha. */
  pushBranch(branch: string, files: Record<string, string>): { clone: string; sha: string };
  close(): Promise<void>;
}

/** Retries never wait in tests. */
const noSleep = async () => {};

export async function startHarness(): Promise<Harness> {
  const tmp = mkdtempSync(join(tmpdir(), 'flagops-gh-'));
  const seedDir = join(tmp, 'seed');
  for (const dir of ['flags', 'schemas'])
    cpSync(join(PROJECT_ROOT, dir), join(seedDir, dir), { recursive: true });
  const sandbox = await startSandbox({
    seedDir,
    workDir: join(tmp, 'work'),
    repository: `${REPO.owner}/${REPO.repo}`,
  });
  const baseUrl = sandbox.env['GITHUB_API_URL']!;
  const octokit = (login: string) =>
    createOctokit({
      token: login.endsWith('[bot]') ? `sandbox-bot-${login.slice(0, -5)}` : `sandbox-user-${login}`,
      baseUrl,
      sleep: noSleep,
    });
  const clone = () => {
    const dir = mkdtempSync(join(tmp, 'clone-'));
    git(tmp, 'clone', '--quiet', sandbox.gitRemote, dir);
    return dir;
  };
  return {
    sandbox,
    tmp,
    seedDir,
    octokit,
    api: (login) => createGitHubApi(octokit(login), REPO),
    clone,
    pushBranch(branch, files) {
      const dir = clone();
      git(dir, 'checkout', '--quiet', '-b', branch);
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      git(dir, 'add', '--all');
      git(dir, 'commit', '--quiet', '-m', `Change ${Object.keys(files).join(', ')}`);
      git(dir, 'push', '--quiet', 'origin', branch);
      return { clone: dir, sha: git(dir, 'rev-parse', 'HEAD') };
    },
    async close() {
      await sandbox.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
