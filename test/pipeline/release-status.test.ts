/**
 * `flagops status` reads the target's release record and says where the release stands, as
 * `decide` says, acting on nothing: on the sandbox, production goes 50 → 75 %, bakes healthy and
 * records it, the soak watch writes its progress, then a breach rolls it back and opens the revert
 * pull request. Without GitHub the status says in one line that it read no record.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { releaseLines } from '../../src/cli/commands/status.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { fixedContent, type Snapshot } from '../../src/pipeline/content.ts';
import { runRelease } from '../../src/pipeline/release.ts';
import { NO_GITHUB, type ReleaseStatus, readReleaseStatus } from '../../src/pipeline/release-status.ts';
import { recordBakeFromEnv } from '../../src/rollout/bake-record.ts';
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

const _repo = () => harnessRepo(h);
const _octokit = () => harnessOctokit(h);
const store = () => harnessStore(h);
const minutes = (n: number) => h.control('clock', { advanceSeconds: n * 60 });
const iso = (ms: number) => new Date(ms).toISOString();
const hm = (ms: number) => `${iso(ms).slice(0, 16).replace('T', ' ')}Z`;

const deps = (): SoakDeps => soakDeps(h, snapshot);
const soak = async () => (await watchSoaks(deps())).find((o) => o.target === ID)!;

/** `flagops status` for production, as a user runs it (GitHub in the environment unless removed). */
async function status(options: { json?: boolean; github?: boolean } = {}) {
  const env: NodeJS.ProcessEnv = { ...GIT_ENV, ...h.sandbox.env, FLAGOPS_CLOCK_SPEED: '1' };
  if (options.github === false) delete env['GITHUB_TOKEN'];
  const run = await runCli(['status', '--environment', 'production', ...(options.json ? ['--json'] : [])], {
    cwd: work,
    env,
  });
  expect(run.stderr.slice(0, 400)).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}
const releaseOf = async () =>
  (JSON.parse(await status({ json: true })) as { release: ReleaseStatus }).release;

const commitProduction = (percentage: number, message: string) => commitToMain(work, percentage, message);

beforeAll(async () => {
  h = await startPipelineHarness({ stepped: true });
  // The AWS SDK's credential chain and endpoint come from the process environment.
  for (const key of ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
    vi.stubEnv(key, h.sandbox.env[key]!);
  work = soakingCheckout(h, 'flagops-release-status-', 120, GIT_ENV);
  const at50 = commitProduction(50, 'Production at 50 %');
  await bootstrap(h.ctx, at50.repo);
  const content = (s: Snapshot) => fixedContent(s);
  const first = await runRelease({
    target: PRODUCTION,
    aws: h.aws,
    clock: h.clock,
    content: content(at50),
    bake: false,
  });
  expect(first.status).toBe('deployed');
  await minutes(60);
  snapshot = commitProduction(75, 'Production at 75 %');
  const released = await runRelease({
    target: PRODUCTION,
    aws: h.aws,
    clock: h.clock,
    content: content(snapshot),
    bake: true,
  });
  expect(released.status).toBe('healthy');
  deployment = released.deploymentNumber!;
  await recordBakeFromEnv(h.sandbox.env, released, PRODUCTION, snapshot.commit.sha);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await h?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('flagops status: the release as its record and decide say', () => {
  it('without GitHub says in one line that it read no record, and exits 0', async () => {
    const text = await status({ github: false });
    const lines = text.split('\n').filter((l) => /^ {2}release /.test(l) || /^ {15}\S/.test(l));
    expect(lines).toEqual([`  release      ${NO_GITHUB}`]);
  });

  it('after a healthy bake with a soak: the verdict, the soak window and what the watch does next', async () => {
    expect((await soak()).status).toBe('watching');
    await minutes(30);
    const watched = await soak();
    expect(watched.status).toBe('watching');
    const record = (await store().latest(PRODUCTION))!.release!;
    const asked = h.clock.now();
    const release = await releaseOf();
    expect(release).toMatchObject({
      recorded: true,
      deploymentNumber: deployment,
      revision: record.revision,
      verdict: 'healthy',
      bakeUntil: record.bake.to,
      soak: { until: watched.until, through: watched.through },
      // No look is passed: decide says the watch must look now, and acts on nothing.
      reason: `soaking until ${iso(watched.until!)}: not looked yet`,
      next: [],
    });
    // Look again now (the CLI's clock runs at real speed from the sandbox's instant).
    expect(release.recorded && release.wakeAt! - asked).toBeGreaterThanOrEqual(0);
    expect(release.recorded && release.wakeAt! - asked).toBeLessThan(10_000);
    expect(release).not.toHaveProperty('rollback');
    const text = await status();
    expect(text).toContain(
      `  release      deployment ${deployment} r${record.revision}: healthy; bake until ${hm(record.bake.to)}; soak through ${hm(watched.through!)} of ${hm(watched.until!)}\n`,
    );
    expect(text).toContain(`               soaking until ${iso(watched.until!)}: not looked yet\n`);
    expect(text).toMatch(/\n {15}next: nothing to act on; wake at \d{4}-\d\d-\d\dT[\d:.]+Z\n/);
  });

  it('after a rollback: the rollback, who made it, the revert pull request, and nothing left to do', async () => {
    await h.control('scenario', { name: 'influxdb-latency-degraded' });
    await minutes(8);
    const caught = await soak();
    expect(caught.status).toBe('breached');
    const record = (await store().latest(PRODUCTION))!.release!;
    expect(record.rollback).toBeDefined();
    const release = await releaseOf();
    expect(release).toMatchObject({
      recorded: true,
      deploymentNumber: deployment,
      verdict: 'breached',
      rollback: { action: 'reverted', at: record.rollback!.at, by: 'flagops' },
      revertPullRequest: caught.pullRequest!.number,
      reason: `rolled back (reverted, by flagops); revert pull request #${caught.pullRequest!.number}`,
      next: [],
    });
    expect(release).not.toHaveProperty('wakeAt');
    const text = await status();
    expect(text).toMatch(
      new RegExp(
        `  release      deployment ${deployment} r\\d+: breached; .*; rolled back \\(reverted\\) at ${hm(record.rollback!.at)} by flagops; revert pull request #${caught.pullRequest!.number}\\n`,
      ),
    );
    expect(text).toContain('               next: nothing to act on\n');
  });
});

describe('the release block (pure)', () => {
  const base = {
    target: ID,
    deploymentNumber: 4,
    contentHash: '0123456789abcdef',
    window: { from: 0, to: 15 * 60_000 },
    completedAt: 60_000,
  };

  it('migrates an old record on read and says what decide would do', async () => {
    const legacy = { ...base, id: 1, verdict: 'breached' as const };
    const reader = { latest: async () => legacy };
    const deployments = [
      {
        number: 3,
        state: 'COMPLETE' as const,
        percentageComplete: 100,
        version: '2',
        profileName: 'feature-flags',
        events: [],
      },
      {
        number: 4,
        state: 'COMPLETE' as const,
        percentageComplete: 100,
        version: '3',
        profileName: 'feature-flags',
        events: [],
      },
    ];
    const r = await readReleaseStatus(reader, PRODUCTION, {
      deployments,
      profileName: 'feature-flags',
      now: 20 * 60_000,
    });
    expect(r).toMatchObject({ recorded: true, revision: 0, verdict: 'breached', next: ['rollback'] });
    expect(r.recorded && r.reason).toBe('breach: breached — rolling back to version 2');
  });

  it('strips control characters from what came from GitHub', () => {
    const lines = releaseLines({
      recorded: true,
      deploymentNumber: 4,
      revision: 2,
      verdict: 'breached',
      bakeUntil: 0,
      rollback: { action: 'adopted', at: 0, by: 'eve\u001b[2J\nforged' },
      reason: 'rolled back (adopted, by eve\u001b[2J\nforged)',
      next: [],
    });
    expect(lines.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('by eve?[2J?forged');
  });
});
