/**
 * Cold start of the bundled deploy action: from spawning `node dist/actions/deploy/index.mjs` to the
 * first request a running sandbox receives, against `node -e 0` in the same rounds. The bundle is
 * built fresh from the sources into a temporary directory (the same esbuild settings as `npm run
 * build`), so a stale or missing dist/ cannot skew the figure. For the reason behind the figure, a
 * third contender loads the same bundle without running it (process start + module evaluation).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../packages/sandbox/src/index.ts';
import { buildAll } from '../scripts/build-lib.mjs';
import { measureRounds, timeCommand } from './lib.ts';

export interface ColdStart {
  samples: Record<'action' | 'loadOnly' | 'node', number[]>;
  bundleBytes: number;
}

/** A checkout as actions/checkout leaves it: the flags and schemas, committed, no remote. */
async function gitCheckout(dir: string): Promise<void> {
  const run = (args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('git', args, { cwd: dir, stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`git ${args[0]} exited ${code}`)),
      );
    });
  cpSync(join(PROJECT_ROOT, 'flags'), join(dir, 'flags'), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
  await run(['init', '-q', '-b', 'main']);
  await run(['add', '.']);
  await run(['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'seed']);
}

/** Spawn the action; resolve with the real milliseconds until the sandbox sees its first request. */
function timeToFirstRequest(sandbox: Sandbox, bundle: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    let started = 0;
    let firstAt: number | undefined;
    const onRequest = () => {
      if (firstAt !== undefined) return;
      firstAt = performance.now();
      child.kill('SIGKILL');
    };
    sandbox.server.server.on('request', onRequest);
    started = performance.now();
    const child = spawn(process.execPath, [bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      sandbox.server.server.off('request', onRequest);
      if (firstAt === undefined)
        reject(new Error(`the action exited ${code} before any request:\n${output}`));
      else resolve(firstAt - started);
    });
  });
}

export async function measureColdStart(runs: number): Promise<ColdStart> {
  const workspace = mkdtempSync(join(tmpdir(), 'flagops-bench-cold-'));
  const seed = join(workspace, 'seed');
  mkdirSync(seed);
  writeFileSync(join(seed, 'README.md'), 'seed\n');
  const sandbox = await startSandbox({ seedDir: seed });
  try {
    const built = (await buildAll({ write: false })).find((f) => f.path === 'dist/actions/deploy/index.mjs');
    if (!built) throw new Error('the build produced no dist/actions/deploy/index.mjs');
    const bundleDir = join(workspace, 'dist', 'actions', 'deploy');
    mkdirSync(bundleDir, { recursive: true });
    const bundle = join(bundleDir, 'index.mjs');
    writeFileSync(bundle, built.contents);
    // The same module graph without its last statement (`await run();`): what loading alone costs.
    const text = built.contents.toString('utf8');
    const loadOnly = join(bundleDir, 'load-only.mjs');
    writeFileSync(loadOnly, text.replace(/await run\(\);\s*$/, ''));

    const repo = join(workspace, 'repo');
    mkdirSync(repo);
    await gitCheckout(repo);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: workspace,
      // The inputs actions/deploy/action.yml declares, as the runner passes them (INPUT_<NAME>).
      INPUT_ENVIRONMENT: 'production',
      'INPUT_APP-NAME': 'ons-data-platform-app',
      INPUT_PROFILE: 'feature-flags',
      INPUT_BAKE: 'false',
      INPUT_BRANCH: 'main',
      'INPUT_PULL-REQUEST': '',
      'INPUT_POLL-INTERVAL-SECONDS': '30',
      'INPUT_FAIL-ON-BREACH': 'true',
      'INPUT_WORKING-DIRECTORY': repo,
      GITHUB_OUTPUT: join(workspace, 'output'),
      GITHUB_STEP_SUMMARY: join(workspace, 'summary'),
      AWS_ENDPOINT_URL: sandbox.url,
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
    };
    writeFileSync(env['GITHUB_OUTPUT'] as string, '');
    writeFileSync(env['GITHUB_STEP_SUMMARY'] as string, '');

    const samples = await measureRounds(
      {
        action: () => timeToFirstRequest(sandbox, bundle, env),
        loadOnly: async () => {
          const r = await timeCommand(process.execPath, [loadOnly], workspace);
          if (r.exitCode !== 0) throw new Error(`loading the bundle exited ${r.exitCode}: ${r.stderr}`);
          return r.milliseconds;
        },
        node: async () => {
          const r = await timeCommand(process.execPath, ['-e', '0'], workspace);
          if (r.exitCode !== 0) throw new Error(`node -e 0 exited ${r.exitCode}`);
          return r.milliseconds;
        },
      },
      runs,
    );
    return {
      samples: samples as ColdStart['samples'],
      bundleBytes: built.contents.length,
    };
  } finally {
    await sandbox.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}
