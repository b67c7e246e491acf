/**
 * The comparative judge's statistics, pinned against values computed independently of this code
 * (each number's source is beside it), and its edge cases.
 */
import { describe, expect, it } from 'vitest';
import {
  alphaPerTest,
  emptyState,
  logRatio,
  type PeriodCounts,
  update,
  verdict,
} from '../../src/judge/compare.ts';
import { mixingRho, sequentialHalfwidth, sequentialMultiplier } from '../../src/judge/confidence-sequence.ts';

describe('the normal-mixture confidence sequence', () => {
  // Waudby-Smith et al. 2023, eq. 161 and eq. 9 (the formulas gbstats implements), evaluated by
  // hand in Python for α = 0.05, N = 5000:
  //   ρ = sqrt((−2 ln 0.05 + ln(−2 ln 0.05 + 1)) / 5000) = 0.0398400668
  //   halfwidth(σ² = 1, n = 100) = 0.669438862, n = 5000: 0.0429243372, n = 20000: 0.0221120362
  it('matches the paper formulas evaluated by hand', () => {
    expect(mixingRho(0.05, 5000)).toBeCloseTo(0.0398400668, 9);
    expect(sequentialHalfwidth(1, 100, 0.05, 5000)).toBeCloseTo(0.669438862, 8);
    expect(sequentialHalfwidth(1, 5000, 0.05, 5000)).toBeCloseTo(0.0429243372, 9);
    expect(sequentialHalfwidth(4, 20000, 0.05, 5000)).toBeCloseTo(2 * 0.0221120362, 9);
  });

  it('is wider than the fixed-sample interval (the price of looking every minute)', () => {
    // Fixed-sample two-sided 95 %: 1.96 standard errors. At its tightest the sequence costs ~1.55×.
    expect(sequentialMultiplier(5000, 0.05, 5000)).toBeCloseTo(3.03520899, 6);
    expect(sequentialMultiplier(5000, 0.05, 5000)).toBeGreaterThan(1.96);
    expect(sequentialMultiplier(0, 0.05, 5000)).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a level outside (0, 1)', () => {
    expect(() => mixingRho(0, 5000)).toThrow(/alpha/);
    expect(() => mixingRho(0.05, 0)).toThrow(/tuning/);
  });
});

const minute = (start: number, t: [number, number], c: [number, number]): PeriodCounts => ({
  start,
  treatment: { x: t[0], y: t[1] },
  control: { x: c[0], y: c[1] },
});

describe('the Mantel–Haenszel ratio of sums over minutes', () => {
  it('is Σa/Σb, not the crude ratio nor an average of per-minute ratios', () => {
    // By hand: minute 1 a = 2·30/40 = 1.5, b = 1·10/40 = 0.25; minute 2 a = 6·10/40 = 1.5,
    // b = 1·30/40 = 0.75 → RR_MH = 3 / 1 = 3. (Crude: (8/40)/(2/40) = 4; mean of the
    // per-minute ratios 6 and 2: 4.)
    const s = update(emptyState(), [minute(0, [2, 10], [1, 30]), minute(60_000, [6, 30], [1, 10])]);
    expect(s.a).toBeCloseTo(3, 12);
    expect(s.b).toBeCloseTo(1, 12);
    expect(Math.exp(logRatio(s, false)?.theta ?? 0)).toBeCloseTo(3, 12);
  });

  it('is unbiased when traffic moves between backends while the baseline moves (A/A)', () => {
    // Expected counts: minute 1 at 10 % errors, the treatment takes 10 of 100 queries; minute 2
    // at 1 %, it takes 90. Crude rates: treatment 1.9 %, control 9.1 % (ratio 0.21, "better");
    // by hand a = 1·90/100 + 0.9·10/100 = 0.99 = b: ratio 1.
    const s = update(emptyState(), [minute(0, [1, 10], [9, 90]), minute(60_000, [0.9, 90], [0.1, 10])]);
    expect(Math.exp(logRatio(s, false)?.theta ?? 0)).toBeCloseTo(1, 12);
  });

  it('clusters the variance by minute (Cochran §6.3), by hand', () => {
    // a = (1.5, 1.5), b = (0.25, 0.75), R = 3: Σ(a − R b)² = (0.75)² + (−0.75)² = 1.125;
    // v(R) = 2/1 · 1.125 / 1² = 2.25; v(ln R) = 2.25 / 9 = 0.25.
    const s = update(emptyState(), [minute(0, [2, 10], [1, 30]), minute(60_000, [6, 30], [1, 10])]);
    expect(logRatio(s, false)?.variance).toBeCloseTo(0.25, 12);
  });

  it('folds each period once, however often the same minutes are looked at', () => {
    const periods = [minute(0, [2, 10], [1, 30]), minute(60_000, [6, 30], [1, 10])];
    const once = update(emptyState(), periods);
    const twice = update(update(emptyState(), periods.slice(0, 1)), periods);
    expect(twice).toEqual(once);
    expect(JSON.parse(JSON.stringify(once))).toEqual(once);
  });
});

const options = { margin: 0.25, alpha: 0.05, events: true };

describe('verdicts', () => {
  const steady = (n: number, t: [number, number], c: [number, number]) =>
    update(
      emptyState(),
      Array.from({ length: n }, (_, i) => minute(i * 60_000, t, c)),
    );

  it('NODATA when one backend is silent', () => {
    const s = update(emptyState(), [
      { start: 0, treatment: { x: 3, y: 20 } },
      { start: 60_000, treatment: { x: 1, y: 20 } },
    ]);
    expect(verdict(s, options).kind).toBe('NODATA');
    expect(s.treatmentRequests).toBe(40);
  });

  it('INSUFFICIENT, finite, with zero errors on both sides: no division by zero', () => {
    const v = verdict(steady(30, [0, 10], [0, 10]), options);
    expect(v.kind).toBe('INSUFFICIENT');
    expect(v.estimate).toBeCloseTo(1, 12);
    expect(Number.isFinite(v.interval?.[0] ?? Number.NaN)).toBe(true);
  });

  it('HARM at 2× the errors with enough traffic, with the estimate and its interval', () => {
    // Alternating minutes keep the per-minute spread non-zero: 4 vs 2 and 6 vs 3 errors of 200.
    const periods = Array.from({ length: 120 }, (_, i) =>
      minute(i * 60_000, i % 2 ? [4, 200] : [6, 200], i % 2 ? [2, 200] : [3, 200]),
    );
    const v = verdict(update(emptyState(), periods), options);
    expect(v.kind).toBe('HARM');
    expect(v.estimate).toBeCloseTo(2, 1);
    expect(v.interval?.[0]).toBeGreaterThan(1.25);
  });

  it('PASS when the upper bound lies inside the margin; INSUFFICIENT earlier, with the traffic still needed', () => {
    const periods = Array.from({ length: 600 }, (_, i) =>
      minute(i * 60_000, i % 2 ? [4, 200] : [6, 200], i % 2 ? [6, 200] : [4, 200]),
    );
    const early = verdict(update(emptyState(), periods.slice(0, 10)), options);
    expect(early.kind).toBe('INSUFFICIENT');
    expect(early.neededSamples).toBeGreaterThan(0);
    expect(Number.isFinite(early.neededSamples ?? Number.NaN)).toBe(true);
    // The traffic it asked for (projected from the estimate so far) is, within 30 %, what turns
    // it into a verdict.
    const perMinute = 400;
    const asked = Math.ceil((early.neededSamples ?? 0) / perMinute);
    expect(verdict(update(emptyState(), periods.slice(0, 10 + Math.floor(asked * 0.7))), options).kind).toBe(
      'INSUFFICIENT',
    );
    expect(verdict(update(emptyState(), periods.slice(0, 10 + Math.ceil(asked * 1.3))), options).kind).toBe(
      'PASS',
    );
  });

  it('splits the rollout budget over guards and steps', () => {
    expect(alphaPerTest(0.05, 3, 5)).toBeCloseTo(0.05 / 15, 15);
    expect(alphaPerTest(0.05, 0, 0)).toBe(0.05);
  });
});
