/**
 * A sandbox that runs workflows over a small seeded repository, for the runner's semantics tests.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getOctokit } from '@actions/github';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { git } from '../helpers/git.ts';

export type Octokit = ReturnType<typeof getOctokit>;
export const REPO = { owner: 'ons', repo: 'flags' };

export interface Harness {
  sandbox: Sandbox;
  tmp: string;
  user(login: string): Octokit;
  /** Clone main, write files on a new branch (or main), commit and push; returns the head. */
  push(branch: string, files: Record<string, string>, from?: string): string;
  idle(): Promise<void>;
  runs(query?: Record<string, string>): Promise<Array<Record<string, unknown>>>;
  jobs(runId: number): Promise<
    Array<
      Record<string, unknown> & {
        name: string;
        conclusion: string | null;
        steps: Array<{ name: string; conclusion: string | null }>;
      }
    >
  >;
  log(jobId: number): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(
  files: Record<string, string>,
  options: {
    protectMain?: boolean;
    speed?: number;
    start?: number;
    schedules?: boolean;
    minTimeoutMs?: number;
  } = {},
): Promise<Harness> {
  const tmp = mkdtempSync(join(tmpdir(), 'flagops-runner-'));
  const seed = join(tmp, 'seed');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(seed, path)), { recursive: true });
    writeFileSync(join(seed, path), content);
  }
  const sandbox = await startSandbox({
    seedDir: seed,
    workDir: join(tmp, 'work'),
    speed: options.speed ?? 60,
    ...(options.start !== undefined ? { start: options.start } : {}),
    workflows: { minTimeoutMs: options.minTimeoutMs ?? 0, schedules: options.schedules ?? false },
    protectMain: options.protectMain ?? false,
  });
  const api = sandbox.env['GITHUB_API_URL'] ?? '';
  const user = (login: string) => getOctokit(`sandbox-user-${login}`, { baseUrl: api });
  let n = 0;
  return {
    sandbox,
    tmp,
    user,
    push(branch, changes, from = 'main') {
      const clone = join(tmp, `clone-${++n}`);
      git(tmp, 'clone', '--quiet', sandbox.gitRemote, clone);
      if (branch !== from) git(clone, 'checkout', '--quiet', '-B', branch, `origin/${from}`);
      for (const [path, content] of Object.entries(changes)) {
        mkdirSync(dirname(join(clone, path)), { recursive: true });
        writeFileSync(join(clone, path), content);
      }
      git(clone, 'add', '--all');
      git(clone, 'commit', '--quiet', '-m', `change ${Object.keys(changes).join(', ')}`);
      git(clone, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
      return git(clone, 'rev-parse', 'HEAD');
    },
    async idle() {
      const res = await fetch(`${sandbox.url}/_sandbox/workflows/idle?timeout_ms=120000`);
      const body = (await res.json()) as { idle: boolean };
      if (!body.idle) throw new Error('workflows still running after 120 s');
    },
    async runs(query = {}) {
      const { data } = await user('alice').request('GET /repos/{owner}/{repo}/actions/runs', {
        ...REPO,
        ...query,
      });
      return data.workflow_runs as unknown as Array<Record<string, unknown>>;
    },
    async jobs(runId) {
      const { data } = await user('alice').rest.actions.listJobsForWorkflowRun({ ...REPO, run_id: runId });
      return data.jobs as never;
    },
    async log(jobId) {
      const res = await fetch(`${api}/repos/ons/flags/actions/jobs/${jobId}/logs`, {
        headers: { authorization: 'token sandbox-user-alice' },
      });
      return res.text();
    },
    async close() {
      await sandbox.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
