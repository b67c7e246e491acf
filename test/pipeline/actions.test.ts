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

  it('fails with a readable message on a bad input', async () => {
    const r = await runAction(
      runBakeAction,
      { environment: 'production', 'working-directory': h.root, 'bake-minutes': 'soon' },
      'bad',
    );
    expect(r.failed).toBe(true);
  });
});
