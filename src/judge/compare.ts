/**
 * The comparative judge: is the treatment (the backend a rollout moves traffic to) worse than the
 * control (the one it moves it from) in the same minutes, by more than a margin? Pure, and its
 * state is plain JSON (accumulated sums) so a test that spans a bake, a soak watch and an advancer
 * job stays one test: `update(state, periods)` folds in newly complete periods, `verdict(state)`
 * reads it.
 *
 * Estimate: the Mantel–Haenszel rate ratio over minutes (Rothman, Greenland & Lash, *Modern
 * Epidemiology*, 3rd ed., ch. 15: RR_MH = Σ a_i / Σ b_i with a_i = x_t·y_c/Y, b_i = x_c·y_t/Y,
 * Y = y_t + y_c). It is a ratio of sums compared within each minute, never an average of
 * per-minute ratios: minutes with little traffic weigh little, and traffic moving between the
 * backends while the daily cycle moves the baseline does not bias it. `x` is what is counted
 * (errors, the latency sum, requests over a bound), `y` the requests.
 *
 * Variance: the delta method for a ratio estimator with minutes as clusters (Cochran, *Sampling
 * Techniques*, 3rd ed., §6.3: v(R) = n/(n−1) · Σ (a_i − R b_i)² / (Σ b_i)²), on the log scale
 * (v(ln R) = v(R)/R²). For counts it is floored at the Poisson variance of the two sums, so two
 * errors in ten minutes cannot look certain. The bound is the always-valid normal-mixture
 * confidence sequence (`confidence-sequence.ts`) over the requests seen so far.
 */
import { sequentialMultiplier } from './confidence-sequence.ts';

/** Accumulated sums: the whole state of one comparative test. JSON-serialisable. */
export interface JudgeState {
  version: 1;
  /** Start (epoch ms) of the newest period folded in; older or equal periods are skipped. */
  through?: number;
  /** Minutes in which both backends took traffic (the clusters). */
  minutes: number;
  /** Requests of both backends in those minutes (the confidence sequence's n). */
  requests: number;
  a: number;
  b: number;
  aa: number;
  bb: number;
  ab: number;
  /** Poisson variances of Σa and Σb when `x` counts events (Σ x_t (y_c/Y)², Σ x_c (y_t/Y)²). */
  pa: number;
  pb: number;
  /** Requests per backend over every folded period (also those where only one took traffic). */
  treatmentRequests: number;
  controlRequests: number;
}

/** One complete period: each backend's counted total `x` and its requests `y`. */
export interface PeriodCounts {
  start: number;
  treatment?: { x: number; y: number };
  control?: { x: number; y: number };
}

export interface JudgeOptions {
  /** Harm when the treatment's ratio to control exceeds 1 + margin (e.g. 0.2: "≤ control + 20 %"). */
  margin: number;
  /** The false-alarm level of this one test (the rollout's budget split, see `alphaPerTest`). */
  alpha: number;
  /** True when `x` counts events (errors, slow requests): floors the variance at Poisson's. */
  events: boolean;
  /** Requests (both backends) at which the confidence sequence is tightest. Default 5 000. */
  tuningRequests?: number;
  /** Minutes with both backends before any verdict but NODATA/INSUFFICIENT. Default 5. */
  minMinutes?: number;
}

export type VerdictKind = 'HARM' | 'PASS' | 'INSUFFICIENT' | 'NODATA';

export interface JudgeVerdict {
  kind: VerdictKind;
  /** Treatment ÷ control (e.g. 1.9: 90 % worse). Undefined without data from both. */
  estimate?: number;
  /** The always-valid interval for that ratio, at the test's α. */
  interval?: [number, number];
  /** While INSUFFICIENT: requests (both backends) still needed if the estimate holds; Infinity when it sits on the margin. */
  neededSamples?: number;
}

export const DEFAULT_TUNING_REQUESTS = 5_000;
const DEFAULT_MIN_MINUTES = 5;

export function emptyState(): JudgeState {
  return {
    version: 1,
    minutes: 0,
    requests: 0,
    a: 0,
    b: 0,
    aa: 0,
    bb: 0,
    ab: 0,
    pa: 0,
    pb: 0,
    treatmentRequests: 0,
    controlRequests: 0,
  };
}

/** The state with `periods` folded in, each once (periods at or before `through` are skipped). */
export function update(state: JudgeState, periods: PeriodCounts[]): JudgeState {
  const next = { ...state };
  for (const p of [...periods].sort((l, r) => l.start - r.start)) {
    if (next.through !== undefined && p.start <= next.through) continue;
    next.through = p.start;
    const yt = p.treatment?.y ?? 0;
    const yc = p.control?.y ?? 0;
    next.treatmentRequests += yt;
    next.controlRequests += yc;
    if (yt <= 0 || yc <= 0) continue; // a minute only one backend served compares nothing
    const total = yt + yc;
    const xt = p.treatment?.x ?? 0;
    const xc = p.control?.x ?? 0;
    const a = (xt * yc) / total;
    const b = (xc * yt) / total;
    next.minutes += 1;
    next.requests += total;
    next.a += a;
    next.b += b;
    next.aa += a * a;
    next.bb += b * b;
    next.ab += a * b;
    next.pa += xt * (yc / total) ** 2;
    next.pb += xc * (yt / total) ** 2;
  }
  return next;
}

/** The rollout's false-alarm budget split evenly over its tests (guards × steps). */
export function alphaPerTest(budget: number, guards: number, steps: number): number {
  return budget / Math.max(1, guards) / Math.max(1, steps);
}

/** Log ratio and its variance, or undefined when there is nothing to compare. */
export function logRatio(
  state: JudgeState,
  events: boolean,
): { theta: number; variance: number } | undefined {
  if (state.minutes === 0) return undefined;
  // Half an event on each side keeps zero counts finite (Haldane's correction).
  const half = events ? 0.5 : 0;
  const a = state.a + half;
  const b = state.b + half;
  if (!(a > 0 && b > 0)) return undefined;
  const r = a / b;
  const n = state.minutes;
  const spread = Math.max(0, state.aa - 2 * r * state.ab + r * r * state.bb);
  const clustered = n > 1 ? ((n / (n - 1)) * spread) / (b * b) / (r * r) : Number.POSITIVE_INFINITY;
  const poisson = events ? (state.pa + half / 2) / (a * a) + (state.pb + half / 2) / (b * b) : 0;
  return { theta: Math.log(r), variance: Math.max(clustered, poisson) };
}

export function verdict(state: JudgeState, options: JudgeOptions): JudgeVerdict {
  if (state.treatmentRequests === 0 || state.controlRequests === 0 || state.minutes === 0) {
    return { kind: 'NODATA' };
  }
  const tuning = options.tuningRequests ?? DEFAULT_TUNING_REQUESTS;
  const est = logRatio(state, options.events);
  if (est === undefined) return { kind: 'INSUFFICIENT', neededSamples: Number.POSITIVE_INFINITY };
  const se = Math.sqrt(est.variance);
  const halfwidth = se * sequentialMultiplier(state.requests, options.alpha, tuning);
  const limit = Math.log(1 + options.margin);
  const estimate = Math.exp(est.theta);
  const interval: [number, number] = [Math.exp(est.theta - halfwidth), Math.exp(est.theta + halfwidth)];
  const enough = state.minutes >= (options.minMinutes ?? DEFAULT_MIN_MINUTES);
  if (enough && est.theta - halfwidth > limit) return { kind: 'HARM', estimate, interval };
  if (enough && est.theta + halfwidth < limit) return { kind: 'PASS', estimate, interval };
  return {
    kind: 'INSUFFICIENT',
    estimate,
    interval,
    neededSamples: stillNeeded(state.requests, se, Math.abs(est.theta - limit), options.alpha, tuning),
  };
}

/**
 * Requests still needed for the bound to clear the margin if the estimate holds: the standard
 * error shrinks as 1/√n, the sequence's multiplier grows slowly with n.
 */
function stillNeeded(n: number, se: number, distance: number, alpha: number, tuning: number): number {
  if (!(distance > 0) || !Number.isFinite(se) || n <= 0) return Number.POSITIVE_INFINITY;
  const fits = (m: number) => se * Math.sqrt(n / m) * sequentialMultiplier(m, alpha, tuning) < distance;
  let hi = n;
  while (!fits(hi)) {
    hi *= 2;
    if (hi > 1e12) return Number.POSITIVE_INFINITY;
  }
  let lo = hi === n ? n : hi / 2;
  while (hi - lo > Math.max(1, lo * 0.01)) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return Math.max(0, Math.ceil(hi - n));
}
