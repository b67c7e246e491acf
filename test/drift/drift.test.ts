/**
 * Drift on the sandbox: every target deployed from the repository is in sync; a deployment started
 * directly through the AppConfig API (behind git's back) is reported with who deployed it, opens
 * one issue however often drift runs, and the issue closes once main's content runs again.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DRIFT_LABEL } from '../../src/core/names.ts';
import { detectDrift } from '../../src/drift/detect.ts';
import { gitHubIssues, reportDriftIssue } from '../../src/drift/issue.ts';
import { parseRepository } from '../../src/github/api.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { noHolds } from '../../src/pipeline/holds.ts';
import { runRelease } from '../../src/pipeline/release.ts';
import { resolveTarget } from '../../src/pipeline/resolve.ts';
import { waitForDeployment } from '../../src/pipeline/wait.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';
import { runCli } from '../helpers/cli.ts';

let h: PipelineHarness;
const octokit = () =>
  createOctokit({
    token: h.sandbox.env['GITHUB_TOKEN']!,
    baseUrl: h.sandbox.env['GITHUB_API_URL']!,
    sleep: async () => {},
  });
const issues = () => gitHubIssues(octokit(), parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!);
const openDriftIssues = async () => {
  const repo = parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!;
  const { data } = await octokit().rest.issues.listForRepo({ ...repo, state: 'open', labels: DRIFT_LABEL });
  return data.filter((i) => !i.pull_request);
};

async function deployEverything(commit: string) {
  for (const t of h.snapshot().repo.targets) {
    const result = await runRelease({
      target: { application: t.application, environment: t.environment, profile: t.profile },
      aws: h.aws,
      clock: h.clock,
      content: h.provider(() => commit),
      bake: false,
    });
    expect(['deployed', 'unchanged']).toContain(result.status);
  }
}

beforeAll(async () => {
  h = await startPipelineHarness();
  await bootstrap(h.ctx, h.snapshot().repo);
  await deployEverything('aaaa00000001');
  for (const [k, v] of Object.entries(h.sandbox.env)) vi.stubEnv(k, v);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await h?.close();
});

describe('flagops drift', () => {
  it('reports every target in sync after deploying the repository', async () => {
    const drifts = await detectDrift(h.ctx, h.snapshot('aaaa00000001'), noHolds);
    expect(drifts.map((d) => [d.target, d.status])).toEqual(
      h.snapshot().repo.targets.map((t) => [`${t.application}/${t.environment}/${t.profile}`, 'in-sync']),
    );
    expect((await reportDriftIssue(issues(), drifts)).action).toBe('none');
  });

  it('catches a deployment started directly through the API and opens exactly one issue', async () => {
    const t = await resolveTarget(h.aws, PRODUCTION);
    const hosted = await h.aws.appconfig.createHostedVersion(t.application.id, t.profile.id, {
      content: Buffer.from(
        JSON.stringify({
          version: '1',
          flags: { use_influxdb_for_api_queries: { name: 'use_influxdb_for_api_queries' } },
          values: { use_influxdb_for_api_queries: { enabled: true } },
        }),
      ),
      contentType: 'application/json',
      label: 'console-hotfix',
      description: 'typed into the console',
    });
    const started = await h.aws.appconfig.startDeployment(t.application.id, t.environment.id, {
      profileId: t.profile.id,
      strategyId: 'AppConfig.AllAtOnce',
      version: String(hosted.versionNumber),
      description: 'hotfix from the console',
    });
    const done = await waitForDeployment(h.ctx, t, started, { timeoutMs: 60 * 60_000 });
    expect(done.deployment.state).toBe('COMPLETE');

    const drifts = await detectDrift(h.ctx, h.snapshot('aaaa00000001'), noHolds);
    const production = drifts.find((d) => d.target === 'ons-data-platform-app/production/feature-flags')!;
    expect(production.status).toBe('drifted');
    expect(production.deployed).toMatchObject({ version: hosted.versionNumber, label: 'console-hotfix' });
    expect(production.deployed?.by).toMatch(/^not flagops: "hotfix from the console"/);
    expect(drifts.filter((d) => d.status === 'drifted')).toHaveLength(1);

    const first = await reportDriftIssue(issues(), drifts);
    expect(first.action).toBe('created');
    expect(first.issue?.body).toContain('`console-hotfix`');
    const again = await reportDriftIssue(issues(), drifts);
    expect(again).toMatchObject({ action: 'unchanged', issue: { number: first.issue!.number } });

    // The CLI, as the scheduled workflow runs it: exit 1, JSON, and still one issue. Its checkout
    // names another commit than the snapshots above, so its first run updates the issue once.
    const runDrift = async () => {
      const cli = await runCli(['drift', '--json'], { cwd: h.root, env: { ...h.sandbox.env } });
      expect(cli.code).toBe(1);
      return JSON.parse(cli.stdout) as { targets: Array<{ status: string }>; issue: { action: string } };
    };
    const firstRun = await runDrift();
    expect(firstRun.targets.filter((x) => x.status === 'drifted')).toHaveLength(1);
    expect(firstRun.issue.action).toBe('updated');
    expect((await runDrift()).issue.action).toBe('unchanged');
    expect(await openDriftIssues()).toHaveLength(1);
  });

  it('treats drift under an open revert pull request as held, not drifted', async () => {
    const held = {
      check: async (ref: { environment: string }) =>
        ref.environment === 'production'
          ? { held: true as const, reason: 'held by automatic revert pull request #9' }
          : { held: false as const },
    };
    const drifts = await detectDrift(h.ctx, h.snapshot('aaaa00000001'), held);
    const production = drifts.find((d) => d.target === 'ons-data-platform-app/production/feature-flags')!;
    expect(production.status).toBe('held');
    expect(production.reason).toContain('revert pull request #9');
  });

  it('closes the issue once main runs again', async () => {
    await deployEverything('aaaa00000002');
    const drifts = await detectDrift(h.ctx, h.snapshot('aaaa00000002'), noHolds);
    expect(drifts.every((d) => d.status === 'in-sync')).toBe(true);
    expect((await reportDriftIssue(issues(), drifts)).action).toBe('closed');
    expect(await openDriftIssues()).toHaveLength(0);
  });
});
