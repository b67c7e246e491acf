/**
 * A deployment made by hand is watched like a workflow's: `flagops deploy` (deploy, bake) writes
 * the same bake record the workflow's bake step writes, so `flagops watch` picks its soak up instead
 * of answering "no bake of deployment N is recorded: its bake job watches it".
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseRepository } from '../../src/github/api.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { gitHubBakeStore } from '../../src/rollout/bake-record.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';
import { soakingCheckout } from '../../testkit/soaking-checkout.ts';
import { runCli } from '../helpers/cli.ts';
import { GIT_ENV, git } from '../helpers/git.ts';

const FILE = 'flags/ons-data-platform-app/production/feature-flags.yaml';
const ID = 'ons-data-platform-app/production/feature-flags';
let h: PipelineHarness;
let work: string;

beforeAll(async () => {
  h = await startPipelineHarness({ speed: 600 });
  work = soakingCheckout(h, 'flagops-manual-deploy-', 600, GIT_ENV);
  writeFileSync(
    join(work, FILE),
    readFileSync(join(work, FILE), 'utf8')
      .replace(
        'use_influxdb_for_api_queries: { enabled: false }',
        'use_influxdb_for_api_queries: { enabled: true }',
      )
      .replace(/percentage: \d+ /, 'percentage: 10 '),
  );
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '-m', 'Production at 10 %, soaking 10 h');
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

describe('flagops deploy by hand, then flagops watch', () => {
  it('records the bake like the workflow does, and the watch watches its soak', async () => {
    const env: NodeJS.ProcessEnv = { ...GIT_ENV, ...h.sandbox.env };
    const deployed = await runCli(['deploy', '--environment', 'production'], { cwd: work, env });
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
    expect(deployed.stdout).toMatch(/bake record: deployment (\d+) healthy/);
    const number = Number(/bake record: deployment (\d+)/.exec(deployed.stdout)?.[1]);

    const octokit = createOctokit({
      token: h.sandbox.env['GITHUB_TOKEN']!,
      baseUrl: h.sandbox.env['GITHUB_API_URL']!,
      sleep: async () => {},
    });
    const record = await gitHubBakeStore(
      octokit,
      parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!,
    ).latest(PRODUCTION);
    expect(record).toMatchObject({ deploymentNumber: number, verdict: 'healthy', target: ID });
    expect(record?.contentHash).toMatch(/^[0-9a-f]{16}$/);
    // The release record the product wrote with it is valid by schemas/release-record.schema.json.
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(
      JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas/release-record.schema.json'), 'utf8')),
    );
    expect(record?.release, 'the bake record carries its release record').toBeDefined();
    expect(validate(record?.release), JSON.stringify(validate.errors)).toBe(true);
    expect(record?.release).toMatchObject({
      verdict: 'healthy',
      deploymentNumber: number,
      deployed: { contentHash: record?.contentHash },
    });
    expect(Object.keys(record?.release?.guards ?? {}).length).toBeGreaterThan(0);

    const watched = await runCli(['watch', '--environment', 'production', '--json'], {
      cwd: work,
      env: { ...GIT_ENV, ...h.sandbox.env },
    });
    expect(watched.code, watched.stderr).toBe(0);
    const outcomes = JSON.parse(watched.stdout) as Array<{ target: string; status: string; message: string }>;
    const mine = outcomes.find((o) => o.target === ID);
    expect(mine?.message ?? '').not.toContain('is recorded: its bake job watches it');
    expect(mine).toMatchObject({ status: 'watching', deploymentNumber: number });
  }, 120_000);
});
