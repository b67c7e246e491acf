/**
 * Two `flagops rollback` runs at once on the same target (two people, or a person and a job):
 * whichever acts first rolls back, the other recognises the rollback already made and adopts it.
 * Together they make at most one new deployment and one revert pull request, and both exit 0.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../../packages/sandbox/src/index.ts';
import { BAKE_TASK } from '../../src/core/names.ts';
import { parseRepository } from '../../src/github/api.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { fixedContent } from '../../src/pipeline/content.ts';
import { runRelease } from '../../src/pipeline/release.ts';
import { resolveTarget } from '../../src/pipeline/resolve.ts';
import { gitHubBakeStore } from '../../src/rollout/bake-record.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';
import { runCli } from '../helpers/cli.ts';
import { GIT_ENV, git } from '../helpers/git.ts';

const FILE = 'flags/ons-data-platform-app/production/feature-flags.yaml';
let h: PipelineHarness;
let work: string;

function commitProduction(percentage: number) {
  writeFileSync(
    join(work, FILE),
    readFileSync(join(work, FILE), 'utf8')
      .replace(
        /use_influxdb_for_api_queries: \{ enabled: \w+ \}/,
        'use_influxdb_for_api_queries: { enabled: true }',
      )
      .replace(/percentage: \d+ /, `percentage: ${percentage} `),
  );
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '-m', `Production at ${percentage} %`);
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  return {
    repo: loadRepository(new WorkingTreeSource(work)),
    commit: { sha: git(work, 'rev-parse', 'HEAD') },
  };
}

async function deployments() {
  const t = await resolveTarget(h.aws, PRODUCTION);
  return (await h.aws.appconfig.listDeployments(t.application.id, t.environment.id)).sort(
    (a, b) => a.number - b.number,
  );
}

beforeAll(async () => {
  h = await startPipelineHarness({ speed: 600 });
  work = mkdtempSync(join(tmpdir(), 'flagops-concurrent-rollback-'));
  git(work, 'clone', '--quiet', h.sandbox.gitRemote, '.');
  for (const dir of ['flags', 'schemas'])
    cpSync(join(PROJECT_ROOT, dir), join(work, dir), { recursive: true });
  const at10 = commitProduction(10);
  await bootstrap(h.ctx, at10.repo);
  for (const snapshot of [at10, commitProduction(25)]) {
    const r = await runRelease({
      target: PRODUCTION,
      aws: h.aws,
      clock: h.clock,
      content: fixedContent(snapshot),
      bake: false,
    });
    expect(r.status).toBe('deployed');
  }
  for (const key of ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
    vi.stubEnv(key, h.sandbox.env[key]!);
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await h?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('two flagops rollback at once', () => {
  it('make at most one new deployment and one revert pull request, and both exit 0', async () => {
    const before = await deployments();
    const env = { ...GIT_ENV, ...h.sandbox.env };
    const runs = await Promise.all(
      ['first', 'second'].map((who) =>
        runCli(['rollback', '--environment', 'production', '--reason', `${who} saw errors`], {
          cwd: work,
          env,
        }),
      ),
    );
    for (const r of runs) expect(r.code, r.stdout + r.stderr).toBe(0);
    const after = await deployments();
    expect(after.length - before.length).toBeLessThanOrEqual(1);
    // One of them rolled back; the other says whose rollback it adopted.
    expect(runs.map((r) => r.stdout).join('\n')).toMatch(/already rolled back by/);
    const octokit = createOctokit({
      token: 'sandbox-user-alice',
      baseUrl: h.sandbox.env['GITHUB_API_URL']!,
      sleep: async () => {},
    });
    const { data: pulls } = await octokit.rest.pulls.list({
      ...parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!,
      state: 'all',
    });
    const reverts = pulls.filter((p) => p.head.ref.startsWith('flagops/revert/'));
    expect(reverts).toHaveLength(1);
    // Both wrote the release record at once: one write won each time, the other read it and agreed.
    // The record says it as data, and one deployment holds it (losers and superseded ones retired).
    const repo = parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!;
    const record = await gitHubBakeStore(octokit, repo).latest(PRODUCTION);
    const rolledBack = before.sort((a, b) => b.number - a.number)[0]!.number;
    expect(record?.release).toMatchObject({
      deploymentNumber: rolledBack,
      verdict: 'breached',
      rollback: { by: expect.any(String) },
      revert: { pullRequest: reverts[0]!.number },
    });
    const { data: stored } = await octokit.rest.repos.listDeployments({ ...repo, task: BAKE_TASK });
    expect(stored.map((d) => d.id)).toEqual([record!.id]);
    // Its body names the rollback's time as AppConfig recorded it, not when a run got round to writing.
    const t = await resolveTarget(h.aws, PRODUCTION);
    const undone = await h.aws.appconfig.getDeployment(t.application.id, t.environment.id, rolledBack);
    const at = undone.events.find((e) => ['REVERT_COMPLETED', 'ROLLBACK_COMPLETED'].includes(e.type))?.at;
    expect(at, JSON.stringify(undone.events)).toBeGreaterThan(0);
    expect(reverts[0]!.body).toMatch(
      new RegExp(`\\n\\| Rollback \\| [^|\\n]* at ${new Date(at!).toISOString().replace('.000Z', 'Z')} \\|`),
    );
  }, 120_000);
});
