/**
 * The deploy and bake actions run in-process, configured as a runner would: INPUT_* variables,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, AWS_* for the SDK.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as runBakeAction } from '../../src/actions/bake.ts';
import { run as runDeployAction } from '../../src/actions/deploy.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { type PipelineHarness, startPipelineHarness } from '../../testkit/pipeline-harness.ts';

let h: PipelineHarness;
let outDir: string;
beforeAll(async () => {
  h = await startPipelineHarness();
  await bootstrap(h.ctx, h.snapshot().repo);
  outDir = mkdtempSync(join(tmpdir(), 'flagops-action-'));
  for (const [k, v] of Object.entries(h.sandbox.env)) vi.stubEnv(k, v);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  process.exitCode = 0;
  await h?.close();
});

/** Deployments of the production environment so far (the fail-closed tests start none). */
async function deploymentCount(): Promise<number> {
  const app = (await h.aws.appconfig.listApplications()).find((a) => a.name === 'ons-data-platform-app');
  const env = (await h.aws.appconfig.listEnvironments(app!.id)).find((e) => e.name === 'production');
  return (await h.aws.appconfig.listDeployments(app!.id, env!.id)).length;
}

/** What the action wrote to stdout (its workflow commands), while `body` runs. */
async function capturing<T>(body: () => Promise<T>): Promise<{ r: T; stdout: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { r: await body(), stdout: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

function outputs(file: string): Record<string, string> {
  // GITHUB_OUTPUT uses heredoc blocks: name<<delimiter / value / delimiter.
  const out: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!m) continue;
    const value: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== m[2]; i += 1) value.push(lines[i] ?? '');
    out[m[1] as string] = value.join('\n');
  }
  return out;
}

async function runAction(run: () => Promise<void>, inputs: Record<string, string>, name: string) {
  const output = join(outDir, `${name}.out`);
  const summary = join(outDir, `${name}.md`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  vi.stubEnv('GITHUB_OUTPUT', output);
  vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
  for (const [k, v] of Object.entries(inputs)) vi.stubEnv(`INPUT_${k.toUpperCase()}`, v);
  process.exitCode = 0;
  await run();
  const failed = process.exitCode === 1;
  process.exitCode = 0;
  return { outputs: outputs(output), summary: readFileSync(summary, 'utf8'), failed };
}

describe('actions', () => {
  it('deploy: outputs, job summary with a table and the timeline', async () => {
    h.setPercentage('production', 25);
    const r = await runAction(
      runDeployAction,
      {
        environment: 'production',
        'working-directory': h.root,
        bake: 'false',
        'poll-interval-seconds': '30',
      },
      'deploy',
    );
    expect(r.failed).toBe(false);
    expect(r.outputs).toMatchObject({
      changed: 'true',
      'deployment-number': '1',
      version: '1',
      result: 'deployed',
    });
    expect(JSON.parse(r.outputs.evidence ?? '{}')).toMatchObject({
      target: 'ons-data-platform-app/production/feature-flags',
      breaches: [],
    });
    expect(r.summary).toMatch(/<table>/);
    expect(r.summary).toMatch(/started deployment 1/);
  });

  it('bake: bakes the newest deployment and reports healthy', async () => {
    const r = await runAction(
      runBakeAction,
      { environment: 'production', 'working-directory': h.root, 'bake-minutes': '2' },
      'bake',
    );
    expect(r.failed).toBe(false);
    expect(r.outputs).toMatchObject({
      changed: 'false',
      'deployment-number': '1',
      version: '1',
      result: 'healthy',
    });
  });

  it('deploy fails closed without a GitHub token: nothing is deployed', async () => {
    h.setPercentage('production', 30);
    vi.stubEnv('GITHUB_TOKEN', undefined);
    vi.stubEnv('GH_TOKEN', undefined);
    try {
      const { r, stdout } = await capturing(() =>
        runAction(
          runDeployAction,
          { environment: 'production', 'working-directory': h.root, bake: 'false' },
          'deploy-no-token',
        ),
      );
      expect(r.failed).toBe(true);
      expect(r.outputs).toEqual({});
      expect(stdout).toMatch(
        /::error::cannot check for an open automatic revert pull request.*pull-requests: read/,
      );
    } finally {
      vi.stubEnv('GITHUB_TOKEN', h.sandbox.env['GITHUB_TOKEN']);
    }
    expect(await deploymentCount()).toBe(1);
  });

  it('deploy fails closed when the token cannot read pull requests', async () => {
    const { r, stdout } = await capturing(() =>
      runAction(
        runDeployAction,
        { environment: 'production', 'working-directory': h.root, bake: 'false', token: 'ghs_revoked' },
        'deploy-bad-token',
      ),
    );
    vi.stubEnv('INPUT_TOKEN', '');
    expect(r.failed).toBe(true);
    expect(r.outputs.result).toBe('failed');
    expect(stdout).toMatch(/::error::.*cannot read the open pull requests.*\(401\)/);
    expect(await deploymentCount()).toBe(1);
  });

  it('fails with a readable message on a bad input', async () => {
    const r = await runAction(
      runBakeAction,
      { environment: 'production', 'working-directory': h.root, 'bake-minutes': 'soon' },
      'bad',
    );
    expect(r.failed).toBe(true);
  });
});
