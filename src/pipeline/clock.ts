/**
 * Time as the pipeline sees it. Everything that waits (deployment polling, the bake, backoff) goes
 * through an injected `Clock`, so the same code runs against AWS in real time and against the
 * sandbox at 600× speed, and tests never sleep for real minutes.
 */
import {
  type Clock,
  clockFromEnv,
  parseOrigin,
  parseSpeed,
  realSleep,
  scaledClock,
  systemClock,
} from '../core/clock.ts';

// The clock and its environment seam live in core (the policy clock reads them too).
export type { Clock, ScaledClockOptions } from '../core/clock.ts';
export { clockFromEnv, parseOrigin, scaledClock, systemClock } from '../core/clock.ts';

/**
 * A clock that reads another clock's `now()` (the sandbox's `SimClock` in in-process tests), so the
 * pipeline and the simulated services can never disagree about the time.
 */
export function clockFollowing(source: { now(): number; readonly speed: number }): Clock {
  return {
    now: () => source.now(),
    sleep: (ms) => realSleep(ms / source.speed),
  };
}

/**
 * The clock the environment asks for: `FLAGOPS_CLOCK_SPEED` (simulated seconds per real second) and
 * optionally `FLAGOPS_CLOCK_ORIGIN=<realMs>:<simMs>`. Without an origin, a sandbox named by
 * `FLAGOPS_SANDBOX_URL` is asked for its current simulated time once. No speed: the system clock.
 */
export async function clockFromEnvironment(
  env: Record<string, string | undefined>,
  fetchImpl: typeof fetch = fetch,
): Promise<Clock> {
  const speed = parseSpeed(env.FLAGOPS_CLOCK_SPEED);
  if (speed === undefined || parseOrigin(env.FLAGOPS_CLOCK_ORIGIN)) return clockFromEnv(env);
  const origin = await sandboxOrigin(env.FLAGOPS_SANDBOX_URL, fetchImpl);
  return scaledClock(origin ? { speed, origin } : { speed });
}

async function sandboxOrigin(
  url: string | undefined,
  fetchImpl: typeof fetch,
): Promise<{ realMs: number; simMs: number } | undefined> {
  if (!url) return undefined;
  try {
    const before = Date.now();
    const res = await fetchImpl(`${url.replace(/\/$/, '')}/_sandbox/clock`);
    if (!res.ok) return undefined;
    const body = (await res.json()) as { now?: unknown };
    if (typeof body.now !== 'number') return undefined;
    // The reply was made somewhere between sending and receiving; the midpoint is the best guess.
    return { realMs: Math.round((before + Date.now()) / 2), simMs: body.now };
  } catch {
    return undefined;
  }
}
