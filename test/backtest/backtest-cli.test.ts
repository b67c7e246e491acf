/**
 * `flagops backtest` on the sandbox, with 14 days of history written through PutMetricData: a
 * change that loosens two guards gets the exact firings of the old and the new rule, as JSON and as
 * text; a streak one period short, a healthy minute inside a streak and a window that only reaches
 * its threshold never fire, and a gated minute inside a streak neither breaks nor resets it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { putHistory } from '../../testkit/metric-history.ts';
import { runCli } from '../helpers/cli.ts';
import { at, history, loosenedRepository } from './fixture.ts';

const DAY = 86_400_000;
const UNTIL = Math.floor(Date.now() / 300_000) * 300_000;
const FROM = UNTIL - 14 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();

let sandbox: Sandbox;
let repo: string;
const saved = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ start: UNTIL, scenario: 'no-traffic' });
  // The AWS SDK reads its endpoint and credentials from the process, as from a user's shell.
  Object.assign(process.env, sandbox.env);
  repo = loosenedRepository();
  await putHistory(sandbox.env, history(FROM, UNTIL));
}, 120_000);

afterAll(async () => {
  process.env = saved;
  await sandbox?.close();
});

const backtest = (...args: string[]) =>
  runCli(['backtest', '--until', iso(UNTIL), ...args], { cwd: repo, env: sandbox.env });

interface Json {
  guards: Array<{
    guard: string;
    environment: string;
    kind: string;
    old: {
      fired: number;
      episodes: Array<{ start: string; end: string | null }>;
      gatedMinutes: number;
      noDataMinutes: number;
    };
    new: { fired: number; episodes: Array<{ start: string; end: string | null }> };
    notApplicableMinutes: number | null;
  }>;
  notes: string[];
  reads: { calls: number };
}

describe('flagops backtest', () => {
  it('counts the exact firings of the old and the new rule of each loosened guard', async () => {
    const run = await backtest('--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Json;
    expect(out.guards.map((g) => [g.guard, g.environment, g.kind])).toEqual([
      ['influxdb-connection-failures', 'production', 'altered'],
      ['influxdb-error-rate', 'production', 'altered'],
    ]);
    const errors = out.guards.find((g) => g.guard === 'influxdb-error-rate')!;
    const span = (d: number, from: number, to: number) => ({
      start: iso(at(FROM, d, 10, from)),
      end: iso(at(FROM, d, 10, to)),
    });
    expect(errors.old.episodes).toEqual([span(1, 2, 4), span(3, 2, 3), span(7, 3, 4), span(9, 2, 6)]);
    expect(errors.old.fired).toBe(4);
    expect(errors.new.episodes).toEqual([span(3, 2, 3), span(7, 3, 4), span(9, 2, 6)]);
    expect(errors.new.fired).toBe(3);
    expect(errors.old.gatedMinutes).toBe(1);
    expect(errors.old.noDataMinutes).toBe(0);

    const window = out.guards.find((g) => g.guard === 'influxdb-connection-failures')!;
    expect(window.old.episodes).toEqual([span(2, 4, 6), span(4, 3, 8)]);
    expect(window.old.fired).toBe(2);
    expect(window.new.episodes).toEqual([span(4, 4, 7)]);
    expect(window.new.fired).toBe(1);
    // Nothing was ever deployed on this sandbox: applies_when cannot be judged, and the report says so.
    expect(errors.notApplicableMinutes).toBeNull();
    expect(out.notes.join('\n')).toMatch(
      /applies_when for ons-data-platform-app\/production\/feature-flags is not reconstructed: its deployments could not be read/,
    );
    // Both guards read the same metrics for their old and new rule: one read serves both.
    expect(out.reads.calls).toBeLessThanOrEqual(2);
  });

  it('prints the same as text, one line per rule with its firing times', async () => {
    const run = await backtest();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ons-data-platform-app/production · influxdb-error-rate (altered)');
    expect(run.stdout).toMatch(/old rule: > 5 ×2 of 60 s, gate requests ≥ 20: fired 4× in 14 day\(s\)/);
    expect(run.stdout).toMatch(/new rule: > 8 ×2 of 60 s, gate requests ≥ 20: fired 3× in 14 day\(s\)/);
    expect(run.stdout).toContain('1 min below the sample gate');
    expect(run.stdout).toMatch(/old > 5 +[·^]+\n/);
  });

  it('refuses bad input with one line and a usage exit code', async () => {
    const days = await backtest('--days', '0');
    expect(days.code).toBe(2);
    expect(days.stderr).toMatch(/--days 0: give a whole number of days from 1 to 63/);
    const base = await backtest('--base', 'no-such-ref');
    expect(base.code).toBe(2);
    expect(base.stderr).toMatch(/--base no-such-ref: git cannot resolve this revision/);
    const env = await backtest('--environment', 'staging');
    expect(env.code).toBe(2);
    expect(`${days.stderr}${base.stderr}${env.stderr}`).not.toMatch(/\n\s+at /);
  });
});
