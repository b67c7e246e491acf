/**
 * The committed action bundles run as a runner starts them — `node dist/actions/<name>/index.mjs`
 * with INPUT_* variables and GITHUB_OUTPUT — on the machine's Node and on Node 24, the runtime
 * their action.yml names (`runs.using: node24`; the binary comes from the `node` devDependency).
 * Deploy and bake run for real against the sandbox; every bundle refuses a missing input cleanly.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { type PipelineHarness, startPipelineHarness } from '../../testkit/pipeline-harness.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const NODE24 = join(ROOT, 'node_modules', 'node', 'bin', 'node');
const RUNTIMES = [
  // The second run finds its content deployed already: it must create nothing (re-runs are no-ops).
  { name: `machine Node ${process.version}`, bin: process.execPath, changed: 'true' },
  { name: 'Node 24', bin: NODE24, changed: 'false' },
] as const;
const ACTIONS = ['bake', 'change-control', 'deploy', 'plan', 'revert'] as const;

let h: PipelineHarness;
let outDir: string;

beforeAll(async () => {
  h = await startPipelineHarness();
  await bootstrap(h.ctx, h.snapshot().repo);
  outDir = mkdtempSync(join(tmpdir(), 'flagops-bundle-'));
});
afterAll(async () => {
  await h?.close();
});

interface BundleRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

function runBundle(
  node: string,
  action: string,
  inputs: Record<string, string>,
  tag: string,
): Promise<BundleRun> {
  const output = join(outDir, `${tag}.out`);
  writeFileSync(output, '');
  writeFileSync(join(outDir, `${tag}.md`), '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: outDir,
    ...h.sandbox.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: join(outDir, `${tag}.md`),
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((done) => {
    execFile(
      node,
      [join(ROOT, 'dist', 'actions', action, 'index.mjs')],
      { env, cwd: h.root, timeout: 120_000 },
      (err, stdout, stderr) => {
        done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr, outputs: outputs(output) });
      },
    );
  });
}

/** GITHUB_OUTPUT heredoc blocks: name<<delimiter / value / delimiter. */
function outputs(file: string): Record<string, string> {
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

it('the Node 24 binary is Node 24', async () => {
  const version = await new Promise<string>((done, fail) =>
    execFile(NODE24, ['--version'], (err, stdout) => (err ? fail(err) : done(stdout.trim()))),
  );
  expect(version).toMatch(/^v24\./);
});

describe.each(RUNTIMES)('bundles on $name', ({ bin, changed }) => {
  const environment = 'development';
  it(`deploy deploys (changed: ${changed}) and bake bakes it healthy`, async () => {
    const deploy = await runBundle(
      bin,
      'deploy',
      { environment, 'working-directory': h.root, bake: 'false', 'poll-interval-seconds': '30' },
      `${changed}-deploy`,
    );
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
    expect(deploy.outputs).toMatchObject({ changed });
    const bake = await runBundle(
      bin,
      'bake',
      { environment, 'working-directory': h.root, 'bake-minutes': '2' },
      `${changed}-bake`,
    );
    expect(bake.code, bake.stdout + bake.stderr).toBe(0);
    expect(bake.outputs).toMatchObject({ 'deployment-number': '1', result: 'healthy' });
    if (bin === NODE24) expect(deploy.stderr + bake.stderr).not.toContain('NodeVersionSupportWarning');
  });

  it.each(ACTIONS)(
    '%s refuses missing inputs with an error annotation, not a stack trace',
    async (action) => {
      const run = await runBundle(bin, action, { 'working-directory': h.root }, `${changed}-${action}-bad`);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^::error::[a-z"]+.{10,}/m);
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .*\.mjs:\d+/);
    },
  );
});
