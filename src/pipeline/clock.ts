/**
 * Time as the pipeline sees it. Everything that waits (deployment polling, the bake, backoff) goes
 * through an injected `Clock`, so the same code runs against AWS in real time and against the
 * emulator at 600× speed, and tests never sleep for real minutes.
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
 * A clock that reads another clock's `now()` (an emulator's clock in in-process tests), so the
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
 * optionally `FLAGOPS_CLOCK_ORIGIN=<realMs>:<simMs>` (without one, simulated time starts at the real
 * now). No speed: the system clock. Whoever runs flagops on a simulated timeline sets both.
 */
export async function clockFromEnvironment(env: Record<string, string | undefined>): Promise<Clock> {
  return clockFromEnv(env);
}
