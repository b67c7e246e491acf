/**
 * `flagops watch` on the sandbox, after the bake's job ended: production goes 50 → 75 %, bakes
 * healthy for its 15 minutes and records it; the job is over. The soak (`soak_minutes.default: 120`
 * for production here; the guide's 24 h applies at 100 %) goes on run by run, each resuming where the bake record says the last one stopped. Then InfluxDB slows down —
 * a breach that starts after the bake's job ended — and the next run reverts the deployment in
 * AppConfig (StopDeployment with AllowRevert) and opens the revert pull request with the evidence.
 * Re-running does nothing twice: no second rollback, deployment or pull request.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { fixedContent, type Snapshot } from '../../src/pipeline/content.ts';
import { runRelease } from '../../src/pipeline/release.ts';
import { resolveTarget } from '../../src/pipeline/resolve.ts';
import { type BakeRecordStore, recordBakeFromEnv } from '../../src/rollout/bake-record.ts';
import { type SoakDeps, watchSoaks } from '../../src/rollout/soak-watch.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';
import { soakingCheckout } from '../../testkit/soaking-checkout.ts';
import { runCli } from '../helpers/cli.ts';
import { GIT_ENV } from '../helpers/git.ts';
import {
  commitProduction as commitToMain,
  harnessOctokit,
  harnessRepo,
  harnessStore,
  soakDeps,
} from '../helpers/soak.ts';

const ID = 'ons-data-platform-app/production/feature-flags';
let h: PipelineHarness;
let work: string;
let snapshot: Snapshot;
let deployment: number;

const repo = () => harnessRepo(h);
const octokit = (token?: string) => harnessOctokit(h, token);
const store = () => harnessStore(h);

const deps = (): SoakDeps => soakDeps(h, snapshot);
const soak = async () => (await watchSoaks(deps())).find((o) => o.target === ID)!;
const minutes = (n: number) => h.control('clock', { advanceSeconds: n * 60 });
/** The newest status of a record's deployment: the machine line, then words for people. */
async function statusLine(id: number) {
  const { data } = await octokit().rest.repos.listDeploymentStatuses({ ...repo(), deployment_id: id });
  return data[0]?.description;
}

async function openPulls() {
  return (await octokit('sandbox-user-alice').rest.pulls.list({ ...repo(), state: 'open' })).data;
}
async function deployments() {
  const t = await resolveTarget(h.aws, PRODUCTION);
  return h.aws.appconfig.listDeployments(t.application.id, t.environment.id);
}

const commitProduction = (percentage: number, message: string) => commitToMain(work, percentage, message);

beforeAll(async () => {
  h = await startPipelineHarness({ stepped: true });
  work = soakingCheckout(h, 'flagops-soak-', 120, GIT_ENV);
  const at50 = commitProduction(50, 'Production at 50 %');
  await bootstrap(h.ctx, at50.repo);
  const first = await runRelease({
    target: PRODUCTION,
    aws: h.aws,
    clock: h.clock,
    content: fixedContent(at50),
    bake: false,
  });
  expect(first.status).toBe('deployed');
  await minutes(60);
  snapshot = commitProduction(75, 'Production at 75 %');
  // The deploy job: deploy, bake 15 minutes, record the bake. Then the job is over.
  const released = await runRelease({
    target: PRODUCTION,
    aws: h.aws,
    clock: h.clock,
    content: fixedContent(snapshot),
    bake: true,
  });
  expect(released.status).toBe('healthy');
  deployment = released.deploymentNumber!;
  expect(await recordBakeFromEnv(h.sandbox.env, released, PRODUCTION, snapshot.commit.sha)).toMatchObject({
    verdict: 'healthy',
  });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await h?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('flagops watch (the soak after the bake)', () => {
  it('watches the 2 h soak, resuming each run from the bake record', async () => {
    const record = (await store().latest(PRODUCTION))!;
    const first = await soak();
    expect(first).toMatchObject({ status: 'watching', deploymentNumber: deployment });
    expect(first.until).toBe(record.completedAt + 120 * 60_000);
    await minutes(30);
    const second = await soak();
    expect(second.status).toBe('watching');
    // Where the run left off is in the record, and the next run starts there.
    const noted = (await store().latest(PRODUCTION))!;
    expect(noted.verdict).toBe('healthy');
    expect(noted.release?.soak?.through).toBe(second.through);
    expect(noted.release!.revision).toBeGreaterThan(record.release!.revision);
    expect(await statusLine(noted.id)).toMatch(
      /^flagops record r\d+ healthy: soak watched through \S+Z \(\d+ of 120 min\)$/,
    );
    expect(second.through!).toBeGreaterThan(first.through! + 25 * 60_000);
    expect(await openPulls()).toEqual([]);
  });

  it('catches a breach that starts after the bake job ended, reverts it and opens the revert pull request', async () => {
    const before = await deployments();
    await h.control('scenario', { name: 'influxdb-latency-degraded' });
    await minutes(8);
    // Writing the record takes 30 simulated seconds: the pull request is opened later than AppConfig
    // reverted, and must still name AppConfig's time.
    const bakes = store();
    const slowBakes: BakeRecordStore = {
      ...bakes,
      write: async (...args) => {
        h.sandbox.clock.advance(30_000);
        return bakes.write(...args);
      },
    };
    const caught = (await watchSoaks({ ...deps(), bakes: slowBakes })).find((o) => o.target === ID)!;
    expect(caught.status).toBe('breached');
    expect(caught.rollback).toMatchObject({
      action: 'reverted',
      deploymentNumber: deployment,
      verified: true,
    });
    expect(caught.breaches!.some((b) => b.kind === 'guard' && b.guard === 'influxdb-response-time')).toBe(
      true,
    );
    const after = await deployments();
    expect(after).toHaveLength(before.length);
    expect(after.find((d) => d.number === deployment)?.state).toBe('REVERTED');
    // The record says so, with the evidence.
    const record = (await store().latest(PRODUCTION))!;
    expect(record.verdict).toBe('breached');
    expect(record.release).toMatchObject({
      verdict: 'breached',
      rollback: { action: 'reverted' },
      revert: { pullRequest: caught.pullRequest!.number },
    });
    expect(await statusLine(record.id)).toMatch(
      /^flagops record r\d+ breached: soak breach: guard influxdb-/,
    );
    // The revert pull request: the bake's revert path, restoring 50 %.
    const pulls = await openPulls();
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.number).toBe(caught.pullRequest!.number);
    expect(pulls[0]!.labels.map((l) => l.name)).toEqual(
      expect.arrayContaining(['flagops:revert', 'flagops:automatic']),
    );
    expect(pulls[0]!.body).toContain('influxdb-response-time');
    // The rollback's time is AppConfig's (its REVERT_COMPLETED event), in the body as in the result.
    const t = await resolveTarget(h.aws, PRODUCTION);
    const reverted = await h.aws.appconfig.getDeployment(t.application.id, t.environment.id, deployment);
    const revertedAt = reverted.events.find((e) => e.type === 'REVERT_COMPLETED')!.at;
    expect(h.clock.now()).toBeGreaterThanOrEqual(revertedAt + 30_000);
    expect(caught.rollback?.at).toBe(revertedAt);
    expect(pulls[0]!.body).toContain(
      `| Rollback | reverted at ${new Date(revertedAt).toISOString().replace('.000Z', 'Z')} |`,
    );
  });

  it('is idempotent: another run rolls back nothing, deploys nothing and opens no second pull request', async () => {
    const before = await deployments();
    await minutes(15);
    const again = await soak();
    expect(again.status).toBe('breached');
    expect(again.rollback).toBeUndefined();
    expect(again.pullRequest?.number).toBe((await openPulls())[0]!.number);
    expect(await deployments()).toEqual(before);
    expect(await openPulls()).toHaveLength(1);
  });

  it('flagops watch runs the same watch from the environment, and says what it needs', async () => {
    // The sandbox's clock stands still (stepped): the CLI reads it once and, making no waits, is exact.
    const env: NodeJS.ProcessEnv = { ...GIT_ENV, ...h.sandbox.env, FLAGOPS_CLOCK_SPEED: '1' };
    // The AWS SDK's credential chain and endpoint come from the process environment.
    for (const key of ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
      vi.stubEnv(key, h.sandbox.env[key]!);
    const run = await runCli(['watch', '--environment', 'production', '--json'], { cwd: work, env });
    expect(run.stderr.slice(0, 400)).toBe('');
    const outcomes = JSON.parse(run.stdout) as Array<{ target: string; status: string; message: string }>;
    expect(outcomes.find((o) => o.target === ID)).toMatchObject({ status: 'breached' });
    expect(run.code).toBe(0);
    expect(await openPulls()).toHaveLength(1);
    const { GITHUB_TOKEN: _token, ...noToken } = env;
    const refused = await runCli(['watch'], { cwd: work, env: noToken });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('GITHUB_TOKEN and GITHUB_REPOSITORY must be set');
  });
});
