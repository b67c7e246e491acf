/**
 * The sandbox's workflow runner: what it adds per step and per job on top of the work itself.
 *
 * The work is the same committed bundle the deploy workflow's `targets` job runs
 * (`node bin/flagops.mjs deploy-targets`). Baseline: that command spawned directly in a checkout.
 * Runner: a workflow_dispatch of a one-job workflow whose job checks out the repository and runs
 * the command in 1 or in 6 `run:` steps, timed from the dispatch request to `/_sandbox/workflows/idle`.
 * Per step = (6-step run − 1-step run) / 5 − direct; per job = 1-step run − direct (the job's set-up,
 * token, checkout clone, records and clean-up). Medians of a few rounds; ratios against direct.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, startSandbox } from '../packages/sandbox/src/index.ts';
import { type BenchResult, formatMs, median, timeCommand } from './lib.ts';

const ROUNDS = 3;
const COMMAND = 'node bin/flagops.mjs deploy-targets --environment production';

function workflow(name: string, steps: number): string {
  const run = Array.from({ length: steps }, () => `      - run: ${COMMAND}\n`).join('');
  return `name: ${name}
on: workflow_dispatch
permissions:
  contents: read
jobs:
  work:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
        with:
          persist-credentials: false
${run}`;
}

export async function run(): Promise<BenchResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'flagops-bench-runner-'));
  const seed = join(tmp, 'seed');
  for (const dir of ['flags', 'schemas', 'bin', 'dist/cli', 'dist/chunks'])
    cpSync(join(PROJECT_ROOT, dir), join(seed, dir), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'package.json'), join(seed, 'package.json'));
  mkdirSync(join(seed, '.github/workflows'), { recursive: true });
  writeFileSync(join(seed, '.github/workflows/one.yml'), workflow('one', 1));
  writeFileSync(join(seed, '.github/workflows/six.yml'), workflow('six', 6));
  const sandbox = await startSandbox({
    seedDir: seed,
    workDir: join(tmp, 'work'),
    workflows: true,
    protectMain: false,
  });
  try {
    const api = sandbox.env['GITHUB_API_URL'];
    const dispatch = async (file: string): Promise<number> => {
      const started = performance.now();
      const res = await fetch(`${api}/repos/ons/flags/actions/workflows/${file}/dispatches`, {
        method: 'POST',
        headers: { authorization: 'token sandbox-user-olivia', 'content-type': 'application/json' },
        body: JSON.stringify({ ref: 'main' }),
      });
      if (res.status !== 204) throw new Error(`dispatch ${file}: ${res.status} ${await res.text()}`);
      const idle = await fetch(`${sandbox.url}/_sandbox/workflows/idle?timeout_ms=120000`);
      if (!((await idle.json()) as { idle: boolean }).idle) throw new Error(`${file} did not finish`);
      return performance.now() - started;
    };
    const direct: number[] = [];
    const one: number[] = [];
    const six: number[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      const r = await timeCommand(
        process.execPath,
        ['bin/flagops.mjs', 'deploy-targets', '--environment', 'production'],
        seed,
      );
      if (r.exitCode !== 0) throw new Error(`direct run failed: ${r.stderr}`);
      direct.push(r.milliseconds);
      one.push(await dispatch('one.yml'));
      six.push(await dispatch('six.yml'));
    }
    const res = await fetch(`${api}/repos/ons/flags/actions/runs?status=completed`, {
      headers: { authorization: 'token sandbox-user-olivia' },
    });
    const runs = ((await res.json()) as { workflow_runs: Array<{ conclusion: string }> }).workflow_runs;
    if (runs.some((r) => r.conclusion !== 'success')) throw new Error('a benchmark run did not succeed');
    const d = median(direct);
    const perStep = Math.max(0, (median(six) - median(one)) / 5 - d);
    const perJob = Math.max(0, median(one) - d);
    const ratio = (x: number) => `${(x / d).toFixed(2)}×`;
    return {
      title: 'Workflow runner overhead (same bundle: flagops deploy-targets)',
      table: {
        headers: ['what', 'median', 'vs direct'],
        rows: [
          ['direct: node bin/flagops.mjs deploy-targets', formatMs(d), '1.00×'],
          ['run: 1 job, checkout + 1 step', formatMs(median(one)), ratio(median(one))],
          ['run: 1 job, checkout + 6 steps', formatMs(median(six)), ratio(median(six))],
          ['runner overhead per step', formatMs(perStep), ratio(perStep)],
          ['runner overhead per job (incl. checkout)', formatMs(perJob), ratio(perJob)],
        ],
      },
      notes: [
        `${ROUNDS} rounds; a run is timed from the dispatch request until the runner reports idle.`,
        'Per step = (6-step run − 1-step run) / 5 − direct; per job = 1-step run − direct.',
      ],
    };
  } finally {
    await sandbox.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
