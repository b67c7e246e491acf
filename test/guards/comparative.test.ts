/**
 * The comparative guard kind: loaded from app.yaml with file:line errors, queried and judged minute
 * by minute through the same GetMetricData plan as every guard.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeGuard } from '../../src/guards/evaluate.ts';
import {
  buildGuardQuery,
  describeBreach,
  evaluateGuards,
  type MetricSeries,
  verdictOf,
} from '../../src/guards/index.ts';
import { loadRepository } from '../../src/model/index.ts';
import { WorkingTreeSource } from '../../src/model/source.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const ons = loadRepository(new WorkingTreeSource(ROOT)).applications['ons-data-platform-app']!;
const errors = ons.guards['influxdb-errors-vs-timestream']!;
const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);
const MIN = 60_000;

/** Per minute [influx errors, influx requests, timestream errors, timestream requests]. */
function series(rows: Array<[number, number, number, number] | undefined>): MetricSeries[] {
  const ids = [
    'g0_treatment_numerator',
    'g0_treatment_denominator',
    'g0_control_numerator',
    'g0_control_denominator',
  ];
  return ids.map((id, k) => {
    const kept = rows.flatMap((r, i) =>
      r === undefined || (k % 2 === 0 && r[k] === 0) ? [] : [[T0 + i * MIN, r[k] as number]],
    );
    return { id, timestamps: kept.map(([t]) => t as number), values: kept.map(([, v]) => v as number) };
  });
}

describe('a comparative guard in app.yaml', () => {
  it('compiles to four series with the sides’ dimensions, harm above 1 + margin', () => {
    expect(errors.comparative).toMatchObject({
      measure: 'events',
      marginPercent: 25,
      steps: 4,
      falseAlarmPercent: 5,
    });
    expect(errors.metrics['treatment_numerator']).toMatchObject({
      name: 'ErrorCount',
      dimensions: { Backend: 'influxdb' },
      fill: 0,
    });
    expect(errors.metrics['control_denominator']).toMatchObject({
      name: 'RequestCount',
      dimensions: { Backend: 'timestream' },
    });
    expect(errors.breachWhen).toEqual({ op: '>', threshold: 1.25 });
    expect(ons.environments.find((e) => e.name === 'production')?.guards).toContain(
      'influxdb-latency-vs-timestream',
    );
  });

  it('names file and line for a bad comparative guard', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagops-comparative-'));
    cpSync(join(ROOT, 'flags'), join(dir, 'flags'), { recursive: true });
    cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
    const file = join(dir, 'flags', 'ons-data-platform-app', 'app.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    measure: mean', '    measure: median'));
    const repo = loadRepository(new WorkingTreeSource(dir));
    const d = repo.diagnostics.find((x) => x.message.includes('measure'));
    expect(d?.position.file).toBe('flags/ons-data-platform-app/app.yaml');
    expect(d?.message).toContain('allowed: events, mean');
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('measure: median')) + 1;
    expect(d?.position.line).toBe(line);
    expect(repo.diagnostics.some((x) => x.message.includes('"then"'))).toBe(false);
  });
});

describe('judging a comparative guard', () => {
  const query = buildGuardQuery([errors], { from: T0, now: T0 + 600 * MIN });
  const range = { from: T0, to: T0 + 30 * MIN, allowanceMs: 2 * MIN };

  it('HARM when InfluxDB errs twice as often in the same minutes, with estimate and interval', () => {
    const rows = Array.from({ length: 300 }, (_, i): [number, number, number, number] =>
      i % 2 ? [4, 100, 2, 100] : [6, 100, 3, 100],
    );
    // A soak watch's range: open-ended.
    const [r] = evaluateGuards(query, series(rows), { from: T0, allowanceMs: 2 * MIN, now: T0 + 303 * MIN });
    expect(r?.status).toBe('breached');
    expect(r?.comparison?.kind).toBe('HARM');
    expect(r?.comparison?.estimate).toBeCloseTo(2, 1);
    const v = verdictOf(r ? [r] : [], [], T0);
    expect(v.status).toBe('breached');
    expect(describeBreach(v.breaches[0]!)).toMatch(
      /influxdb-errors-vs-timestream: 1\.99× control \[1\.2\d, 3\.\d+\]: harm \(harm above 1\.25×\)/,
    );
  });

  it('INSUFFICIENT at low traffic: keeps watching, says how much more, never unverified', () => {
    const rows = Array.from({ length: 30 }, (_, i): [number, number, number, number] =>
      i % 3 ? [0, 8, 0, 20] : [1, 8, 0, 20],
    );
    const [r] = evaluateGuards(query, series(rows), { ...range, now: T0 + 33 * MIN });
    expect(r?.comparison?.kind).toBe('INSUFFICIENT');
    expect(r?.status).toBe('healthy');
    expect(describeGuard(r!)).toMatch(/about [\d,]+ more requests \(both backends\) for a verdict/);
    expect(verdictOf(r ? [r] : [], [], T0).unobserved).toEqual([]);
  });

  it('NODATA when Timestream is silent; a minute waits for late data before it is folded', () => {
    const silent = Array.from({ length: 30 }, (): [number, number, number, number] => [1, 50, 0, 0]);
    const s = series(silent).filter((x) => !x.id.startsWith('g0_control'));
    const [r] = evaluateGuards(query, s, { ...range, now: T0 + 40 * MIN });
    expect(r?.comparison?.kind).toBe('NODATA');
    // Minute 4's Timestream requests are missing at 12:05:30: pending, and nothing after it is folded.
    const rows = Array.from({ length: 10 }, (_, i): [number, number, number, number] | undefined =>
      i === 4 ? undefined : [1, 50, 1, 50],
    );
    const [p] = evaluateGuards(query, series(rows), { ...range, now: T0 + 5 * MIN + 30_000 });
    expect(p?.periods.at(-1)?.outcome).toBe('pending');
    expect(p?.comparison?.state.minutes).toBe(4);
  });
});
