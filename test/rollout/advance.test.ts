/**
 * The advancer on the sandbox: production at 10 % with a `_rollout` plan on main. Before the step
 * has baked and dwelt it proposes nothing and says until when; afterwards exactly one pull request
 * (labelled flagops:advance, 10 → 25, the plan in its body); re-running changes nothing; and a
 * hold stops it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../../packages/sandbox/src/index.ts';
import { ADVANCE_LABEL } from '../../src/core/names.ts';
import { createGitHubApi, parseRepository } from '../../src/github/api.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { fixedContent, type Snapshot } from '../../src/pipeline/content.ts';
import { noHolds } from '../../src/pipeline/holds.ts';
import { runBake, runRelease } from '../../src/pipeline/release.ts';
import { type AdvanceDeps, advanceAll } from '../../src/rollout/advance.ts';
import { gitHubBakeStore, recordBakeFromEnv } from '../../src/rollout/bake-record.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';
import { runCli } from '../helpers/cli.ts';
import { GIT_ENV, git } from '../helpers/git.ts';

const FILE = 'flags/ons-data-platform-app/production/feature-flags.yaml';
let h: PipelineHarness;
let work: string;
let snapshot: Snapshot;
let released: Awaited<ReturnType<typeof runRelease>>;

function deps(overrides: Partial<AdvanceDeps> = {}): AdvanceDeps {
  const repo = parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!;
  const octokit = createOctokit({
    token: h.sandbox.env['GITHUB_TOKEN']!,
    baseUrl: h.sandbox.env['GITHUB_API_URL']!,
    sleep: async () => {},
  });
  return {
    ctx: h.ctx,
    snapshot,
    holds: noHolds,
    github: { api: createGitHubApi(octokit, repo), octokit, repo, remote: h.sandbox.gitRemote, env: GIT_ENV },
    bakes: gitHubBakeStore(octokit, repo),
    ...overrides,
  };
}

async function openPulls() {
  const repo = parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!;
  const octokit = createOctokit({
    token: 'sandbox-user-alice',
    baseUrl: h.sandbox.env['GITHUB_API_URL']!,
    sleep: async () => {},
  });
  return (await octokit.rest.pulls.list({ ...repo, state: 'open' })).data;
}

beforeAll(async () => {
  h = await startPipelineHarness({ stepped: true });
  // main: the project's flags with production at 10 % and the guide's plan to 100 in steps of 10.
  work = mkdtempSync(join(tmpdir(), 'flagops-advance-'));
  git(work, 'clone', '--quiet', h.sandbox.gitRemote, '.');
  for (const dir of ['flags', 'schemas'])
    cpSync(join(PROJECT_ROOT, dir), join(work, dir), { recursive: true });
  const text = readFileSync(join(work, FILE), 'utf8')
    .replace(
      'use_influxdb_for_api_queries: { enabled: false }',
      'use_influxdb_for_api_queries: { enabled: true }',
    )
    .replace(/percentage: 0 /, 'percentage: 10 ');
  writeFileSync(
    join(work, FILE),
    `${text}_rollout: { flag: influxdb_traffic_percentage, attribute: percentage, target: 100, step: 10, wait_minutes: 15 }\n`,
  );
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '-m', 'Production at 10 % with a rollout plan');
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  snapshot = {
    repo: loadRepository(new WorkingTreeSource(work)),
    commit: { sha: git(work, 'rev-parse', 'HEAD') },
  };
  expect(snapshot.repo.targets.find((t) => t.file === FILE)?.rollout).toMatchObject({
    target: 100,
    step: 10,
  });
  await bootstrap(h.ctx, snapshot.repo);
  // 10 % already served before this step (with performance monitoring off), so every minute of the
  // step's bake carries enough InfluxDB traffic to judge; the step changes that one flag.
  const step = readFileSync(join(work, FILE), 'utf8');
  writeFileSync(
    join(work, FILE),
    step.replace(
      'enable_query_performance_monitoring: { enabled: true }',
      'enable_query_performance_monitoring: { enabled: false }',
    ),
  );
  const before = await runRelease({
    target: PRODUCTION,
    aws: h.aws,
    clock: h.clock,
    content: fixedContent({ repo: loadRepository(new WorkingTreeSource(work)), commit: snapshot.commit }),
    bake: false,
  });
  expect(before.status).toBe('deployed');
  writeFileSync(join(work, FILE), step);
  released = await runRelease({
    target: PRODUCTION,
    aws: h.aws,
    clock: h.clock,
    content: fixedContent(snapshot),
    bake: false,
  });
  expect(released.status).toBe('deployed');
});
afterAll(async () => {
  await h?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('flagops advance', () => {
  it('proposes nothing while the step bakes, and says until when', async () => {
    const [outcome] = await advanceAll(deps());
    expect(outcome).toMatchObject({
      target: 'ons-data-platform-app/production/feature-flags',
      action: 'none',
    });
    expect(outcome!.message).toMatch(/^waiting until \d{4}-\d\d-\d\dT[\d:.]+Z: baking$/);
    expect(await openPulls()).toEqual([]);
  });

  it('flagops status says what the advancer waits for, and until when', async () => {
    // The sandbox's clock stands still (stepped): the CLI reads it once and, making no waits, is exact.
    const env: NodeJS.ProcessEnv = { ...GIT_ENV, ...h.sandbox.env, FLAGOPS_CLOCK_SPEED: '1' };
    for (const key of ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
      vi.stubEnv(key, h.sandbox.env[key]!);
    try {
      const run = await runCli(['status', '--environment', 'production'], { cwd: work, env });
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(
        'rollout      influxdb_traffic_percentage.percentage to 100 in steps of 10, 15 min apart',
      );
      expect(run.stdout).toMatch(/\n {2}advancer {5}waiting until \d{4}-\d\d-\d\dT[\d:.]+Z: baking\n/);
      const json = JSON.parse(
        (await runCli(['status', '--environment', 'production', '--json'], { cwd: work, env })).stdout,
      );
      expect(json.rollout.advancer).toMatch(/^waiting until .*: baking$/);
      // A dry run: nothing proposed.
      expect(await openPulls()).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('never proposes while the target is held', async () => {
    await h.control('clock', { advanceSeconds: 40 * 60 });
    const held = { check: async () => ({ held: true as const, reason: 'revert pull request #3 is open' }) };
    const [outcome] = await advanceAll(deps({ holds: held }));
    expect(outcome!.message).toBe('waiting: held: revert pull request #3 is open');
    expect(await openPulls()).toEqual([]);
  });

  it('after the bake time, acts only on a bake record of the deployment AppConfig runs', async () => {
    const [waiting] = await advanceAll(deps());
    expect(waiting!.message).toMatch(/^waiting: no bake of deployment \d+ is recorded yet/);
    // A record of other content for the same deployment number (as anything but the bake could
    // write) is not the bake's evidence.
    const store = deps().bakes!;
    const running = released.deploymentNumber!;
    await store.record(
      {
        target: 'ons-data-platform-app/production/feature-flags',
        environment: 'production',
        deploymentNumber: running,
        contentHash: 'ffffffffffffffff',
        window: { from: 0, to: 1 },
        completedAt: 0,
        verdict: 'healthy',
      },
      'main',
    );
    const [stillWaiting] = await advanceAll(deps());
    expect(stillWaiting!.message).toMatch(/^waiting: no bake of deployment \d+ is recorded yet/);
    expect(await openPulls()).toEqual([]);
  });

  it('after a healthy bake and the dwell, opens exactly one pull request for 10 → 25, and only one', async () => {
    // The bake of the running deployment, judged on the sandbox's metrics and recorded as its job does.
    const baked = await runBake({
      target: PRODUCTION,
      aws: h.aws,
      clock: h.clock,
      content: fixedContent(snapshot),
      deploymentNumber: released.deploymentNumber!,
    });
    expect(baked.status).toBe('healthy');
    const record = await recordBakeFromEnv(h.sandbox.env, baked, PRODUCTION, snapshot.commit.sha);
    expect(record).toMatchObject({ verdict: 'healthy', deploymentNumber: released.deploymentNumber });
    // Re-recording the same bake writes nothing new.
    expect((await recordBakeFromEnv(h.sandbox.env, baked, PRODUCTION, snapshot.commit.sha))?.id).toBe(
      record!.id,
    );
    // A person's pull request changing the values file, from a branch of their own, comes first.
    const alice = createOctokit({
      token: 'sandbox-user-alice',
      baseUrl: h.sandbox.env['GITHUB_API_URL']!,
      sleep: async () => {},
    });
    git(work, 'checkout', '--quiet', '-b', 'alice/note');
    writeFileSync(join(work, FILE), `# a note\n${readFileSync(join(work, FILE), 'utf8')}`);
    git(work, 'commit', '--quiet', '-am', 'A note');
    git(work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/alice/note');
    git(work, 'checkout', '--quiet', '-');
    const { data: note } = await alice.rest.pulls.create({
      owner: 'ons',
      repo: 'flags',
      title: 'A note',
      head: 'alice/note',
      base: 'main',
    });
    const [waiting] = await advanceAll(deps());
    expect(waiting).toMatchObject({ action: 'none' });
    expect(waiting!.message).toContain(`pull request #${note.number} is open for this target`);
    await alice.rest.pulls.update({ owner: 'ons', repo: 'flags', pull_number: note.number, state: 'closed' });

    const [outcome] = await advanceAll(deps());
    expect(outcome!.message).toMatch(/^proposing 25: 10 baked healthy and dwelt 15 min/);
    expect(outcome!.action).toBe('opened');
    const pulls = await openPulls();
    expect(pulls).toHaveLength(1);
    const pr = pulls[0]!;
    expect(pr.number).toBe(outcome!.pullRequest!.number);
    expect(pr.title).toBe('ons-data-platform-app/production: influxdb_traffic_percentage.percentage 10 → 25');
    expect(pr.labels.map((l) => l.name)).toContain(ADVANCE_LABEL);
    expect(pr.body).toContain('Rollout plan: influxdb_traffic_percentage.percentage to 100 in steps of 10');
    expect(pr.body).toContain('recorded bake verdict `healthy`');

    const [again] = await advanceAll(deps());
    expect(again).toMatchObject({ action: 'none', pullRequest: { number: pr.number } });
    expect(again!.message).toContain(`pull request #${pr.number}`);
    expect(await openPulls()).toHaveLength(1);
  });
});
