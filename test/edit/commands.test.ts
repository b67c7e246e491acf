/**
 * The operator commands end to end: local edits judged by policy, and `--pr` against the sandbox's
 * GitHub and bare repository (real git, real Octokit).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../packages/sandbox/src/index.ts';
import type { CliIO, Command } from '../../src/cli/command.ts';
import { presetCommand } from '../../src/cli/commands/preset.ts';
import { loadRepository } from '../../src/model/index.ts';
import { GitRevisionSource } from '../../src/model/source.ts';
import { validateRepository } from '../../src/policy/validate.ts';
import { APP_DIR, type Harness, REPO, startHarness } from '../github/harness.ts';
import { GIT_ENV, git } from '../helpers/git.ts';
import { lineDiff } from './line-diff.ts';

const PRODUCTION = `${APP_DIR}/production/feature-flags.yaml`;
// Outside freeze windows, so the year-end freeze never decides a test.
const NOW = '2026-06-01T12:00:00Z';

/** A command declared in the repository's app.yaml (`commands:`), looked up where it runs. */
function preset(name: string): Command {
  return {
    name,
    summary: name,
    options: {},
    run: (args, io) => {
      const command = presetCommand(name, [], io);
      if (!command) throw new Error(`no command ${name} in app.yaml`);
      return command.run(args, io);
    },
  };
}
const enableQueries = preset('enable-queries');
const setPercentage = preset('set-percentage');
const gradualRollout = preset('gradual-rollout');

interface Run {
  code: number | undefined;
  stdout: string;
  stderr: string;
  error?: { message: string; exitCode: number };
}

async function run(
  command: Command,
  options: Record<string, string | number | boolean>,
  env: NodeJS.ProcessEnv,
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: { ...GIT_ENV, FLAGOPS_NOW: NOW, ...env },
    cwd: env['FLAGOPS_ROOT'] ?? PROJECT_ROOT,
    isTTY: false,
  };
  try {
    return { code: await command.run({ options, positionals: [] }, io), stdout, stderr };
  } catch (error) {
    const e = error as { message: string; exitCode: number };
    return { code: undefined, stdout, stderr, error: { message: e.message, exitCode: e.exitCode } };
  }
}

function copyProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'flagops-edit-cmd-'));
  for (const dir of ['flags', 'schemas'])
    cpSync(join(PROJECT_ROOT, dir), join(root, dir), { recursive: true });
  return root;
}

describe('local edits', () => {
  let root: string;
  beforeAll(() => {
    root = copyProject();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const read = () => readFileSync(join(root, PRODUCTION), 'utf8');

  it('refuses traffic while queries are off, leaving the file untouched', async () => {
    const before = read();
    const result = await run(
      setPercentage,
      { environment: 'production', percentage: 25 },
      { FLAGOPS_ROOT: root },
    );
    expect(result.error).toMatchObject({ exitCode: 1, message: expect.stringContaining('refused') });
    expect(result.stderr).toContain(`${PRODUCTION}:`);
    expect(result.stderr).toContain('use_influxdb_for_api_queries');
    expect(read()).toBe(before);
  });

  it('enable-queries then set-percentage changes exactly two lines', async () => {
    const before = read();
    expect((await run(enableQueries, { environment: 'production' }, { FLAGOPS_ROOT: root })).code).toBe(0);
    const result = await run(
      setPercentage,
      { environment: 'production', percentage: 25 },
      { FLAGOPS_ROOT: root },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('influxdb_traffic_percentage.percentage 0 → 25');
    const diff = lineDiff(before, read());
    expect(diff.added).toEqual([
      'use_influxdb_for_api_queries: { enabled: true }',
      '  percentage: 25 # share of API queries served by InfluxDB',
    ]);
  });

  it('refuses running ahead of development (promotion order)', async () => {
    const before = read();
    const result = await run(
      setPercentage,
      { environment: 'production', percentage: 50 },
      { FLAGOPS_ROOT: root },
    );
    expect(result.error?.exitCode).toBe(1);
    expect(result.stderr).toMatch(/development/);
    expect(read()).toBe(before);
  });

  it('gradual-rollout refuses a first step off the ladder', async () => {
    const result = await run(
      gradualRollout,
      { environment: 'development', target: 50, 'step-size': 5, 'wait-minutes': 15 },
      { FLAGOPS_ROOT: root },
    );
    expect(result.error?.exitCode).toBe(1);
    expect(result.stderr).toMatch(/ladder|30/);
  });

  it('names an unknown environment as a usage error', async () => {
    const result = await run(
      setPercentage,
      { environment: 'staging', percentage: 10 },
      { FLAGOPS_ROOT: root },
    );
    expect(result.error).toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('known: development, production'),
    });
  });
});

/** Files and line changes between main and a branch of the sandbox's repository. */
function branchDiff(h: Harness, branch: string) {
  const clone = h.clone();
  git(clone, 'fetch', '--quiet', 'origin', branch);
  const files = git(clone, 'diff', '--name-only', 'origin/main', 'FETCH_HEAD').split('\n').filter(Boolean);
  const main = git(clone, 'show', `origin/main:${PRODUCTION}`);
  const head = git(clone, 'show', `FETCH_HEAD:${PRODUCTION}`);
  const base = loadRepository(new GitRevisionSource(clone, 'origin/main'));
  const headRepo = loadRepository(new GitRevisionSource(clone, 'FETCH_HEAD'));
  const errors = validateRepository(headRepo, base, new Date(NOW)).filter((d) => d.severity === 'error');
  return { files, diff: lineDiff(main, head), errors };
}

describe('--pr on the sandbox', () => {
  let h: Harness;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    h = await startHarness();
    env = { ...h.sandbox.env, FLAGOPS_ROOT: h.seedDir };
  });
  afterAll(async () => {
    await h?.close();
  });

  it('enable-queries merged first, then set-percentage 25 opens a one-line PR that validates', async () => {
    const first = await run(enableQueries, { environment: 'production', pr: true }, env);
    expect(first.code).toBe(0);
    const number = Number(/#(\d+)/.exec(first.stdout)?.[1]);
    await h.octokit('alice').rest.pulls.merge({ ...REPO, pull_number: number });

    const result = await run(setPercentage, { environment: 'production', percentage: 25, pr: true }, env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^opened pull request #\d+ \(flagops\/change\/ons-data-platform-app\/production\/feature-flags\)/,
    );
    const { files, diff, errors } = branchDiff(
      h,
      'flagops/change/ons-data-platform-app/production/feature-flags',
    );
    expect(files).toEqual([PRODUCTION]);
    expect(diff).toEqual({
      removed: ['  percentage: 0 # share of API queries served by InfluxDB'],
      added: ['  percentage: 25 # share of API queries served by InfluxDB'],
    });
    expect(errors).toEqual([]);

    const pr = Number(/#(\d+)/.exec(result.stdout)?.[1]);
    const { data } = await h.octokit('alice').rest.pulls.get({ ...REPO, pull_number: pr });
    expect(data.title).toBe(
      'ons-data-platform-app/production: influxdb_traffic_percentage.percentage 0 → 25',
    );
    expect(data.user?.login).toBe('flagops[bot]');

    // Re-running changes nothing and opens nothing.
    const again = await run(setPercentage, { environment: 'production', percentage: 25, pr: true }, env);
    expect(again.stdout).toMatch(new RegExp(`^unchanged pull request #${pr} `));
    const open = await h.octokit('alice').rest.pulls.list({ ...REPO, state: 'open' });
    expect(open.data.map((p) => p.number)).toEqual([pr]);
  });
});

describe('--pr stacking on the sandbox', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it('set-percentage while enable-queries is open says so, and stacks only with --update', async () => {
    h = await startHarness();
    const env = { ...h.sandbox.env, FLAGOPS_ROOT: h.seedDir };
    const first = await run(enableQueries, { environment: 'production', pr: true }, env);
    const pr = Number(/#(\d+)/.exec(first.stdout)?.[1]);
    const refused = await run(setPercentage, { environment: 'production', percentage: 10, pr: true }, env);
    expect(refused.error).toMatchObject({
      exitCode: 1,
      message: expect.stringMatching(new RegExp(`pull request #${pr} .* is still open .*--update`)),
    });
    expect(branchDiff(h, 'flagops/change/ons-data-platform-app/production/feature-flags').diff.added).toEqual(
      ['use_influxdb_for_api_queries: { enabled: true }'],
    );
    const second = await run(
      setPercentage,
      { environment: 'production', percentage: 10, pr: true, update: true },
      env,
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^updated pull request #${pr} `));
    const { diff, errors } = branchDiff(h, 'flagops/change/ons-data-platform-app/production/feature-flags');
    expect(diff.added).toEqual([
      'use_influxdb_for_api_queries: { enabled: true }',
      '  percentage: 10 # share of API queries served by InfluxDB',
    ]);
    expect(errors).toEqual([]);
    const { data } = await h.octokit('alice').rest.pulls.get({ ...REPO, pull_number: pr });
    expect(data.title).toBe(
      'ons-data-platform-app/production: use_influxdb_for_api_queries off → on, influxdb_traffic_percentage.percentage 0 → 10',
    );
  });

  it('without a token, --pr says what to set', async () => {
    const env = { ...h.sandbox.env, FLAGOPS_ROOT: h.seedDir, GITHUB_TOKEN: '', GH_TOKEN: '' };
    const result = await run(setPercentage, { environment: 'development', percentage: 0, pr: true }, env);
    expect(result.error).toMatchObject({
      exitCode: 3,
      message: expect.stringContaining('GITHUB_TOKEN is not set'),
    });
  });
});
