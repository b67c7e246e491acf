/**
 * The whole promise-6 story on one sandbox, with the real AWS and Octokit clients: production at
 * 25 % healthy → a pull request to 50 % merged → the release breaches and rolls back → the
 * automatic revert pull request carries the evidence → the bad content is refused while it is
 * open → merging it deploys as a no-op → the hold is released and a new legal change deploys.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { type Aws, createAws } from '../../src/aws/index.ts';
import { createGitHubApi, type GitHubApi } from '../../src/github/api.ts';
import { createOctokit, type Octokit } from '../../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import type { Clock } from '../../src/pipeline/clock.ts';
import { makeContext } from '../../src/pipeline/context.ts';
import { type ReleaseResult, runRelease } from '../../src/pipeline/release.ts';
import { evidenceFromRelease } from '../../src/revert/evidence.ts';
import { gitHubHoldCheck } from '../../src/revert/hold.ts';
import { openRevert } from '../../src/revert/open.ts';
import { remoteBranchContent } from '../../src/runtime/env.ts';
import { enableQueries, setPercentage } from '../../testkit/migration-edits.ts';
import { steppedClock } from '../../testkit/pipeline-harness.ts';
import { GIT_ENV, git } from '../helpers/git.ts';

const REPO = { owner: 'ons', repo: 'flags' };
const PRODUCTION = {
  application: 'ons-data-platform-app',
  environment: 'production',
  profile: 'feature-flags',
};
const FILE = 'flags/ons-data-platform-app/production/feature-flags.yaml';
const BOT = 'flagops[bot]';

let tmp: string;
let sandbox: Sandbox;
let aws: Aws;
let clock: Clock;
let checkout: string;
const octokit = (login: string): Octokit =>
  createOctokit({
    token: login.endsWith('[bot]') ? `sandbox-bot-${login.slice(0, -5)}` : `sandbox-user-${login}`,
    baseUrl: sandbox.env['GITHUB_API_URL']!,
    sleep: async () => {},
  });
const api = (login: string): GitHubApi => createGitHubApi(octokit(login), REPO);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-e2e-'));
  const seed = join(tmp, 'seed');
  for (const dir of ['flags', 'schemas'])
    cpSync(join(PROJECT_ROOT, dir), join(seed, dir), { recursive: true });
  sandbox = await startSandbox({
    seedDir: seed,
    workDir: join(tmp, 'work'),
    repository: `${REPO.owner}/${REPO.repo}`,
    // Frozen: simulated time moves only when the pipeline sleeps, so which look sees the breach first
    // does not depend on how loaded the machine is.
    speed: 0,
    scenario: 'influxdb-overload-above-40',
  });
  aws = createAws({
    endpoint: sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    retryBaseDelayMs: 100 / 1200,
  });
  clock = steppedClock(sandbox);
  await bootstrap(
    makeContext({ aws, clock, reporter: { emit: () => {} } }),
    loadRepository(new WorkingTreeSource(seed)),
  );
  checkout = join(tmp, 'checkout');
  git(tmp, 'clone', '--quiet', sandbox.gitRemote, checkout);
});

afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A pull request by alice, approved by bob, merged by bob: a real merge commit on main. */
async function mergeChange(branch: string, edit: (yaml: string) => string): Promise<number> {
  git(checkout, 'fetch', '--quiet', 'origin');
  git(checkout, 'checkout', '--quiet', '-B', branch, 'origin/main');
  writeFileSync(join(checkout, FILE), edit(readFileSync(join(checkout, FILE), 'utf8')));
  git(checkout, 'commit', '--quiet', '-am', `production: ${branch}`);
  git(checkout, 'push', '--quiet', 'origin', branch);
  const pr = await api('alice').pulls.create({ head: branch, base: 'main', title: branch, body: '' });
  await octokit('bob').rest.pulls.createReview({ ...REPO, pull_number: pr.number, event: 'APPROVE' });
  await octokit('bob').rest.pulls.merge({ ...REPO, pull_number: pr.number });
  return pr.number;
}

function release(options: { holds?: boolean; bake?: boolean } = {}): Promise<ReleaseResult> {
  return runRelease({
    target: PRODUCTION,
    aws,
    clock,
    content: remoteBranchContent(checkout, 'main'),
    bake: options.bake ?? true,
    ...(options.holds === false ? {} : { holds: gitHubHoldCheck(api(BOT).pulls) }),
  });
}

function revert(result: ReleaseResult) {
  return openRevert({
    evidence: evidenceFromRelease(result, { runUrl: 'https://ci.example/runs/42' }),
    aws,
    github: api(BOT),
    login: BOT,
    remote: sandbox.gitRemote,
    env: GIT_ENV,
  });
}

describe('breach → rollback → revert pull request → hold → merge → released', () => {
  let breached: ReleaseResult;
  let originalPr: number;
  let revertPr: number;

  it('production at 25 % deploys and bakes healthy', async () => {
    await mergeChange('to-25', (y) => setPercentage(enableQueries(y), 25));
    const result = await release();
    expect(result.message).toBeUndefined();
    expect(result.status).toBe('healthy');
  });

  it('a merged change to 50 % breaches under overload and is rolled back', async () => {
    originalPr = await mergeChange('to-50', (y) => setPercentage(y, 50));
    breached = await release();
    expect(breached.status).toBe('rolled-back');
    expect(breached.breaches.some((b) => b.kind === 'guard')).toBe(true);
    expect(breached.rollback?.verified).toBe(true);
  });

  it('opens the revert pull request with labels, evidence, reviewers and a comment on the original', async () => {
    const opened = await revert(breached);
    expect(opened.action).toBe('created');
    expect(opened.restoredFrom).toBe('deployed-document');
    const pr = opened.pullRequest!;
    revertPr = pr.number;
    const sha7 = breached.version!.label!.split('.')[1]!.slice(0, 7);
    expect(pr.headRef).toBe(`flagops/revert/ons-data-platform-app/production/feature-flags/${sha7}`);
    expect(pr.title).toMatch(/^Revert ons-data-platform-app\/production: guard influxdb-\S+ breached/);

    const fresh = await api(BOT).pulls.get(pr.number);
    expect(fresh.labels).toEqual(expect.arrayContaining(['flagops:revert', 'flagops:automatic']));
    const guard = breached.breaches.find((b) => b.kind === 'guard');
    if (guard?.kind !== 'guard') throw new Error('expected a guard breach');
    expect(fresh.body).toContain(`guard **${guard.guard}** breached`);
    expect(fresh.body).toContain(`| ${guard.breachWhen.op} ${guard.breachWhen.threshold}`);
    expect(fresh.body).toContain(`deployment ${breached.deploymentNumber}`);
    expect(fresh.body).toContain(`#${originalPr} by @alice`);
    expect(fresh.body).toContain('https://ci.example/runs/42');
    expect(fresh.body).toContain('influxdb_traffic_percentage.percentage 50 → 25');

    // The diff is the one line that went wrong.
    git(checkout, 'fetch', '--quiet', 'origin');
    const diff = git(checkout, 'diff', '--unified=0', 'origin/main', `origin/${pr.headRef}`, '--', FILE)
      .split('\n')
      .filter((l) => /^[-+][^-+]/.test(l));
    expect(diff).toEqual([
      '-  percentage: 50 # share of API queries served by InfluxDB',
      '+  percentage: 25 # share of API queries served by InfluxDB',
    ]);

    const { data: requested } = await octokit(BOT).rest.pulls.listRequestedReviewers({
      ...REPO,
      pull_number: pr.number,
    });
    expect(requested.users.map((u) => u.login).sort()).toEqual(['alice', 'bob']);
    const comments = await api(BOT).comments.list(originalPr);
    expect(comments.filter((c) => c.body.includes(`#${pr.number}`))).toHaveLength(1);
  });

  it('re-running the revert step updates the same pull request, never a second one', async () => {
    const again = await revert(breached);
    expect(again.pullRequest?.number).toBe(revertPr);
    expect(['unchanged', 'updated']).toContain(again.action);
    const open = (await api(BOT).pulls.listOpen()).filter((p) => p.headRef.startsWith('flagops/revert/'));
    expect(open.map((p) => p.number)).toEqual([revertPr]);
    expect(
      (await api(BOT).comments.list(originalPr)).filter((c) => c.body.includes(`#${revertPr}`)),
    ).toHaveLength(1);
  });

  it('refuses to deploy the bad content again while the revert is open, naming the pull request', async () => {
    const result = await release();
    expect(result.status).toBe('held');
    expect(result.exitCode).toBe(1);
    expect(result.message).toContain(`#${revertPr}`);
    expect(result.changed).toBe(false);
  });

  it('merging the revert makes main match: the deploy is a no-op', async () => {
    await octokit('bob').rest.pulls.createReview({ ...REPO, pull_number: revertPr, event: 'APPROVE' });
    await octokit('bob').rest.pulls.merge({ ...REPO, pull_number: revertPr });
    const result = await release();
    expect(result.message).toBeUndefined();
    expect(result.status).toBe('unchanged');
    expect(result.version?.number).toBe(breached.rollback?.serving?.number);
  });

  it('the hold is released: a new legal change deploys', async () => {
    expect(await gitHubHoldCheck(api(BOT).pulls).check(PRODUCTION)).toEqual({ held: false });
    await mergeChange('to-35', (y) => setPercentage(y, 35));
    const result = await release({ bake: false });
    expect(result.message).toBeUndefined();
    expect(result.status).toBe('deployed');
  });
});
