/**
 * The backtest's not-applicable minutes on the sandbox, from what AppConfig really deployed:
 * production runs 0 % InfluxDB for two hours (the error-rate guard's `applies_when: percentage > 0`
 * is false), then 25 %. A bad spell in each stretch: both count as firings (the rule is counted as
 * if it had applied), the first is marked, and the JSON and the plan comment give the minutes the
 * guard did not apply and the minutes before the first deployment, which are unknown.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentHistory } from '../../src/backtest/deployed-history.ts';
import { backtestJson } from '../../src/backtest/render.ts';
import { type BacktestReport, runBacktest } from '../../src/backtest/run.ts';
import { mdText } from '../../src/escape/markdown.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { fixedContent } from '../../src/pipeline/content.ts';
import { runRelease } from '../../src/pipeline/release.ts';
import { resolveTarget } from '../../src/pipeline/resolve.ts';
import { backtestSection } from '../../src/plan-comment/backtest.ts';
import { everyMinute, putHistory } from '../../testkit/metric-history.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';
import { APP_YAML, loosen } from './fixture.ts';

const MIN = 60_000;
const DAY = 86_400_000;
let h: PipelineHarness;
let report: BacktestReport;
const started: number[] = [];

async function deploy(percentage: number): Promise<void> {
  h.setPercentage('production', percentage);
  const released = await runRelease({
    target: PRODUCTION,
    aws: h.aws,
    clock: h.clock,
    content: fixedContent(h.snapshot()),
    bake: false,
  });
  expect(released.status).toBe('deployed');
  const t = await resolveTarget(h.aws, PRODUCTION);
  const d = await h.aws.appconfig.getDeployment(
    t.application.id,
    t.environment.id,
    released.deploymentNumber!,
  );
  started.push(d.startedAt!);
}

/** Requests 100 a minute; errors 10 (10 %: over both > 5 and > 8) for 3 minutes from each spell start. */
function history(from: number, to: number, spells: number[]) {
  const bad = (t: number) => spells.some((s) => t >= s && t < s + 3 * MIN);
  return everyMinute(from, to, (t) => [
    {
      namespace: 'ONS/TrafficSwitching',
      name: 'RequestCount',
      dimensions: { Backend: 'influxdb' },
      value: 100,
    },
    {
      namespace: 'ONS/TrafficSwitching',
      name: 'ErrorCount',
      dimensions: { Backend: 'influxdb' },
      value: bad(t) ? 10 : 0,
    },
  ]);
}

beforeAll(async () => {
  h = await startPipelineHarness({ stepped: true, scenario: 'no-traffic' });
  const base = loadRepository(new WorkingTreeSource(h.root));
  await bootstrap(h.ctx, base);
  const minute = (n: number) => h.control('clock', { advanceSeconds: n * 60 });
  await deploy(0);
  await minute(120);
  await deploy(25);
  await minute(60);
  const now = h.clock.now();
  const spells = [started[0]! + 30 * MIN, started[1]! + 20 * MIN].map((t) => Math.floor(t / MIN) * MIN);
  await putHistory(h.sandbox.env, history(now - DAY, Math.floor(now / MIN) * MIN, spells));
  const file = join(h.root, APP_YAML);
  writeFileSync(file, loosen(readFileSync(file, 'utf8')));
  const head = loadRepository(new WorkingTreeSource(h.root));
  report = await runBacktest({
    base,
    head,
    days: 1,
    now,
    pages: (request) => h.aws.cloudwatch.getMetricDataPages(request),
    deployments: deploymentHistory(h.aws),
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('backtest minutes a guard did not apply to what was deployed', () => {
  it('counts the rule as if it had applied and reports the not-applicable minutes beside it (JSON)', () => {
    const out = JSON.parse(backtestJson(report)) as {
      notes: string[];
      guards: Array<
        Record<string, unknown> & { old: { fired: number; episodes: Array<{ notApplicable?: true }> } }
      >;
    };
    const g = out.guards.find((x) => x['guard'] === 'influxdb-error-rate')!;
    const notApplicable = Math.round((started[1]! - started[0]!) / MIN);
    const unknown = Math.round((started[0]! - Date.parse(report.from)) / MIN);
    expect(notApplicable).toBeGreaterThanOrEqual(120);
    expect(g['notApplicableMinutes']).toBe(notApplicable);
    expect(g['unknownMinutes']).toBe(unknown);
    expect(g['notApplicableBecause']).toEqual(['influxdb_traffic_percentage.percentage > 0']);
    expect(g['new']).toMatchObject({ fired: 2, notApplicableMinutes: notApplicable });
    expect(g.old.fired).toBe(2);
    // The firing at 0 % is counted, and marked; the one at 25 % is not marked.
    expect(g.old.episodes.map((e) => e.notApplicable === true)).toEqual([true, false]);
    expect(out.notes.join('\n')).not.toMatch(/not reconstructed/);
  });

  it('says so in the plan comment, beside the firings', () => {
    const text = backtestSection({ report }).join('\n');
    const line = text.split('\n').find((l) => l.includes('`influxdb-error-rate`'))!;
    const notApplicable = Math.round((started[1]! - started[0]!) / MIN);
    expect(line).toContain(
      mdText(
        `${notApplicable} min not applicable (influxdb_traffic_percentage.percentage > 0 false, counted as applying)`,
      ),
    );
    expect(line).toMatch(/fired 2× in 1 days \(\d\d-\d\d \d\d:\d\d \(n\/a\), \d\d-\d\d \d\d:\d\d UTC\)/);
    expect(line).toMatch(/\d+ min before the first deployment listed \(counted as applying\)/);
  });
});
