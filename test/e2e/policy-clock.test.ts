/**
 * One clock, through the workflows: production goes 0 → 25 % by deploy.yml (deployed and baked
 * healthy, recorded with the sandbox's simulated time, which runs months ahead of `date`),
 * simulated time passes beyond the dwell, and the pull request 25 → 50 % is allowed by change
 * control: the change-control job's policy clock is the sandbox's clock (FLAGOPS_CLOCK_SPEED and
 * FLAGOPS_CLOCK_ORIGIN from the runner), not the machine's, which would see a bake recorded in its
 * future and refuse forever with "baked healthy for 0 min".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { createAws } from '../../src/aws/index.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { clockFollowing } from '../../src/pipeline/clock.ts';
import { makeContext } from '../../src/pipeline/context.ts';
import { git } from '../helpers/git.ts';

const REPO = { owner: 'ons', repo: 'flags' };
const APP = 'ons-data-platform-app';
const DIR = `flags/${APP}`;
const PROD = `${DIR}/production/feature-flags.yaml`;

let tmp: string;
let sandbox: Sandbox;
let clone: string;
const user = (login: string) =>
  getOctokit(`sandbox-user-${login}`, { baseUrl: sandbox.env['GITHUB_API_URL']! });

async function idle(): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/workflows/idle?timeout_ms=240000`);
  expect(((await res.json()) as { idle: boolean }).idle).toBe(true);
}

async function control(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/${path}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status, await res.text()).toBe(200);
}

async function deployLog(): Promise<{ conclusion: string | null; log: string }> {
  const { data } = await user('alice').rest.actions.listWorkflowRunsForRepo({ ...REPO, per_page: 100 });
  const run = data.workflow_runs.find((r) => r.path === '.github/workflows/deploy.yml');
  if (!run) return { conclusion: null, log: 'no deploy.yml run' };
  const { data: jobs } = await user('alice').rest.actions.listJobsForWorkflowRun({ ...REPO, run_id: run.id });
  const logs = await Promise.all(
    jobs.jobs.map(async (j) => {
      const res = await fetch(`${sandbox.env['GITHUB_API_URL']}/repos/ons/flags/actions/jobs/${j.id}/logs`, {
        headers: { authorization: 'token sandbox-user-alice' },
      });
      return res.text();
    }),
  );
  return { conclusion: run.conclusion, log: logs.join('\n') };
}

async function changeControl(sha: string): Promise<{ state: string; description: string } | undefined> {
  const { data } = await user('alice').rest.repos.listCommitStatusesForRef({ ...REPO, ref: sha });
  const s = data.find((x) => x.context === 'flagops/change-control');
  return s ? { state: s.state, description: s.description ?? '' } : undefined;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-e2e-clock-'));
  // Simulated time starts two months ahead of the machine's `date` (clear of app.yaml's freeze).
  sandbox = await startSandbox({
    workDir: join(tmp, 'work'),
    speed: 600,
    start: Date.UTC(2027, 1, 2, 9),
    workflows: { minTimeoutMs: 15 * 60_000 },
    protectMain: false,
  });
  const aws = createAws({
    endpoint: sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    retryBaseDelayMs: 100 / sandbox.clock.speed,
  });
  await bootstrap(
    makeContext({ aws, clock: clockFollowing(sandbox.clock), reporter: { emit: () => {} } }),
    loadRepository(new WorkingTreeSource(PROJECT_ROOT)),
  );
  clone = join(tmp, 'clone');
  git(tmp, 'clone', '--quiet', sandbox.gitRemote, clone);
}, 300_000);

afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the policy clock is the pipeline clock, through the workflows', () => {
  it('0 → 25 % deployed and baked; after the dwell in simulated time, 25 → 50 % is allowed by change control', async () => {
    // 0 → 25 % (development ahead at 50 %), pushed to main: deploy.yml deploys and bakes it.
    const edit = (path: string, f: (t: string) => string) =>
      writeFileSync(join(clone, path), f(readFileSync(join(clone, path), 'utf8')));
    edit(`${DIR}/development/feature-flags.yaml`, (t) => t.replace(/percentage: \d+/, 'percentage: 50'));
    edit(PROD, (t) =>
      t
        .replace(
          'use_influxdb_for_api_queries: { enabled: false }',
          'use_influxdb_for_api_queries: { enabled: true }',
        )
        .replace(/percentage: 0 /, 'percentage: 25 '),
    );
    git(clone, 'commit', '--quiet', '-am', 'Production 25 %');
    git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
    await idle();
    const deploy = await deployLog();
    expect(deploy.conclusion, deploy.log).toBe('success');
    expect(deploy.log).toMatch(/production\/feature-flags: bake complete: healthy/);

    // Simulated time passes beyond production's 15 min dwell.
    await control('clock', { advanceSeconds: 20 * 60 });

    git(clone, 'checkout', '--quiet', '-B', 'alice/fifty', 'origin/main');
    git(clone, 'pull', '--quiet', 'origin', 'main');
    edit(PROD, (t) => t.replace(/percentage: 25 /, 'percentage: 50 '));
    git(clone, 'commit', '--quiet', '-am', 'Production 50 %');
    git(clone, 'push', '--quiet', 'origin', 'HEAD:refs/heads/alice/fifty');
    const { data: pull } = await user('alice').rest.pulls.create({
      ...REPO,
      title: 'Production 50 %',
      head: 'alice/fifty',
      base: 'main',
    });
    await idle();
    const before = await changeControl(pull.head.sha);
    // Only the approvals are missing: the dwell is met on the services' clock.
    expect(before?.description).not.toMatch(/clock disagrees|baked healthy for/);
    expect(before).toMatchObject({
      state: 'failure',
      description: expect.stringMatching(/production needs 2 approvals?, has 0/),
    });

    for (const login of ['bob', 'carol'])
      await user(login).rest.pulls.createReview({ ...REPO, pull_number: pull.number, event: 'APPROVE' });
    await idle();
    expect(await changeControl(pull.head.sha)).toMatchObject({ state: 'success' });
  }, 600_000);
});
