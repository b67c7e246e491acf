/**
 * A backtest fixture: a git repository of the project's flags/ whose working tree loosens two
 * production guards (the error rate from > 5 % to > 8 %, the connection-failure window from > 10 to
 * > 15 per 5 minutes), and 14 days of minute history with seeded episodes that must and must not
 * fire, written to the sandbox through PutMetricData.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { everyMinute, type HistoryPoint, noise } from '../../testkit/metric-history.ts';
import { copyOfRepository } from '../helpers/cli.ts';
import { git } from '../helpers/git.ts';

export const APP_YAML = 'flags/ons-data-platform-app/app.yaml';
const DAY = 86_400_000;

/** A repository whose last commit is the base and whose working tree holds the loosened guards. */
export function loosenedRepository(): string {
  const dir = copyOfRepository();
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'base');
  const file = join(dir, APP_YAML);
  const text = readFileSync(file, 'utf8');
  const loosened = text
    .replace(
      'value: 100 * errors / requests\n    unit: "%"\n    period_seconds: 60\n    breach_when: "> 5"',
      'value: 100 * errors / requests\n    unit: "%"\n    period_seconds: 60\n    breach_when: "> 8"',
    )
    .replace('window_minutes: 5\n    breach_when: "> 10"', 'window_minutes: 5\n    breach_when: "> 15"');
  if (loosened === text || loosened.split('\n').length !== text.split('\n').length)
    throw new Error('fixture: app.yaml no longer has the guards this test loosens');
  writeFileSync(file, loosened);
  return dir;
}

/** Minute `hh:mm` of day `d` of the range starting at `from`. */
export const at = (from: number, d: number, hh: number, mm: number) =>
  from + d * DAY + (hh * 60 + mm) * 60_000;

/**
 * Per-minute overrides: requests 100 and errors 0–2 (≤ 2 %, below both thresholds) and no
 * connection failures, except in the episodes below.
 */
export function history(from: number, to: number): HistoryPoint[] {
  const errors = new Map<number, number>();
  const requests = new Map<number, number>();
  const failures = new Map<number, number>();
  const run = (m: Map<number, number>, start: number, values: number[]) =>
    values.forEach((v, i) => {
      m.set(start + i * 60_000, v);
    });
  // Error rate (requests 100 a minute, so errors = percent).
  run(errors, at(from, 1, 10, 0), [6, 6, 6]); // old fires, new does not
  run(errors, at(from, 3, 10, 0), [10, 10]); // both fire
  run(errors, at(from, 5, 10, 0), [9]); // a streak one period short for both
  run(errors, at(from, 7, 10, 0), [10, 5, 10]); // a gated minute inside a streak: both fire
  run(requests, at(from, 7, 10, 1), [10]);
  run(errors, at(from, 9, 10, 0), [10, 10, 10, 10, 10]); // one long episode: fires once each
  run(errors, at(from, 11, 10, 0), [6, 1, 6]); // a healthy minute resets the streak: neither
  // Connection failures, judged per sliding 5 minutes.
  run(failures, at(from, 2, 10, 0), [3, 3, 3, 3]); // 12 per 5 min: old fires, new does not
  run(failures, at(from, 4, 10, 0), [4, 4, 4, 4, 4]); // up to 20: both fire
  run(failures, at(from, 6, 10, 0), [2, 2, 2, 2, 2]); // exactly 10: neither
  const jitter = noise(17);
  const metric = (name: string, value: number) => ({
    namespace: 'ONS/TrafficSwitching',
    name,
    dimensions: { Backend: 'influxdb' },
    value,
  });
  return everyMinute(from, to, (t) => [
    metric('RequestCount', requests.get(t) ?? 100),
    metric('ErrorCount', errors.get(t) ?? Math.floor(jitter() * 3)),
    metric('ConnectionFailures', failures.get(t) ?? 0),
  ]);
}
