/**
 * The backtest's batched reads on the sandbox: guards that gate on the same metric share one
 * MetricStat query in a call, so its datapoints come back once, and each guard still gets exactly
 * the series it would get read alone, under its own ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { HistoryReader } from '../../src/backtest/reads.ts';
import { buildGuardQuery } from '../../src/guards/query.ts';
import type { GuardDefinition, GuardMetric } from '../../src/model/types.ts';
import { runtimeFromEnvironment } from '../../src/runtime/env.ts';
import { putHistory } from '../../testkit/metric-history.ts';
import { history } from './fixture.ts';

const DAY = 86_400_000;
const UNTIL = Math.floor(Date.now() / 300_000) * 300_000;
const FROM = UNTIL - 2 * DAY;

let sandbox: Sandbox;
const saved = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ start: UNTIL, scenario: 'no-traffic' });
  Object.assign(process.env, sandbox.env);
  await putHistory(sandbox.env, history(FROM, UNTIL));
}, 120_000);

afterAll(async () => {
  process.env = saved;
  await sandbox?.close();
});

const metric = (name: string, fill?: number): GuardMetric => ({
  namespace: 'ONS/TrafficSwitching',
  name,
  dimensions: { Backend: 'influxdb' },
  stat: 'Sum',
  ...(fill !== undefined ? { fill } : {}),
});
const guard = (name: string, metrics: GuardDefinition['metrics'], value: string): GuardDefinition => ({
  name,
  metrics,
  value,
  periodSeconds: 60,
  breachWhen: { op: '>', threshold: 5 },
  consecutive: 2,
  minSamples: { metric: 'requests', atLeast: 20 },
});
const errorRate = guard(
  'error-rate',
  { errors: metric('ErrorCount', 0), requests: metric('RequestCount') },
  '100 * errors / requests',
);
const failures = guard(
  'failures',
  { failures: metric('ConnectionFailures', 0), requests: metric('RequestCount') },
  'failures',
);

describe('HistoryReader', () => {
  it('reads a metric two guards share once per call and gives each guard its own series', async () => {
    const { aws } = await runtimeFromEnvironment({ ...process.env, ...sandbox.env });
    const pages = (request: Parameters<typeof aws.cloudwatch.getMetricDataPages>[0]) =>
      aws.cloudwatch.getMetricDataPages(request);
    const window = { from: FROM, now: UNTIL };
    const queries = [buildGuardQuery([errorRate], window), buildGuardQuery([failures], window)];

    const together = new HistoryReader(pages);
    const [a, b] = await together.readAll(queries);
    const alone = await Promise.all(queries.map((q) => new HistoryReader(pages).readAll([q])));

    const minutes = (UNTIL - FROM) / 60_000;
    expect(together.stats.calls).toBe(1);
    // errors, requests, value + failures, value: RequestCount is returned once, not twice.
    expect(together.stats.datapoints).toBe(5 * minutes);
    const byId = (s: typeof a) => Object.fromEntries((s ?? []).map((x) => [x.id, x]));
    expect(byId(a)).toEqual(byId(alone[0]?.[0]));
    expect(byId(b)).toEqual(byId(alone[1]?.[0]));
    expect(Object.keys(byId(b)).sort()).toEqual(['g0_failures', 'g0_requests', 'g0_value']);
    expect(byId(a)['g0_value']?.values.some((v) => v > 5)).toBe(true);
  });
});
