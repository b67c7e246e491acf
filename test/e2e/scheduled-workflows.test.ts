/**
 * The scheduled workflows (drift.yml, advance.yml, watch.yml) run by the sandbox's runner on the
 * project as seeded, started through their `workflow_dispatch` trigger (the same jobs their crons
 * start; test/actions/schedule.test.ts covers the crons themselves). The test acts only as people
 * do — git pushes, the GitHub REST API as sandbox users, AWS through the real SDK — and asserts
 * outcomes that hold however the free-running clock interleaves with the runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import {
  AppConfigClient,
  CreateHostedConfigurationVersionCommand,
  GetHostedConfigurationVersionCommand,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentStrategiesCommand,
  ListEnvironmentsCommand,
  StartDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../sandbox/index.ts';
import { createAws } from '../../src/aws/index.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { clockFollowing } from '../../src/pipeline/clock.ts';
import { makeContext } from '../../src/pipeline/context.ts';
import { git } from '../helpers/git.ts';

const REPO = { owner: 'ons', repo: 'flags' };
const APP = 'ons-data-platform-app';

let tmp: string;
let sandbox: Sandbox;
let clone: string;
const user = (login: string) =>
  getOctokit(`sandbox-user-${login}`, { baseUrl: sandbox.env['GITHUB_API_URL']! });

async function idle(): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/workflows/idle?timeout_ms=240000`);
  expect(((await res.json()) as { idle: boolean }).idle).toBe(true);
}

async function dispatch(workflow: string, inputs: Record<string, string> = {}): Promise<void> {
  await user('olivia').rest.actions.createWorkflowDispatch({
    ...REPO,
    workflow_id: workflow,
    ref: 'main',
    inputs,
  });
  await idle();
}

/** Runs of a workflow, newest first, each with its jobs' logs joined. */
async function runsOf(workflow: string) {
  const { data } = await user('alice').rest.actions.listWorkflowRunsForRepo({ ...REPO, per_page: 100 });
  const runs = data.workflow_runs.filter((r) => r.path === `.github/workflows/${workflow}`);
  return Promise.all(
    runs.map(async (run) => {
      const { data: jobs } = await user('alice').rest.actions.listJobsForWorkflowRun({
        ...REPO,
        run_id: run.id,
      });
      const logs = await Promise.all(jobs.jobs.map((j) => jobLog(j.id)));
      return { run, jobs: jobs.jobs, log: logs.join('\n') };
    }),
  );
}

async function jobLog(id: number): Promise<string> {
  const res = await fetch(`${sandbox.env['GITHUB_API_URL']}/repos/ons/flags/actions/jobs/${id}/logs`, {
    headers: { authorization: 'token sandbox-user-alice' },
  });
  return res.text();
}

function appconfig(): AppConfigClient {
  return new AppConfigClient({
    endpoint: sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
}

/** A deployment started by hand through the AppConfig API: main's content with one value changed. */
async function deployBehindGitsBack(environment: string): Promise<void> {
  const client = appconfig();
  const app = (await client.send(new ListApplicationsCommand({}))).Items!.find((a) => a.Name === APP)!;
  const env = (await client.send(new ListEnvironmentsCommand({ ApplicationId: app.Id! }))).Items!.find(
    (e) => e.Name === environment,
  )!;
  const profile = (
    await client.send(new ListConfigurationProfilesCommand({ ApplicationId: app.Id! }))
  ).Items!.find((p) => p.Name === 'feature-flags')!;
  const strategy = (await client.send(new ListDeploymentStrategiesCommand({}))).Items!.find(
    (s) => s.Name === 'AppConfig.AllAtOnce',
  )!;
  const latest = await client.send(
    new GetHostedConfigurationVersionCommand({
      ApplicationId: app.Id!,
      ConfigurationProfileId: profile.Id!,
      VersionNumber: 1,
    }),
  );
  const content = JSON.parse(Buffer.from(latest.Content!).toString('utf8')) as {
    values: Record<string, Record<string, unknown>>;
  };
  content.values['influxdb_traffic_percentage']!['percentage'] = 42;
  const version = await client.send(
    new CreateHostedConfigurationVersionCommand({
      ApplicationId: app.Id!,
      ConfigurationProfileId: profile.Id!,
      Content: Buffer.from(JSON.stringify(content)),
      ContentType: 'application/json',
    }),
  );
  await client.send(
    new StartDeploymentCommand({
      ApplicationId: app.Id!,
      EnvironmentId: env.Id!,
      ConfigurationProfileId: profile.Id!,
      ConfigurationVersion: String(version.VersionNumber),
      DeploymentStrategyId: strategy.Id!,
      Description: 'hotfix from the console',
    }),
  );
  client.destroy();
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-e2e-scheduled-'));
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
    clockSpeed: sandbox.clock.speed,
  });
  await bootstrap(
    makeContext({ aws, clock: clockFollowing(sandbox.clock), reporter: { emit: () => {} } }),
    loadRepository(new WorkingTreeSource(PROJECT_ROOT)),
  );
  clone = join(tmp, 'clone');
  git(tmp, 'clone', '--quiet', sandbox.gitRemote, clone);
  // Everything main says, deployed by deploy.yml (production's bake at 0 % has no InfluxDB data to
  // judge and fails the run, but AppConfig serves main's content everywhere).
  await dispatch('deploy.yml');
}, 300_000);

afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('drift.yml on the sandbox', () => {
  it('reports a deployment started through the AppConfig API as drift, in one issue across runs', async () => {
    await dispatch('drift.yml');
    const [before] = await runsOf('drift.yml');
    expect(before?.log).toMatch(new RegExp(`${APP}/development/feature-flags\\s+IN-SYNC`));

    await deployBehindGitsBack('development');
    await dispatch('drift.yml');
    await dispatch('drift.yml');
    const [second, first] = await runsOf('drift.yml');
    for (const r of [first, second]) {
      expect(r?.run.conclusion, r?.log).toBe('failure');
      expect(r?.log).toMatch(new RegExp(`${APP}/development/feature-flags\\s+DRIFTED`));
      expect(r?.log).toContain('hotfix from the console');
    }
    const { data: issues } = await user('alice').rest.issues.listForRepo({
      ...REPO,
      labels: 'flagops:drift',
      state: 'all',
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ state: 'open' });
    expect(issues[0]?.body).toContain(`${APP}/development/feature-flags`);
  }, 400_000);
});
