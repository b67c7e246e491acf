/** The seeded traffic generator the judge is calibrated on. */
import { describe, expect, it } from 'vitest';
import { dailyRate, generateTraffic, lognormalQuantile, type TrafficModel } from '../../testkit/traffic.ts';

const base = { errorRate: 0.02, medianMs: 800, sigma: 0.6 };
const model: TrafficModel = {
  seed: 7,
  minutes: 1440,
  trough: 5,
  peak: 50,
  dispersion: 4,
  share: (m) => (m < 720 ? 0.1 : 0.9),
  treatment: base,
  control: base,
  boundMs: lognormalQuantile(base, 0.05),
};

describe('generateTraffic', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(generateTraffic(model)).toEqual(generateTraffic(model));
    expect(generateTraffic({ ...model, seed: 8 })).not.toEqual(generateTraffic(model));
  });

  it('follows the daily cycle between trough and peak, at low traffic', () => {
    expect(dailyRate(5, 50, 14 * 60)).toBeCloseTo(50, 9);
    expect(dailyRate(5, 50, 2 * 60)).toBeCloseTo(5, 9);
    const day = generateTraffic(model);
    const total = day.reduce((s, m) => s + m.treatment.requests + m.control.requests, 0);
    expect(total / 1440).toBeGreaterThan(20);
    expect(total / 1440).toBeLessThan(35);
  });

  it('moves the share between backends as told, with errors and the bound at their rates', () => {
    const day = generateTraffic(model);
    const first = day.slice(0, 720).reduce((s, m) => s + m.treatment.requests, 0);
    const firstAll = day.slice(0, 720).reduce((s, m) => s + m.treatment.requests + m.control.requests, 0);
    expect(first / firstAll).toBeGreaterThan(0.07);
    expect(first / firstAll).toBeLessThan(0.13);
    const all = day.flatMap((m) => [m.treatment, m.control]);
    const requests = all.reduce((s, b) => s + b.requests, 0);
    expect(all.reduce((s, b) => s + b.errors, 0) / requests).toBeCloseTo(0.02, 2);
    expect(all.reduce((s, b) => s + b.overBound, 0) / requests).toBeCloseTo(0.05, 1);
  });

  it('keeps the mean and fattens the tail for a tail harm', () => {
    const tail = { ...base, tailShare: 0.1, tailFactor: 4 };
    const run = (b: typeof base) =>
      generateTraffic({ ...model, seed: 3, share: () => 1, treatment: b, dispersion: undefined }).reduce(
        (s, m) => ({
          n: s.n + m.treatment.requests,
          sum: s.sum + m.treatment.latencySumMs,
          over: s.over + m.treatment.overBound,
        }),
        { n: 0, sum: 0, over: 0 },
      );
    const plain = run(base);
    const fat = run(tail);
    expect(fat.sum / fat.n / (plain.sum / plain.n)).toBeCloseTo(1, 1);
    expect(fat.over / fat.n).toBeGreaterThan(1.4 * (plain.over / plain.n));
  });
});
