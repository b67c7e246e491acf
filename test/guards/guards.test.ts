import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applicableGuards } from '../../src/guards/applies.ts';
import {
  buildGuardQuery,
  evaluateGuards,
  type MetricSeries,
  prefixIdentifiers,
  verdictOf,
} from '../../src/guards/index.ts';
import { loadRepository } from '../../src/model/index.ts';
import { WorkingTreeSource } from '../../src/model/source.ts';
import type { GuardDefinition } from '../../src/model/types.ts';

/** The guide's thresholds exactly as the repository declares them in app.yaml. */
const ons = loadRepository(new WorkingTreeSource(join(import.meta.dirname, '..', '..'))).applications[
  'ons-data-platform-app'
]!;
const errorRate: GuardDefinition = ons.guards['influxdb-error-rate']!;
const failures: GuardDefinition = ons.guards['influxdb-connection-failures']!;

const T0 = Date.UTC(2026, 4, 1, 12, 0, 0); // aligned to 5 minutes
const MIN = 60_000;

/** Series for the error-rate guard: one [value, samples] pair per minute from T0. */
function errorRateSeries(points: Array<[number | undefined, number]>): MetricSeries[] {
  const ts = points.map((_, i) => T0 + i * MIN);
  const valued = points.flatMap(([v], i) => (v === undefined ? [] : [[ts[i] as number, v] as const]));
  // ErrorCount is published only in minutes with errors (its value stands in for the count here).
  const errors = valued.filter(([, v]) => v !== 0);
  return [
    { id: 'g0_value', timestamps: valued.map(([t]) => t), values: valued.map(([, v]) => v) },
    { id: 'g0_requests', timestamps: ts, values: points.map(([, s]) => s) },
    { id: 'g0_errors', timestamps: errors.map(([t]) => t), values: errors.map(([, v]) => v) },
  ];
}

describe('applies_when', () => {
  const guards = ['influxdb-error-rate', 'influxdb-latency-gap'].map((n) => ons.guards[n]!);
  const at = (percentage: number, enabled = true) => ({
    flags: { influxdb_traffic_percentage: { enabled, attributes: { percentage } } },
  });
  it('drops the Timestream comparison at 100 % and every InfluxDB guard at 0 % or with the flag off', () => {
    expect(applicableGuards(guards, at(50)).guards.map((g) => g.name)).toEqual([
      'influxdb-error-rate',
      'influxdb-latency-gap',
    ]);
    const full = applicableGuards(guards, at(100));
    expect(full.guards.map((g) => g.name)).toEqual(['influxdb-error-rate']);
    expect(full.notApplicable).toEqual([
      { guard: 'influxdb-latency-gap', because: 'influxdb_traffic_percentage.percentage < 100' },
    ]);
    expect(applicableGuards(guards, at(0)).guards).toEqual([]);
    expect(applicableGuards(guards, at(50, false)).guards).toEqual([]);
    // Without a configuration to judge, every guard applies.
    expect(applicableGuards(guards, undefined).guards).toHaveLength(2);
  });
});

describe('buildGuardQuery', () => {
  it('builds one request: metric stats returned unfilled, one expression per guard', () => {
    const q = buildGuardQuery([errorRate, failures], { from: T0 + 90_000, now: T0 + 10 * MIN });
    expect(q.queries.map((x) => [x.Id, x.ReturnData])).toEqual([
      ['g0_errors', true],
      ['g0_requests', true],
      ['g0_value', true],
      ['g1_failures', true],
      ['g1_requests', true],
      ['g1_value', true],
    ]);
    // ErrorCount declares `fill: 0` (published only when non-zero); the gate is not filled.
    expect(q.queries.find((x) => x.Id === 'g0_value')?.Expression).toBe(
      '100 * FILL(g0_errors, 0) / g0_requests',
    );
    // "per 5 minutes" is read per minute and summed over a sliding window by the evaluator.
    expect(q.queries.find((x) => x.Id === 'g1_failures')?.MetricStat?.Period).toBe(60);
    expect(q.queries.find((x) => x.Id === 'g0_errors')?.MetricStat?.Metric.Dimensions).toEqual([
      { Name: 'Backend', Value: 'influxdb' },
    ]);
    // Reaches back 4 minutes for the first 5-minute window, on a minute boundary.
    expect(q.startTime).toBe(T0 + 90_000 - 30_000 - 4 * MIN);
    expect(q.plans.map((p) => [p.valueId, p.samplesId])).toEqual([
      ['g0_value', 'g0_requests'],
      ['g1_value', 'g1_requests'],
    ]);
    expect(q.plans[0]?.metricIds).toEqual({ errors: 'g0_errors', requests: 'g0_requests' });
  });

  it('renames only the guard metric ids, not functions or quoted text', () => {
    expect(
      prefixIdentifiers(
        "FILL(errors, 0) / requests + SEARCH('errors', 'Sum')",
        new Set(['errors', 'requests']),
        'g3_',
      ),
    ).toBe("FILL(g3_errors, 0) / g3_requests + SEARCH('errors', 'Sum')");
  });
});

describe('evaluateGuards', () => {
  const query = buildGuardQuery([errorRate], { from: T0, now: T0 + 10 * MIN });

  it('trips after the configured number of consecutive breaching periods, keeping the values', () => {
    const series = errorRateSeries([
      [1, 100],
      [8, 100],
      [9.5, 100],
      [2, 100],
    ]);
    const [report] = evaluateGuards(query, series, { from: T0, now: T0 + 4 * MIN });
    expect(report?.status).toBe('breached');
    expect(report?.trippedAt).toBe(T0 + 3 * MIN);
    expect(report?.evidence?.map((p) => p.value)).toEqual([8, 9.5]);
  });

  it('resets the count on a healthy period', () => {
    const series = errorRateSeries([
      [8, 100],
      [1, 100],
      [8, 100],
      [1, 100],
    ]);
    const [report] = evaluateGuards(query, series, { from: T0, to: T0 + 4 * MIN, now: T0 + 4 * MIN });
    expect(report?.status).toBe('healthy');
    expect(report?.streak).toBe(0);
  });

  it('does not count the incomplete period at the end', () => {
    const series = errorRateSeries([
      [8, 100],
      [9, 100],
    ]);
    const [report] = evaluateGuards(query, series, { from: T0, now: T0 + 2 * MIN - 1 });
    expect(report?.status).toBe('pending');
    expect(report?.streak).toBe(1);
    expect(report?.periods).toHaveLength(1);
  });

  it('gives no-data under the minimum-sample gate, which neither breaches nor resets', () => {
    const low = errorRateSeries([
      [50, 3],
      [50, 4],
    ]);
    const [gated] = evaluateGuards(query, low, { from: T0, to: T0 + 2 * MIN, now: T0 + 2 * MIN });
    expect(gated?.status).toBe('no-data');
    expect(verdictOf(gated ? [gated] : [], [], T0).status).toBe('no-data');

    const gap = errorRateSeries([
      [8, 100],
      [90, 2],
      [8, 100],
    ]);
    const [bridged] = evaluateGuards(query, gap, { from: T0, now: T0 + 3 * MIN });
    expect(bridged?.status).toBe('breached');
    expect(bridged?.evidence?.map((p) => p.value)).toEqual([8, 8]);
  });

  it('is pending before the first period completes and ignores periods before watching began', () => {
    const series = errorRateSeries([
      [80, 100],
      [80, 100],
      [1, 100],
    ]);
    const [early] = evaluateGuards(query, series, { from: T0, now: T0 + 30_000 });
    expect(early?.status).toBe('pending');
    const [late] = evaluateGuards(query, series, { from: T0 + 2 * MIN, to: T0 + 3 * MIN, now: T0 + 3 * MIN });
    expect(late?.status).toBe('healthy');
    expect(late?.periods.map((p) => p.start)).toEqual([T0 + 2 * MIN]);
  });
});

describe('evidence over a range', () => {
  const query = buildGuardQuery([errorRate], { from: T0, now: T0 + 30 * MIN });
  const range = { from: T0, to: T0 + 6 * MIN, allowanceMs: 2 * MIN };

  it('is unverified, not healthy, when data stops: the never-observed periods are named', () => {
    const series = errorRateSeries([
      [1, 300],
      [1, 300],
    ]);
    const [r] = evaluateGuards(query, series, { ...range, now: T0 + 9 * MIN });
    expect(r?.status).toBe('unverified');
    expect([r?.observed, r?.required]).toEqual([2, 6]);
    expect(r?.unobserved.map((p) => p.start)).toEqual([2, 3, 4, 5].map((m) => T0 + m * MIN));
    expect(verdictOf(r ? [r] : [], [], T0).unobserved[0]).toContain('never observed: 12:02–12:06');
  });

  it('does not owe periods below the gate while the deployment still ramps, but owes them after', () => {
    const rows: Array<[number | undefined, number]> = [
      [0, 12],
      [8, 12],
      [1, 300],
      [1, 300],
      [1, 5],
      [1, 300],
    ];
    const ramping = { ...range, now: T0 + 9 * MIN, rampUntil: T0 + 2 * MIN };
    const [r] = evaluateGuards(query, errorRateSeries(rows), ramping);
    // Minutes 0–1 (12 requests, the canary's share): excused; minute 4 (5 requests) came after.
    expect([r?.status, r?.observed, r?.required]).toEqual(['unverified', 3, 4]);
    expect(r?.unobserved.map((p) => p.start)).toEqual([T0 + 4 * MIN]);
    const [fine] = evaluateGuards(
      query,
      errorRateSeries(rows.map(([v, n], i) => (i === 4 ? [v, 300] : [v, n]))),
      ramping,
    );
    expect([fine?.status, fine?.observed, fine?.required]).toEqual(['healthy', 4, 4]);
    // A ramp minute without any gate datapoint is missing data, not small traffic: still owed.
    const missing = errorRateSeries(rows.map(([v, n], i) => (i === 4 ? [v, 300] : [v, n])));
    const requests = missing[1]!;
    missing[1] = { ...requests, timestamps: requests.timestamps.slice(1), values: requests.values.slice(1) };
    const [gap] = evaluateGuards(query, missing, ramping);
    expect([gap?.status, gap?.required]).toEqual(['unverified', 5]);
  });

  it('is healthy when the declared share was observed', () => {
    const [r] = evaluateGuards(
      { ...query, plans: query.plans.map((p) => ({ ...p, guard: { ...p.guard, coverage: 0.5 } })) },
      errorRateSeries([
        [1, 300],
        [1, 300],
        [1, 3],
        [1, 300],
      ]),
      { ...range, now: T0 + 9 * MIN },
    );
    expect(r?.status).toBe('healthy');
  });

  it('waits for late data until the allowance, then calls the period no-data', () => {
    const rows: Array<[number | undefined, number]> = [1, 2, 3, 4, 5].map(() => [1, 300]);
    const series = errorRateSeries(rows);
    const [waiting] = evaluateGuards(query, series, { ...range, now: T0 + 7 * MIN });
    expect(waiting?.settled).toBe(false);
    expect(waiting?.periods.at(-1)?.outcome).toBe('pending');
    const [given] = evaluateGuards(query, series, { ...range, now: T0 + 8 * MIN });
    expect(given?.settled).toBe(true);
    expect(given?.status).toBe('unverified');
  });

  it('keeps a minute pending while only its ErrorCount is late, then zero-fills it past the allowance', () => {
    // Minutes 0–4 at 0 errors (no ErrorCount published), 300 requests each, all arrived on time.
    const rows: Array<[number | undefined, number]> = [0, 0, 0, 0, 0].map(() => [0, 300]);
    const series = errorRateSeries(rows);
    // At 12:05:30 minute 4 (ended 12:05) has RequestCount but no ErrorCount: it may still come.
    const [early] = evaluateGuards(query, series, { ...range, now: T0 + 5 * MIN + 30_000 });
    expect(early?.periods.at(-1)?.outcome).toBe('pending');
    expect(early?.periods.at(-2)?.outcome).toBe('pending');
    expect(early?.periods.at(-3)?.outcome).toBe('healthy');
    // Past the 2-minute allowance the declared fill stands: 0 errors, healthy.
    const [late] = evaluateGuards(query, series, { ...range, now: T0 + 7 * MIN });
    expect(late?.periods.slice(0, 5).map((p) => p.outcome)).toEqual(Array(5).fill('healthy'));
  });

  it('never runs a streak across a pending minute', () => {
    // 9 %, then a minute whose ErrorCount has not arrived (yet), then 9 %.
    const series = errorRateSeries([
      [9, 300],
      [0, 300],
      [9, 300],
    ]);
    const [waiting] = evaluateGuards(query, series, { ...range, now: T0 + 3 * MIN + 30_000 });
    expect(waiting?.periods.map((p) => p.outcome)).toEqual(['breach', 'pending', 'breach']);
    expect(waiting?.status).toBe('pending');
    expect(waiting?.trippedAt).toBeUndefined();
    // Past the allowance the middle minute is 0 errors: it breaks the streak.
    const [judged] = evaluateGuards(query, series, { ...range, now: T0 + 4 * MIN + 30_000 });
    expect(judged?.periods.map((p) => p.outcome)).toEqual(['breach', 'healthy', 'breach', 'pending']);
    expect(judged?.trippedAt).toBeUndefined();
  });

  it('at the end, waits one period for a streak one breach short, and trips on it', () => {
    const rows: Array<[number | undefined, number]> = [
      [1, 300],
      [1, 300],
      [1, 300],
      [1, 300],
      [1, 300],
      [9, 300],
    ];
    const [open] = evaluateGuards(query, errorRateSeries(rows), { ...range, now: T0 + 6 * MIN + 1 });
    expect(open?.settled).toBe(false);
    const [tripped] = evaluateGuards(query, errorRateSeries([...rows, [9, 300]]), {
      ...range,
      now: T0 + 7 * MIN,
    });
    expect(tripped?.status).toBe('breached');
    expect(tripped?.trippedAt).toBe(T0 + 7 * MIN);
    const [cleared] = evaluateGuards(query, errorRateSeries([...rows, [1, 300]]), {
      ...range,
      now: T0 + 7 * MIN,
    });
    expect(cleared?.status).toBe('healthy');
  });

  it('slides an "N per M minutes" window by a minute: 6 + 6 across a 5-minute boundary trips', () => {
    const q = buildGuardQuery([failures], { from: T0, now: T0 + 10 * MIN });
    const minutes = [0, 0, 0, 6, 6, 0, 0, 0];
    const start = q.startTime;
    const ts = Array.from({ length: 12 }, (_, i) => start + i * MIN);
    const values = ts.map((t) => minutes[(t - T0) / MIN] ?? 0);
    const [r] = evaluateGuards(
      q,
      [
        { id: 'g0_value', timestamps: ts, values },
        { id: 'g0_requests', timestamps: ts, values: ts.map(() => 300) },
      ],
      { from: T0, to: T0 + 8 * MIN, now: T0 + 8 * MIN },
    );
    expect(r?.status).toBe('breached');
    // Caught at the end of the second burst minute, not at the next 5-minute boundary.
    expect(r?.trippedAt).toBe(T0 + 5 * MIN);
    expect(r?.evidence?.[0]?.value).toBe(12);
  });
});

describe('verdictOf', () => {
  it('treats a watched alarm in ALARM as a breach and an unknown alarm as missing data', () => {
    const v = verdictOf(
      [],
      [{ name: 'latency', state: 'ALARM', reason: 'Threshold crossed' }, { name: 'gone' }],
      T0,
    );
    expect(v.status).toBe('breached');
    expect(v.breaches).toEqual([{ kind: 'alarm', alarm: 'latency', reason: 'Threshold crossed', at: T0 }]);
    expect(v.noData).toEqual(['alarm gone (not found)']);
    expect(verdictOf([], [{ name: 'ok', state: 'OK' }], T0).status).toBe('healthy');
  });
});
