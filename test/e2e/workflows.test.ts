/**
 * The deploy story through this repository's own workflows, run by the sandbox's runner on the
 * project as seeded (deploy.yml, the committed action bundles): the test acts only as people do —
 * git pushes and the GitHub REST API as sandbox users — and reads AWS only through the real SDK
 * to check what is served. Setup creates the AppConfig resources once (`flagops bootstrap`'s job).
 *
 * Time: the workflows' processes follow the sandbox's simulated clock at a fixed speed (there is no
 * stepped clock across processes); the assertions are on outcomes, never on durations.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
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
const FILE = `flags/${APP}/development/feature-flags.yaml`;

let tmp: string;
let sandbox: Sandbox;
let clone: string;
const user = (login: string) =>
  getOctokit(`sandbox-user-${login}`, { baseUrl: sandbox.env['GITHUB_API_URL']! });

async function idle(): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/workflows/idle?timeout_ms=240000`);
  expect(((await res.json()) as { idle: boolean }).idle).toBe(true);
}

/** The newest run of a workflow for an event, with its jobs (steps and their conclusions). */
async function newestRun(workflow: string, event: string) {
  const { data } = await user('alice').rest.actions.listWorkflowRunsForRepo({ ...REPO, event });
  const run = data.workflow_runs.find((r) => r.path === `.github/workflows/${workflow}`);
  expect(run, `a ${event} run of ${workflow}`).toBeDefined();
  const { data: jobs } = await user('alice').rest.actions.listJobsForWorkflowRun({
    ...REPO,
    run_id: run!.id,
  });
  return { run: run!, jobs: jobs.jobs };
}

async function jobLog(id: number): Promise<string> {
  const res = await fetch(`${sandbox.env['GITHUB_API_URL']}/repos/ons/flags/actions/jobs/${id}/logs`, {
    headers: { authorization: 'token sandbox-user-alice' },
  });
  return res.text();
}

/** What development's clients receive, read as they read it. */
async function served(): Promise<string> {
  const client = new AppConfigDataClient({
    endpoint: sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const session = await client.send(
    new StartConfigurationSessionCommand({
      ApplicationIdentifier: APP,
      EnvironmentIdentifier: 'development',
      ConfigurationProfileIdentifier: 'feature-flags',
    }),
  );
  const out = await client.send(
    new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken! }),
  );
  client.destroy();
  return Buffer.from(out.Configuration ?? new Uint8Array()).toString('utf8');
}

function pushToMain(path: string, content: string, message: string): void {
  git(clone, 'pull', '--quiet', '--rebase', 'origin', 'main');
  writeFileSync(join(clone, path), content);
  git(clone, 'add', path);
  git(clone, 'commit', '--quiet', '-m', message);
  git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
}

const percentage = (json: string) =>
  (JSON.parse(json) as { influxdb_traffic_percentage: { percentage: number } }).influxdb_traffic_percentage
    .percentage;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-e2e-workflows-'));
  sandbox = await startSandbox({
    workDir: join(tmp, 'work'),
    speed: 1200,
    workflows: true,
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
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('deploy.yml on the sandbox', () => {
  it('a workflow_dispatch deploys development from the committed bundles, checking holds with its token', async () => {
    await user('olivia').rest.actions.createWorkflowDispatch({
      ...REPO,
      workflow_id: 'deploy.yml',
      ref: 'main',
      inputs: { environment: 'development' },
    });
    await idle();
    const { run, jobs } = await newestRun('deploy.yml', 'workflow_dispatch');
    expect(run.conclusion).toBe('success');
    const deploy = jobs.find((j) => j.name === `deploy ${APP}/development`);
    expect(deploy?.steps?.find((s) => s.name === 'Deploy feature-flags')?.conclusion).toBe('success');
    expect(percentage(await served())).toBe(25);
  }, 300_000);

  it('refuses to deploy a held target, on push and on workflow_dispatch, while its revert pull request is open', async () => {
    // A pull request from the target's revert branch is what holds it.
    const branch = `flagops/revert/${APP}/development/feature-flags/0000000`;
    git(clone, 'checkout', '--quiet', '-b', branch);
    writeFileSync(join(clone, FILE), `${readFileSync(join(clone, FILE), 'utf8')}# reverted\n`);
    git(clone, 'commit', '--quiet', '-am', 'Revert development');
    git(clone, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
    git(clone, 'checkout', '--quiet', 'main');
    const { data: pr } = await user('alice').rest.pulls.create({
      ...REPO,
      title: 'Revert development',
      head: branch,
      base: 'main',
    });
    const file = join(clone, FILE);
    pushToMain(
      FILE,
      readFileSync(file, 'utf8').replace('percentage: 25', 'percentage: 30'),
      'development 30 %',
    );
    await idle();
    await user('olivia').rest.actions.createWorkflowDispatch({
      ...REPO,
      workflow_id: 'deploy.yml',
      ref: 'main',
      inputs: { environment: 'development' },
    });
    await idle();
    for (const event of ['push', 'workflow_dispatch']) {
      const { run, jobs } = await newestRun('deploy.yml', event);
      expect(run.conclusion, event).toBe('failure');
      const deploy = jobs.find((j) => j.name === `deploy ${APP}/development`)!;
      expect(await jobLog(deploy.id)).toContain(`is held by automatic revert pull request #${pr.number}`);
    }
    expect(percentage(await served())).toBe(25);
  }, 300_000);

  it('fails a deploy job whose permissions: cannot read pull requests with GitHub’s 403, deploying nothing', async () => {
    const deploy = readFileSync(join(clone, '.github/workflows/deploy.yml'), 'utf8');
    const narrowed = deploy
      .replace('name: deploy\n', 'name: deploy-narrow\n')
      .split('\n')
      .filter((line) => !line.includes('pull-requests: read'))
      .join('\n');
    expect(narrowed).not.toContain('pull-requests: read');
    pushToMain('.github/workflows/deploy-narrow.yml', narrowed, 'a deploy job without pull-requests: read');
    await user('olivia').rest.actions.createWorkflowDispatch({
      ...REPO,
      workflow_id: 'deploy-narrow.yml',
      ref: 'main',
      inputs: { environment: 'development' },
    });
    await idle();
    const { run, jobs } = await newestRun('deploy-narrow.yml', 'workflow_dispatch');
    expect(run.conclusion).toBe('failure');
    const job = jobs.find((j) => j.name === `deploy ${APP}/development`)!;
    const log = await jobLog(job.id);
    expect(log).toContain('GitHub refused (403)');
    expect(log).toContain('Resource not accessible by integration');
    expect(log).toContain('is not deployed');
    expect(percentage(await served())).toBe(25);
  }, 300_000);
});
