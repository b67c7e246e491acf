/**
 * `npm run bench -- backtest`: a change that alters 5 guards in each of 2 environments (10 replays
 * of an old and a new rule), backtested over 14 days of minute history on the sandbox, the history
 * written through PutMetricData beforehand. Reports the backtest's wall time (median of 3 runs, each
 * what `flagops backtest` runs, called in-process: repository loads, reads, replays) and its GetMetricData
 * calls, against the targets of ≤ 10 s and ≤ 20 calls; and, for scale, the naive count — one call per
 * rule, environment and page.
 */

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { startSandbox } from '../packages/sandbox/src/index.ts';
import { DEFAULT_DAYS, runBacktest } from '../src/backtest/run.ts';
import { loadRevision, loadWorkingTree } from '../src/model/revision.ts';
import { runtimeFromEnvironment } from '../src/runtime/env.ts';
import { everyMinute, noise, putHistory } from '../testkit/metric-history.ts';
import { type BenchResult, median } from './lib.ts';

const ROOT = join(import.meta.dirname, '..');
const APP = 'flags/ons-data-platform-app/app.yaml';
const ENVIRONMENTS = ['development', 'production'];
const DAY = 86_400_000;

export async function run(): Promise<BenchResult> {
  const until = Math.floor(Date.now() / 300_000) * 300_000;
  const sandbox = await startSandbox({ start: until, scenario: 'no-traffic' });
  const saved = { ...process.env };
  Object.assign(process.env, sandbox.env);
  try {
    const { dir, guards } = repository();
    const seeded = performance.now();
    const puts = await putHistory(sandbox.env, traffic(until - 14 * DAY, until));
    const seedMs = performance.now() - seeded;
    const runs: Array<{ ms: number; cpuMs: number; calls: number; fired: string }> = [];
    for (let i = 0; i < 3; i++) runs.push(await backtest(dir, until, sandbox.env));
    const wall = median(runs.map((r) => r.ms));
    const cpu = median(runs.map((r) => r.cpuMs));
    const calls = runs[0]?.calls ?? 0;
    return {
      title: 'Backtest — 5 guards × 2 environments × 14 days on the sandbox',
      table: {
        headers: [
          'guards changed',
          'wall (median of 3)',
          'CPU (median)',
          'GetMetricData calls',
          'naive calls',
          'targets',
          'load average',
        ],
        rows: [
          [
            String(guards),
            `${(wall / 1000).toFixed(2)} s`,
            `${(cpu / 1000).toFixed(2)} s`,
            String(calls),
            String(guards * 2 * 5),
            `≤ 10 s, ≤ 20 calls: ${wall <= 10_000 && calls <= 20 ? 'met' : 'MISSED'}`,
            loadavg()
              .map((l) => l.toFixed(1))
              .join(' '),
          ],
        ],
      },
      notes: [
        `History: ${ENVIRONMENTS.length} environments × 6 metrics × 20,160 minutes, written with ${puts} PutMetricData calls in ${(seedMs / 1000).toFixed(1)} s (not timed above).`,
        'CPU: user + system time of this process (the sandbox runs in it too) during the run; on a loaded machine wall time is CPU time plus waiting for a core.',
        `Firings old → new per guard (first run): ${runs[0]?.fired}.`,
        'Naive: one GetMetricData per rule (old, new) and guard, each 14 days of 1-minute data for 2–3 returned series ≈ 5 pages of 100,800 datapoints at most; the estimate counts 5 calls per rule.',
      ],
    };
  } finally {
    process.env = saved;
    await sandbox.close();
  }
}

/** The project's flags/ with the 5 guards copied per environment (its own Stage dimension), committed; the working tree raises every threshold by a half and one `consecutive`. */
export function repository(): { dir: string; guards: number } {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-bench-backtest-'));
  cpSync(join(ROOT, 'flags'), join(dir, 'flags'), { recursive: true });
  cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
  const file = join(dir, APP);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const guards = doc.get('guards') as import('yaml').YAMLMap;
  const originals = guards.toJSON() as Record<string, Record<string, unknown>>;
  const names: string[] = [];
  const rules: Record<string, unknown> = {};
  for (const env of ENVIRONMENTS) {
    const listed: string[] = [];
    // The five threshold guards; the comparative ones (no `metrics`, judged by src/judge) are not copied.
    for (const [name, guard] of Object.entries(originals)) {
      if (guard['kind'] === 'comparative') continue;
      const copy = structuredClone(guard) as {
        metrics: Record<string, { dimensions: Record<string, string> }>;
      };
      for (const m of Object.values(copy.metrics)) m.dimensions = { ...m.dimensions, Stage: env };
      delete (copy as Record<string, unknown>)['alarm'];
      rules[`${env}-${name}`] = copy;
      listed.push(`${env}-${name}`);
    }
    doc.setIn(['environments', env, 'guards'], listed);
    doc.setIn(['environments', env, 'alarms'], []);
    names.push(...listed);
  }
  doc.set('guards', doc.createNode(rules));
  writeFileSync(file, doc.toString());
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'b',
        GIT_AUTHOR_EMAIL: 'b@x',
        GIT_COMMITTER_NAME: 'b',
        GIT_COMMITTER_EMAIL: 'b@x',
      },
    });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git('commit', '--quiet', '-m', 'base');
  for (const name of names) {
    const op = String(doc.getIn(['guards', name, 'breach_when']));
    const [cmp, value] = op.split(' ');
    const raised = cmp?.startsWith('<') ? Number(value) - 2 : Number(value) * 1.5;
    doc.setIn(['guards', name, 'breach_when'], `${cmp} ${raised}`);
  }
  doc.setIn(['guards', names[0] as string, 'consecutive'], 3);
  writeFileSync(file, doc.toString());
  return { dir, guards: names.length };
}

/** Healthy noisy traffic with an occasional bad spell, per environment (Stage) and backend. */
export function traffic(from: number, to: number) {
  const r = noise(42);
  const metric = (
    env: string,
    backend: string,
    name: string,
    value: number,
    unit: 'Count' | 'Milliseconds' = 'Count',
  ) => ({
    namespace: 'ONS/TrafficSwitching',
    name,
    dimensions: { Backend: backend, Stage: env },
    value,
    unit,
  });
  const spell = new Map<string, number>();
  return everyMinute(from, to, () =>
    ENVIRONMENTS.flatMap((env) => {
      // A bad spell starts about twice a day and lasts 1 to 6 minutes.
      const left = spell.get(env) || (r() < 0.0015 ? 1 + Math.floor(r() * 6) : 0);
      spell.set(env, Math.max(0, left - 1));
      const bad = left > 0;
      const requests = 200 + Math.floor(r() * 100);
      const errors = Math.floor(requests * (bad ? 0.12 : r() * 0.03));
      return [
        metric(env, 'influxdb', 'RequestCount', requests),
        metric(env, 'influxdb', 'ErrorCount', errors),
        metric(env, 'influxdb', 'SuccessCount', requests - errors),
        metric(env, 'influxdb', 'ConnectionFailures', bad ? 5 : r() < 0.05 ? 1 : 0),
        metric(env, 'influxdb', 'ResponseTime', (bad ? 12_000 : 800) + r() * 400, 'Milliseconds'),
        metric(env, 'timestream', 'ResponseTime', 1_200 + r() * 300, 'Milliseconds'),
      ];
    }),
  );
}

/** What `flagops backtest --json` does, called as a library: load base and head, read, replay. */
export async function backtest(cwd: string, until: number, env: Record<string, string>) {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const { aws } = await runtimeFromEnvironment({ ...process.env, ...env });
  const report = await runBacktest({
    base: loadRevision(cwd, 'main'),
    head: loadWorkingTree(cwd),
    days: DEFAULT_DAYS,
    until,
    now: until,
    pages: (request) => aws.cloudwatch.getMetricDataPages(request),
  });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const fired = report.guards
    .map((g) => `${g.guard} ${g.old?.fired ?? '–'}→${g.new?.fired ?? '–'}`)
    .join(', ');
  return { ms, cpuMs, calls: report.reads.calls, fired };
}
