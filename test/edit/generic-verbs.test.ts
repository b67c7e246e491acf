/**
 * `flagops set`, `flagops rollout` and the commands an app.yaml declares, on a repository with a
 * second application whose flags have other names (examples/checkout-app): nothing about the
 * migration's flags is special, and every edit changes exactly the lines it must.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyWithSecondApplication, runCli } from '../helpers/cli.ts';
import { git } from '../helpers/git.ts';
import { lineDiff } from './line-diff.ts';

const DEVELOPMENT = 'flags/checkout-app/development/feature-flags.yaml';
const LIVE = 'flags/checkout-app/live/feature-flags.yaml';
const APP_YAML = 'flags/checkout-app/app.yaml';
// Outside every freeze window, so no test depends on the day it runs.
const env = { FLAGOPS_NOW: '2026-06-01T12:00:00Z' };

/** Every file under `root`, by relative path. */
function snapshot(root: string, dir = root, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) snapshot(root, path, out);
    else out[relative(root, path)] = readFileSync(path, 'utf8');
  }
  return out;
}

/** The files that differ between two snapshots, with their line diffs. */
function changes(before: Record<string, string>, after: Record<string, string>) {
  const files = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (f) => before[f] !== after[f],
  );
  return Object.fromEntries(files.map((f) => [f, lineDiff(before[f] ?? '', after[f] ?? '')]));
}

describe('generic edits on a repository with a second application', () => {
  let root: string;
  beforeEach(() => {
    root = copyWithSecondApplication();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const cli = (...argv: string[]) => runCli(argv, { cwd: root, env });

  it('validates both applications', async () => {
    const result = await cli('validate');
    expect(result.stdout).toMatch(/ok: 8 targets in 2 application\(s\): 0 error/);
    expect(result.code).toBe(0);
  });

  it('flagops set new_provider_share.percentage=30 edits exactly that line in exactly that file', async () => {
    const before = snapshot(root);
    const result = await cli(
      'set',
      'new_provider_share.percentage=30',
      '--app-name',
      'checkout-app',
      '--environment',
      'development',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${DEVELOPMENT}: new_provider_share.percentage 10 → 30\n`);
    expect(changes(before, snapshot(root))).toEqual({
      [DEVELOPMENT]: {
        removed: ['  percentage: 10 # share of card payments on the new provider'],
        added: ['  percentage: 30 # share of card payments on the new provider'],
      },
    });
  });

  it('sets several values at once, FLAG=off included, each on its own line', async () => {
    const result = await cli(
      'set',
      'retry_policy.mode=none',
      'retry_policy.max_attempts=1',
      'new_provider_share.percentage=0',
      '--app-name',
      'checkout-app',
      '--environment',
      'development',
    );
    expect(result.code).toBe(0);
    const off = await cli(
      'set',
      'retry_policy=off',
      '--app-name',
      'checkout-app',
      '--environment',
      'development',
    );
    expect(off.code).toBe(0);
    expect(readFileSync(join(root, DEVELOPMENT), 'utf8')).toContain(
      'retry_policy: { enabled: false, mode: none, max_attempts: 1 }',
    );
  });

  it('refuses a value its definition rejects, at file:line, and leaves the file alone', async () => {
    const before = snapshot(root);
    const range = await cli(
      'set',
      'new_provider_share.percentage=300',
      '--app-name',
      'checkout-app',
      '--environment',
      'development',
    );
    expect(range.code).toBe(1);
    expect(range.stderr).toContain(
      `${DEVELOPMENT}:5:15: error: \`new_provider_share.percentage\` is 300, above the maximum 100.`,
    );
    const word = await cli(
      'set',
      'retry_policy.mode=random',
      '--app-name',
      'checkout-app',
      '--environment',
      'development',
    );
    expect(word.code).toBe(1);
    expect(word.stderr).toMatch(
      new RegExp(`${DEVELOPMENT}:6:\\d+: error: .*allowed: none, linear, exponential`),
    );
    const number = await cli(
      'set',
      'new_provider_share.percentage=lots',
      '--app-name',
      'checkout-app',
      '--environment',
      'development',
    );
    expect(number.code).toBe(1);
    expect(number.stderr).toContain(`${DEVELOPMENT}:5:15: error:`);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses what policy refuses (largest increase), as validate says it', async () => {
    const result = await cli(
      'set',
      'new_provider_share.percentage=40',
      '--app-name',
      'checkout-app',
      '--environment',
      'development',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('at most +20 per change');
    expect(result.stderr).toContain(`${DEVELOPMENT}:5:15`);
  });

  it('names a misspelt flag or attribute with what was meant, before touching anything', async () => {
    const flag = await cli(
      'set',
      'new_provider_shar.percentage=3',
      '--app-name',
      'checkout-app',
      '--environment',
      'live',
    );
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('Did you mean `new_provider_share`?');
    const attribute = await cli(
      'set',
      'new_provider_share.percent=3',
      '--app-name',
      'checkout-app',
      '--environment',
      'live',
    );
    expect(attribute.code).toBe(1);
    expect(attribute.stderr).toContain('declared: enabled, percentage');
    const malformed = await cli(
      'set',
      'new_provider_share',
      '--app-name',
      'checkout-app',
      '--environment',
      'live',
    );
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('FLAG.ATTRIBUTE=VALUE');
  });

  it('flagops rollout writes the plan for that flag and takes the first step', async () => {
    const before = snapshot(root);
    const result = await cli(
      'rollout',
      'new_provider_share.percentage',
      '--to',
      '50',
      '--step',
      '20',
      '--wait-minutes',
      '10',
      '--app-name',
      'checkout-app',
      '--environment',
      'development',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(changes(before, snapshot(root))).toEqual({
      [DEVELOPMENT]: {
        removed: ['  percentage: 10 # share of card payments on the new provider'],
        added: [
          '  percentage: 30 # share of card payments on the new provider',
          '_rollout: { flag: new_provider_share, attribute: percentage, target: 50, step: 20, wait_minutes: 10 }',
        ],
      },
    });
    const text = await cli(
      'rollout',
      'retry_policy.mode',
      '--to',
      '5',
      '--step',
      '1',
      '--wait-minutes',
      '1',
      '--app-name',
      'checkout-app',
      '--environment',
      'live',
    );
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('a rollout moves a number attribute');
  });

  it("runs the application's own commands from app.yaml, with their placeholders as options", async () => {
    const before = snapshot(root);
    const result = await cli(
      'shift-payments',
      '--app-name',
      'checkout-app',
      '--environment',
      'live',
      '--share',
      '10',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(changes(before, snapshot(root))).toEqual({
      [LIVE]: {
        removed: ['  percentage: 0 # share of card payments on the new provider'],
        added: ['  percentage: 10 # share of card payments on the new provider'],
      },
    });
    // Only one application declares it, so --app-name may be omitted even with two applications.
    const help = await cli('ramp-payments', '--help');
    expect(help.stdout).toContain('--step-size S');
    // The migration's words stay with the migration's application.
    const migration = await cli('set-percentage', '--environment', 'development', '--percentage', '50');
    expect(migration.stdout).toContain('influxdb_traffic_percentage.percentage 25 → 50');
    expect(migration.code).toBe(0);
    const unknown = await cli('set-percentage-typo', '--environment', 'live');
    expect(unknown.code).toBe(2);
  });

  it('plans a change of the second application with its own strategy, guards and approvals', async () => {
    git(root, 'init', '--quiet');
    git(root, 'add', '--all');
    git(root, 'commit', '--quiet', '-m', 'two applications');
    expect(
      (await cli('shift-payments', '--app-name', 'checkout-app', '--environment', 'live', '--share', '10'))
        .code,
    ).toBe(0);
    const plan = await cli('plan', '--base', 'HEAD');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('checkout-app/live/feature-flags (changed)');
    expect(plan.stdout).toContain('new_provider_share.percentage: 0 → 10');
    expect(plan.stdout).toContain('strategy linear-thirds');
    expect(plan.stdout).toContain('guard payment-failure-rate: breach when 100 * failed / total > 2 %');
    expect(plan.stdout).toContain('roll back live to new_provider_share.percentage = 0');
    expect(plan.stdout).toContain('live requires 2 approvals');
    expect(plan.stdout).not.toContain('ons-data-platform-app/');
  });

  it('validate reports a command naming an undeclared flag at its line in app.yaml', async () => {
    const path = join(root, APP_YAML);
    const text = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      text.replace('new_provider_share.percentage=$share', 'new_provider_shares.percentage=$share'),
    );
    const result = await cli('validate');
    expect(result.code).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('percentage=$share')) + 1;
    expect(result.stdout + result.stderr).toMatch(
      new RegExp(
        `${APP_YAML}:${line}:\\d+: error: command \`shift-payments\`: \`new_provider_shares\` is not a flag of checkout-app.*Did you mean \`new_provider_share\`\\?`,
      ),
    );
  });

  it("validate refuses a command named like one of flagops' own, which would never run", async () => {
    const path = join(root, APP_YAML);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('shift-payments:', 'deploy:'));
    const result = await cli('validate');
    expect(result.code).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('shift-payments:')) + 1;
    expect(result.stdout + result.stderr).toMatch(
      new RegExp(`${APP_YAML}:${line}:\\d+: error: command \`deploy\` is one of flagops' own commands`),
    );
  });

  it("flagops --help lists the repository's own commands with their summaries", async () => {
    const result = await cli('--help');
    expect(result.code).toBe(0);
    const own = result.stdout.slice(result.stdout.indexOf("This repository's commands"));
    expect(own).toMatch(/^ {2}shift-payments +\S/m);
    expect(own).toMatch(/^ {2}set-percentage +\S/m);
    expect(result.stdout.indexOf("This repository's commands")).toBeGreaterThan(
      result.stdout.indexOf('  validate'),
    );
  });
});
