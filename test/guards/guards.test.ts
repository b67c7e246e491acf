import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
  return [
    { id: 'g0_value', timestamps: valued.map(([t]) => t), values: valued.map(([, v]) => v) },
    { id: 'g0_requests', timestamps: ts, values: points.map(([, s]) => s) },
  ];
}

describe('buildGuardQuery', () => {
  it('builds one request: hidden metric stats, one expression per guard, the sample metric returned', () => {
    const q = buildGuardQuery([errorRate, failures], { from: T0 + 90_000, now: T0 + 10 * MIN });
    expect(q.queries.map((x) => [x.Id, x.ReturnData])).toEqual([
      ['g0_errors', false],
      ['g0_requests', true],
      ['g0_value', true],
      ['g1_failures', false],
      ['g1_value', true],
    ]);
    expect(q.queries.find((x) => x.Id === 'g0_value')?.Expression).toBe('100 * g0_errors / g0_requests');
    expect(q.queries.find((x) => x.Id === 'g1_failures')?.MetricStat?.Period).toBe(300);
    expect(q.queries.find((x) => x.Id === 'g0_errors')?.MetricStat?.Metric.Dimensions).toEqual([
      { Name: 'Backend', Value: 'influxdb' },
    ]);
    // Aligned to a boundary shared by 60 s and 300 s periods.
    expect(q.startTime).toBe(T0);
    expect(q.plans.map((p) => [p.valueId, p.samplesId])).toEqual([
      ['g0_value', 'g0_requests'],
      ['g1_value', undefined],
    ]);
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
    const [report] = evaluateGuards(query, series, { from: T0, now: T0 + 4 * MIN });
    expect(report?.status).toBe('healthy');
    expect(report?.streak).toBe(0);
  });

  it('does not count the incomplete period at the end', () => {
    const series = errorRateSeries([
      [8, 100],
      [9, 100],
    ]);
    const [report] = evaluateGuards(query, series, { from: T0, now: T0 + 2 * MIN - 1 });
    expect(report?.status).toBe('healthy');
    expect(report?.streak).toBe(1);
    expect(report?.periods).toHaveLength(1);
  });

  it('gives no-data under the minimum-sample gate, which neither breaches nor resets', () => {
    const low = errorRateSeries([
      [50, 3],
      [50, 4],
    ]);
    const [gated] = evaluateGuards(query, low, { from: T0, now: T0 + 2 * MIN });
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
    const [late] = evaluateGuards(query, series, { from: T0 + 2 * MIN, now: T0 + 3 * MIN });
    expect(late?.status).toBe('healthy');
    expect(late?.periods.map((p) => p.start)).toEqual([T0 + 2 * MIN]);
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
