/**
 * The normal-mixture confidence sequence (Robbins' Gaussian mixture; "GAVI", the asymptotic
 * confidence sequence of Waudby-Smith et al. 2023, eq. 9): a bound that stays valid however often
 * it is looked at, so a bake, a soak watch and an advancer may all look every minute.
 *
 *   halfwidth(n) = σ · sqrt( 2 (n ρ² + 1) / (n² ρ²) · ln( sqrt(n ρ² + 1) / α ) )
 *   ρ² = ( −2 ln α + ln(−2 ln α + 1) ) / N                       (ibid., eq. 161)
 *
 * σ² is the variance of one observation and n the number of observations so far; N is the sample
 * size at which the sequence is tightest. These are the formulas GrowthBook's gbstats uses for its
 * sequential testing; the code here is our own. The sequence is two-sided at level α; flagops uses
 * it one-sided (only harm matters), which keeps the error below α (a one-sided crossing is one of
 * the two-sided crossings), at the cost of a slightly wider bound.
 */

/** The mixing parameter ρ for level α, tightest at N observations. */
export function mixingRho(alpha: number, tuningN: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must lie in (0, 1), got ${alpha}`);
  if (!(tuningN > 0)) throw new RangeError(`the tuning sample size must be positive, got ${tuningN}`);
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / tuningN);
}

/** The half-width around a mean of n observations each with variance σ² (`variance`). */
export function sequentialHalfwidth(variance: number, n: number, alpha: number, tuningN: number): number {
  if (!(n >= 1) || !(variance >= 0)) return Number.POSITIVE_INFINITY;
  const rho2 = mixingRho(alpha, tuningN) ** 2;
  const a = n * rho2 + 1;
  return Math.sqrt(variance) * Math.sqrt(((2 * a) / (n * n * rho2)) * Math.log(Math.sqrt(a) / alpha));
}

/**
 * The factor the confidence sequence widens a standard error by at n observations: for an
 * estimate with standard error `se` over n observations, σ² = se² · n (as gbstats passes it).
 */
export function sequentialMultiplier(n: number, alpha: number, tuningN: number): number {
  if (!(n >= 1)) return Number.POSITIVE_INFINITY;
  return sequentialHalfwidth(n, n, alpha, tuningN);
}
