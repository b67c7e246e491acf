/**
 * A breach in the soak of a target's FIRST deployment: AppConfig ran no earlier version, but git
 * says what ran before the change. `flagops watch` rolls back to git's pre-change content (a hosted
 * version labelled with the parent commit, deployed all at once), so the harmful content stops
 * serving, and opens the revert pull request restoring the file to it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseRepository } from '../../src/github/api.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { resolveTarget } from '../../src/pipeline/resolve.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';
import { soakingCheckout } from '../../testkit/soaking-checkout.ts';
import { runCli } from '../helpers/cli.ts';
import { GIT_ENV, git } from '../helpers/git.ts';

const FILE = 'flags/ons-data-platform-app/production/feature-flags.yaml';
const ID = 'ons-data-platform-app/production/feature-flags';
let h: PipelineHarness;
let work: string;
let before: string;

beforeAll(async () => {
  h = await startPipelineHarness({ speed: 600 });
  work = soakingCheckout(h, 'flagops-first-breach-', 600, GIT_ENV);
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '-m', 'Production soaks 10 h');
  before = git(work, 'rev-parse', 'HEAD');
  writeFileSync(
    join(work, FILE),
    readFileSync(join(work, FILE), 'utf8')
      .replace(
        'use_influxdb_for_api_queries: { enabled: false }',
        'use_influxdb_for_api_queries: { enabled: true }',
      )
      .replace(/percentage: \d+ /, 'percentage: 10 '),
  );
  git(work, 'commit', '--quiet', '-am', 'Production at 10 %');
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  await bootstrap(h.ctx, loadRepository(new WorkingTreeSource(work)));
  for (const key of ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
    vi.stubEnv(key, h.sandbox.env[key]!);
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await h?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a breach in the soak of a first deployment', () => {
  it('serves git’s pre-change content again and opens the revert pull request', async () => {
    const env = () => ({ ...GIT_ENV, ...h.sandbox.env });
    const deployed = await runCli(['deploy', '--environment', 'production'], { cwd: work, env: env() });
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
    const t = await resolveTarget(h.aws, PRODUCTION);
    expect(await h.aws.appconfig.listDeployments(t.application.id, t.environment.id)).toHaveLength(1);

    await h.control('scenario', { name: 'influxdb-latency-degraded' });
    await h.control('clock', { advanceSeconds: 600 });
    const watched = await runCli(['watch', '--environment', 'production', '--json'], {
      cwd: work,
      env: env(),
    });
    const outcome = (JSON.parse(watched.stdout) as Array<Record<string, unknown>>).find(
      (o) => o['target'] === ID,
    );
    expect(outcome, watched.stdout + watched.stderr).toMatchObject({ status: 'breached' });
    expect(outcome?.['rollback']).toMatchObject({ action: 'redeployed', verified: true });

    // What runs now is git's content from before the change, labelled with that commit.
    const deployments = await h.aws.appconfig.listDeployments(t.application.id, t.environment.id);
    expect(deployments).toHaveLength(2);
    const served = await h.aws.served.served('ons-data-platform-app', 'production', 'feature-flags');
    expect(served.versionLabel).toMatch(new RegExp(`^flagops\\.${before.slice(0, 12)}\\.`));
    const document = JSON.parse(Buffer.from(served.content ?? []).toString('utf8')) as Record<
      string,
      { enabled: boolean; percentage?: number }
    >;
    expect(document['use_influxdb_for_api_queries']?.enabled).toBe(false);
    expect(document['influxdb_traffic_percentage']?.percentage).toBe(0);

    const octokit = createOctokit({
      token: 'sandbox-user-alice',
      baseUrl: h.sandbox.env['GITHUB_API_URL']!,
      sleep: async () => {},
    });
    const repo = parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!;
    const { data: pulls } = await octokit.rest.pulls.list({ ...repo, state: 'open' });
    const reverts = pulls.filter((p) => p.head.ref.startsWith(`flagops/revert/${ID}`));
    expect(reverts).toHaveLength(1);
    expect(reverts[0]?.body).not.toContain('72 h');
    const { data: file } = await octokit.rest.repos.getContent({
      ...repo,
      path: FILE,
      ref: reverts[0]!.head.ref,
    });
    const text = Buffer.from((file as { content: string }).content, 'base64').toString('utf8');
    expect(text).toMatch(/percentage: 0\b/);
    expect(text).toContain('use_influxdb_for_api_queries: { enabled: false }');
  }, 180_000);
});
