/**
 * Realistic per-minute traffic for two backends, seeded: a daily cycle between a trough and a peak
 * of queries a minute, over-dispersed (gamma–Poisson) noise around it, a share routed to the
 * treatment, errors as Bernoulli trials, and latency from a log-normal distribution. What the
 * comparative judge is calibrated on (bench/judge.ts) and what its tests replay, and the two weeks
 * of recorded traffic the demo story seeds for its backtest (demo/history.ts). Imports nothing.
 */

/** One backend's behaviour. */
export interface BackendModel {
  errorRate: number;
  /** Median latency (ms) and the log-normal's σ. */
  medianMs: number;
  sigma: number;
  /**
   * A tail: this share of requests is `tailFactor` times slower and the rest faster, so the mean
   * is unchanged (a p95 harm that averages do not see).
   */
  tailShare?: number;
  tailFactor?: number;
}

export interface TrafficModel {
  seed: number;
  minutes: number;
  /** Queries a minute at the daily trough and peak (both backends together). */
  trough: number;
  peak: number;
  /** Minute of the day the run starts at (the cycle peaks at 14:00). */
  startMinuteOfDay?: number;
  /** Gamma shape of the over-dispersion (smaller: noisier); undefined: plain Poisson. */
  dispersion?: number | undefined;
  /** The treatment's share of queries at minute m (0..1). */
  share: (minute: number) => number;
  treatment: BackendModel;
  control: BackendModel;
  /** Latency bound (ms) whose exceedances are counted (the "share over a bound"). */
  boundMs: number;
}

export interface BackendMinute {
  requests: number;
  errors: number;
  latencySumMs: number;
  overBound: number;
}

export interface TrafficMinute {
  minute: number;
  treatment: BackendMinute;
  control: BackendMinute;
}

/** mulberry32: a small seeded generator, good enough for simulation. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function poisson(rand: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rand)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k += 1;
    p *= rand();
  }
  return k;
}

/** Gamma(shape, 1/shape): mean 1 (Marsaglia–Tsang). */
function gammaUnitMean(rand: () => number, shape: number): number {
  const boost = shape < 1 ? rand() ** (1 / shape) : 1;
  const d = (shape < 1 ? shape + 1 : shape) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rand);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(rand()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v * boost) / shape;
  }
}

/** The expected queries a minute at `minuteOfDay` on the daily cycle. */
export function dailyRate(trough: number, peak: number, minuteOfDay: number): number {
  const phase = (2 * Math.PI * (minuteOfDay - 14 * 60)) / 1440;
  return trough + ((peak - trough) * (1 + Math.cos(phase))) / 2;
}

function latency(rand: () => number, b: BackendModel): number {
  const base = b.medianMs * Math.exp(b.sigma * normal(rand));
  const share = b.tailShare ?? 0;
  if (share <= 0) return base;
  const factor = b.tailFactor ?? 3;
  if (rand() < share) return base * factor;
  return (base * (1 - share * factor)) / (1 - share);
}

function backendMinute(
  rand: () => number,
  requests: number,
  b: BackendModel,
  boundMs: number,
): BackendMinute {
  let errors = 0;
  let latencySumMs = 0;
  let overBound = 0;
  for (let i = 0; i < requests; i++) {
    if (rand() < b.errorRate) errors += 1;
    const ms = latency(rand, b);
    latencySumMs += ms;
    if (ms > boundMs) overBound += 1;
  }
  return { requests, errors, latencySumMs, overBound };
}

/** The run, minute by minute (deterministic for a seed). */
export function generateTraffic(model: TrafficModel): TrafficMinute[] {
  const rand = seededRandom(model.seed);
  const out: TrafficMinute[] = [];
  for (let m = 0; m < model.minutes; m++) {
    const mean = dailyRate(model.trough, model.peak, ((model.startMinuteOfDay ?? 0) + m) % 1440);
    const noisy = model.dispersion === undefined ? mean : mean * gammaUnitMean(rand, model.dispersion);
    const total = poisson(rand, noisy);
    const share = Math.min(1, Math.max(0, model.share(m)));
    let toTreatment = 0;
    for (let i = 0; i < total; i++) if (rand() < share) toTreatment += 1;
    out.push({
      minute: m,
      treatment: backendMinute(rand, toTreatment, model.treatment, model.boundMs),
      control: backendMinute(rand, total - toTreatment, model.control, model.boundMs),
    });
  }
  return out;
}

/** The latency bound a backend exceeds with probability `p` (its (1 − p) quantile, no tail). */
export function lognormalQuantile(b: BackendModel, upperShare: number): number {
  // z for the upper share by bisection on the normal CDF (erf-free: Abramowitz–Stegun 26.2.17).
  const cdf = (z: number) => {
    const t = 1 / (1 + 0.2316419 * Math.abs(z));
    const d = 0.3989423 * Math.exp((-z * z) / 2);
    const q = d * t * (0.3193815 + t * (-0.3565638 + t * (1.781478 + t * (-1.821256 + t * 1.330274))));
    return z >= 0 ? 1 - q : q;
  };
  let lo = -8;
  let hi = 8;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (1 - cdf(mid) > upperShare) lo = mid;
    else hi = mid;
  }
  return b.medianMs * Math.exp(b.sigma * ((lo + hi) / 2));
}
