/**
 * One clock, through the workflows: production goes 0 → 25 % by deploy.yml (deployed and baked
 * healthy, recorded with the sandbox's simulated time, which runs months ahead of `date`),
 * simulated time passes beyond the dwell, and the pull request 25 → 50 % is allowed by change
 * control: the change-control job's policy clock is the sandbox's clock (FLAGOPS_CLOCK_SPEED and
 * FLAGOPS_CLOCK_ORIGIN from the runner), not the machine's, which would see a bake recorded in its
 * future and refuse forever with "baked healthy for 0 min".
 *
 * Then the rest of the release's life, still only through the workflows (issue 19's first "Done
 * when"): the 50 % pull request is merged, InfluxDB overloads above 40 % (the sandbox's traffic
 * scenario, the world's doing), deploy.yml's bake breaches and rolls back, AppConfig serves the 25 %
 * version again (ListDeployments, AppConfigData), the App opens the revert pull request whose
 * "Rollback … at" is AppConfig's own rollback event, its checks run, and a deploy dispatched by a
 * writer stays held without a new AppConfig deployment. The soak's late breach is
 * scheduled-workflows.test.ts's watch.yml test; drift of a hand-made deployment its drift.yml test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-appconfig';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { createAws } from '../../src/aws/index.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { clockFollowing } from '../../src/pipeline/clock.ts';
import { makeContext } from '../../src/pipeline/context.ts';
import { gitHubBakeStore } from '../../src/rollout/bake-record.ts';
import { git } from '../helpers/git.ts';
import { APP, REPO, workflowSandbox } from '../helpers/workflow-sandbox.ts';

const DIR = `flags/${APP}`;
const PROD = `${DIR}/production/feature-flags.yaml`;

let tmp: string;
let sandbox: Sandbox;
let clone: string;
const { user, idle, control, dispatch, runsOf, appconfig, ids, servedPercentage } = workflowSandbox(
  () => sandbox,
);
/** The pull request to 50 %, approved by the first test and merged by the second. */
let fifty: { number: number; sha: string };
/** The App's revert pull request, opened by the second test. */
let revertPull: { number: number; sha: string };

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
    const [deploy] = await runsOf('deploy.yml');
    expect(deploy?.run.conclusion, deploy?.log).toBe('success');
    expect(deploy?.log).toMatch(/production\/feature-flags: bake complete: healthy/);
    // The healthy bake woke the advancer at once (workflow_dispatch with the App's token).
    expect(deploy?.log).toContain('dispatched advance.yml for production');
    const { data: runs } = await user('alice').rest.actions.listWorkflowRunsForRepo({
      ...REPO,
      per_page: 100,
    });
    expect(
      runs.workflow_runs.filter((r) => r.path === '.github/workflows/advance.yml').map((r) => r.event),
    ).toContain('workflow_dispatch');

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
    fifty = { number: pull.number, sha: pull.head.sha };
  }, 600_000);

  it('the merged 50 % breaches in its bake, rolls back to 25 %, and the App opens the revert pull request with the rollback time', async () => {
    const client = appconfig();
    const where = await ids(client, 'production');
    const deployments = async () =>
      ((await client.send(new ListDeploymentsCommand(where))).Items ?? []).sort(
        (a, b) => b.DeploymentNumber! - a.DeploymentNumber!,
      );
    const [healthy] = await deployments();
    expect(healthy).toMatchObject({ State: 'COMPLETE' });
    expect(await servedPercentage('production')).toBe(25);

    // The world: InfluxDB overloads above 40 % of the traffic (harmless at 25 %).
    await control('scenario', { name: 'influxdb-overload-above-40' });
    await user('bob').rest.pulls.merge({ ...REPO, pull_number: fifty.number });
    await idle();

    const [deploy] = await runsOf('deploy.yml');
    expect(deploy?.run.event).toBe('push');
    expect(deploy?.run.conclusion, deploy?.log).toBe('failure');
    // AppConfig serves the 25 % version again: the 50 % deployment was undone, nothing newer runs.
    const [bad, ...older] = await deployments();
    expect(bad?.DeploymentNumber).toBe(healthy!.DeploymentNumber! + 1);
    expect(['ROLLED_BACK', 'REVERTED']).toContain(bad?.State);
    expect(older[0]).toMatchObject({
      DeploymentNumber: healthy!.DeploymentNumber,
      ConfigurationVersion: healthy!.ConfigurationVersion,
    });
    expect(await servedPercentage('production')).toBe(25);
    const undone = await client.send(
      new GetDeploymentCommand({ ...where, DeploymentNumber: bad!.DeploymentNumber! }),
    );
    client.destroy();

    // The revert pull request, opened by the App with the release's evidence.
    const { data: pulls } = await user('alice').rest.pulls.list({ ...REPO, state: 'open' });
    const reverts = pulls.filter((p) =>
      p.head.ref.startsWith(`flagops/revert/${APP}/production/feature-flags/`),
    );
    expect(reverts).toHaveLength(1);
    const revert = reverts[0]!;
    expect(revert.user?.login).toBe('flagops[bot]');
    expect(revert.body).toContain(`#${fifty.number} by @alice`);
    expect(revert.body).toContain(
      `deployment ${bad!.DeploymentNumber}: version ${bad!.ConfigurationVersion}`,
    );
    // The rollback's time, as the release record holds it and AppConfig's events bound it.
    const rolledBackAt = /\n\| Rollback \| [^|\n]* at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) \|/.exec(
      revert.body ?? '',
    )?.[1];
    expect(rolledBackAt, revert.body ?? '').toBeDefined();
    // AppConfig's own event for the rollback: StopDeployment of a deployment in flight
    // (ROLLBACK_COMPLETED) or of a completed one, with AllowRevert (REVERT_COMPLETED).
    const event = undone.EventLog?.find((e) =>
      ['ROLLBACK_COMPLETED', 'REVERT_COMPLETED'].includes(e.EventType ?? ''),
    );
    expect(event?.OccurredAt, JSON.stringify(undone.EventLog)).toBeInstanceOf(Date);
    expect(Date.parse(rolledBackAt!)).toBe(event!.OccurredAt!.getTime());
    revertPull = { number: revert.number, sha: revert.head.sha };

    // The bake's own job recorded the breach as data, as any reader finds it: the release record
    // of the undone deployment, its rollback at AppConfig's time, by flagops.
    const record = await gitHubBakeStore(
      createOctokit({ token: 'sandbox-user-alice', baseUrl: sandbox.env['GITHUB_API_URL']! }),
      REPO,
    ).latest({ application: APP, environment: 'production', profile: 'feature-flags' });
    expect(record?.release).toMatchObject({
      deploymentNumber: bad!.DeploymentNumber,
      verdict: 'breached',
      rollback: { at: event!.OccurredAt!.getTime(), by: expect.stringMatching(/^flagops/) },
    });
  }, 600_000);

  it('checks run on the revert pull request: the plan and the App’s change-control status', async () => {
    const { data } = await user('alice').rest.actions.listWorkflowRunsForRepo({
      ...REPO,
      head_sha: revertPull.sha,
      per_page: 100,
    });
    const paths = data.workflow_runs.map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining(['.github/workflows/pull-request.yml', '.github/workflows/change-control.yml']),
    );
    for (const run of data.workflow_runs) expect(run.conclusion, run.path).toBe('success');
    const { data: checks } = await user('alice').rest.checks.listForRef({ ...REPO, ref: revertPull.sha });
    expect(checks.check_runs.map((c) => c.name)).toContain('validate and plan');
    expect(checks.check_runs.find((c) => c.name === 'validate and plan')?.conclusion).toBe('success');
    const { data: statuses } = await user('alice').rest.repos.listCommitStatusesForRef({
      ...REPO,
      ref: revertPull.sha,
    });
    const gate = statuses.find((s) => s.context === 'flagops/change-control');
    expect(gate?.creator?.login).toBe('flagops[bot]');
    // An automatic revert needs one approval (app.yaml), and nobody has approved it yet.
    expect(gate, JSON.stringify(gate)).toMatchObject({
      state: 'failure',
      description: expect.stringMatching(/production needs 1 approval, has 0/),
    });
  }, 120_000);

  it('a deploy dispatched while the revert is open stays held: no new AppConfig deployment', async () => {
    const client = appconfig();
    const where = await ids(client, 'production');
    const count = async () => ((await client.send(new ListDeploymentsCommand(where))).Items ?? []).length;
    const before = await count();
    await dispatch('deploy.yml', { environment: 'production' }, 'alice');
    const [held] = await runsOf('deploy.yml');
    expect(held?.run.event).toBe('workflow_dispatch');
    expect(held?.run.conclusion, held?.log).toBe('failure');
    expect(held?.log).toContain(`is held by automatic revert pull request #${revertPull.number}`);
    expect(await count()).toBe(before);
    client.destroy();
    expect(await servedPercentage('production')).toBe(25);
  }, 300_000);
});
