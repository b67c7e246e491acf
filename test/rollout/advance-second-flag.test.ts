/**
 * The advancer writes what it judges: a `_rollout` plan on another application's flag
 * (examples/checkout-app's `new_provider_share.percentage`, no guards in staging) is deployed and
 * baked on the sandbox, and the pull request the advancer opens changes exactly that flag's line —
 * not the migration's traffic flag, whatever the values files around it say.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../packages/sandbox/src/index.ts';
import { createGitHubApi, parseRepository } from '../../src/github/api.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { fixedContent, type Snapshot } from '../../src/pipeline/content.ts';
import { noHolds } from '../../src/pipeline/holds.ts';
import { runBake, runRelease } from '../../src/pipeline/release.ts';
import { type AdvanceDeps, advanceAll } from '../../src/rollout/advance.ts';
import { gitHubBakeStore, recordBakeFromEnv } from '../../src/rollout/bake-record.ts';
import { type PipelineHarness, startPipelineHarness } from '../../testkit/pipeline-harness.ts';
import { lineDiff } from '../edit/line-diff.ts';
import { GIT_ENV, git } from '../helpers/git.ts';

const STAGING = { application: 'checkout-app', environment: 'staging', profile: 'feature-flags' };
const FILE = 'flags/checkout-app/staging/feature-flags.yaml';
const PLAN =
  '_rollout: { flag: new_provider_share, attribute: percentage, target: 50, step: 20, wait_minutes: 10 }\n';
let h: PipelineHarness;
let work: string;
let snapshot: Snapshot;

function deps(): AdvanceDeps {
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
  };
}

beforeAll(async () => {
  h = await startPipelineHarness({ stepped: true });
  work = mkdtempSync(join(tmpdir(), 'flagops-advance-second-'));
  git(work, 'clone', '--quiet', h.sandbox.gitRemote, '.');
  for (const dir of ['flags', 'schemas'])
    cpSync(join(PROJECT_ROOT, dir), join(work, dir), { recursive: true });
  for (const dir of ['flags', 'schemas'])
    cpSync(join(PROJECT_ROOT, 'examples', 'checkout-app', dir), join(work, dir), { recursive: true });
  writeFileSync(join(work, FILE), `${readFileSync(join(work, FILE), 'utf8')}${PLAN}`);
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '-m', 'checkout-app: staging at 10 % with a rollout plan');
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  snapshot = {
    repo: loadRepository(new WorkingTreeSource(work)),
    commit: { sha: git(work, 'rev-parse', 'HEAD') },
  };
  expect(snapshot.repo.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  await bootstrap(h.ctx, snapshot.repo);
}, 120_000);
afterAll(async () => {
  await h?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the advancer on a second application', () => {
  it('deploys and bakes the second application, then proposes the next step of its own flag', async () => {
    const released = await runRelease({
      target: STAGING,
      aws: h.aws,
      clock: h.clock,
      content: fixedContent(snapshot),
      bake: false,
    });
    expect(released.status).toBe('deployed');
    const baked = await runBake({
      target: STAGING,
      aws: h.aws,
      clock: h.clock,
      content: fixedContent(snapshot),
      deploymentNumber: released.deploymentNumber!,
    });
    expect(baked.status).toBe('healthy');
    await recordBakeFromEnv(h.sandbox.env, baked, STAGING, snapshot.commit.sha);
    await h.control('clock', { advanceSeconds: 15 * 60 });

    const outcomes = await advanceAll(deps());
    const outcome = outcomes.find((o) => o.target === 'checkout-app/staging/feature-flags');
    expect(outcome?.message).toMatch(/^proposing 30: 10 baked healthy/);
    expect(outcome?.action).toBe('opened');

    const clone = mkdtempSync(join(tmpdir(), 'flagops-advance-second-pr-'));
    try {
      git(clone, 'clone', '--quiet', h.sandbox.gitRemote, '.');
      const branch = 'flagops/change/checkout-app/staging/feature-flags';
      git(clone, 'fetch', '--quiet', 'origin', branch);
      const files = git(clone, 'diff', '--name-only', 'origin/main', 'FETCH_HEAD').split('\n');
      expect(files).toEqual([FILE]);
      const diff = lineDiff(
        git(clone, 'show', `origin/main:${FILE}`),
        git(clone, 'show', `FETCH_HEAD:${FILE}`),
      );
      expect(diff).toEqual({
        removed: ['  percentage: 10 # share of card payments on the new provider'],
        added: ['  percentage: 30 # share of card payments on the new provider'],
      });
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  }, 120_000);
});
