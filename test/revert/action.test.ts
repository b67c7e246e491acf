/**
 * The revert action in-process: the deploy step's evidence output → one revert pull request;
 * without evidence it finds the rolled-back deployment in AppConfig itself and updates the same PR.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { releaseOutputs } from '../../src/actions/release-report.ts';
import { run } from '../../src/actions/revert.ts';
import { createAws } from '../../src/aws/index.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { clockFollowing } from '../../src/pipeline/clock.ts';
import { makeContext } from '../../src/pipeline/context.ts';
import { type ReleaseResult, runRelease } from '../../src/pipeline/release.ts';
import { remoteBranchContent } from '../../src/runtime/env.ts';
import { enableQueries, setPercentage } from '../../testkit/migration-edits.ts';
import { GIT_ENV, git } from '../helpers/git.ts';

const FILE = 'flags/ons-data-platform-app/production/feature-flags.yaml';
const TARGET = { application: 'ons-data-platform-app', environment: 'production', profile: 'feature-flags' };
let tmp: string;
let sandbox: Sandbox;
let checkout: string;
let breached: ReleaseResult;
const saved = { ...process.env };

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-revert-action-'));
  const seed = join(tmp, 'seed');
  for (const dir of ['flags', 'schemas'])
    cpSync(join(PROJECT_ROOT, dir), join(seed, dir), { recursive: true });
  sandbox = await startSandbox({
    seedDir: seed,
    workDir: join(tmp, 'work'),
    speed: 1200,
    scenario: 'influxdb-overload-above-40',
  });
  const aws = createAws({
    endpoint: sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    retryBaseDelayMs: 100 / sandbox.clock.speed,
  });
  const clock = clockFollowing(sandbox.clock);
  await bootstrap(
    makeContext({ aws, clock, reporter: { emit: () => {} } }),
    loadRepository(new WorkingTreeSource(seed)),
  );
  checkout = join(tmp, 'checkout');
  git(tmp, 'clone', '--quiet', sandbox.gitRemote, checkout);
  const push = (edit: (y: string) => string) => {
    writeFileSync(join(checkout, FILE), edit(readFileSync(join(checkout, FILE), 'utf8')));
    git(checkout, 'commit', '--quiet', '-am', 'production change');
    git(checkout, 'push', '--quiet', 'origin', 'HEAD:main');
  };
  const release = (bake: boolean) =>
    runRelease({ target: TARGET, aws, clock, content: remoteBranchContent(checkout, 'main'), bake });
  push((y) => setPercentage(enableQueries(y), 25));
  expect((await release(false)).status).toBe('deployed');
  push((y) => setPercentage(y, 50));
  breached = await release(true);
  expect(breached.status).toBe('rolled-back');
});

afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
});

function runner(evidence: string): string {
  const output = join(tmp, `output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, '');
  process.env = {
    ...saved,
    ...GIT_ENV,
    ...sandbox.env,
    GITHUB_OUTPUT: output,
    GITHUB_RUN_ID: '7',
    INPUT_TOKEN: 'sandbox-bot-flagops',
    INPUT_ENVIRONMENT: 'production',
    INPUT_EVIDENCE: evidence,
    'INPUT_WORKING-DIRECTORY': checkout,
  };
  return output;
}

async function pullBody(n: number): Promise<string> {
  const res = await fetch(
    `${sandbox.env['GITHUB_API_URL']}/repos/${sandbox.env['GITHUB_REPOSITORY']}/pulls/${n}`,
    {
      headers: { authorization: 'token sandbox-user-alice' },
    },
  );
  return ((await res.json()) as { body: string }).body;
}

async function capture(body: () => Promise<void>): Promise<{ stdout: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await body();
  } finally {
    spy.mockRestore();
  }
  return { stdout: chunks.join('') };
}

const outputOf = (file: string, name: string) =>
  new RegExp(`${name}<<(\\S+)\\n([^\\n]*)\\n`).exec(readFileSync(file, 'utf8'))?.[2];

describe('revert action', () => {
  let number: string | undefined;

  it('opens the revert pull request from the deploy step’s evidence output', async () => {
    const output = runner(JSON.stringify(releaseOutputs(breached).evidence));
    await run();
    expect(process.exitCode).not.toBe(1);
    expect(outputOf(output, 'action')).toBe('created');
    number = outputOf(output, 'pull-request');
    expect(Number(number)).toBeGreaterThan(0);
    expect(outputOf(output, 'branch')).toMatch(
      /^flagops\/revert\/ons-data-platform-app\/production\/feature-flags\/[0-9a-f]{7}$/,
    );
    // The same facts as a revert opened from the CLI: deployment, bad version, both times.
    const body = await pullBody(Number(number));
    const iso = (ms: number | undefined) => new Date(ms ?? Number.NaN).toISOString().replace('.000Z', 'Z');
    expect(body).toContain(
      `| Rolled back | deployment ${breached.deploymentNumber}: version ${breached.version?.number} (`,
    );
    expect(body).toContain(`deployed ${iso(breached.deployedAt)} |`);
    expect(body).toContain(`at ${iso(breached.rollback?.at)} |`);
    expect(body).not.toMatch(/deployment —|: nothing|at — \|/);
  });

  it('refuses evidence that is not a versioned record, naming what to pass', async () => {
    const old = { ...releaseOutputs(breached).evidence, version: undefined };
    const output = runner(JSON.stringify(old));
    const { stdout } = await capture(run);
    expect(process.exitCode).toBe(1);
    expect(stdout).toMatch(
      /::error::the evidence record has version null, this revert action reads version 1/,
    );
    expect(readFileSync(output, 'utf8')).toBe('');
    process.exitCode = undefined;
  });

  it('without evidence finds AppConfig’s rolled-back deployment and updates the same pull request', async () => {
    const output = runner('');
    await run();
    expect(process.exitCode).not.toBe(1);
    expect(outputOf(output, 'pull-request')).toBe(number);
    expect(outputOf(output, 'action')).toBe('updated');
  });
});
