/**
 * Time as the pipeline sees it. Everything that waits (deployment polling, the bake, backoff) goes
 * through an injected `Clock`, so the same code runs against AWS in real time and against the
 * emulator at 600× speed, and tests never sleep for real minutes.
 */
import { EXIT, Failure } from '../core/failure.ts';

export interface Clock {
  /** Epoch milliseconds, in the same time base as the service's timestamps. */
  now(): number;
  /** Wait `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: realSleep,
};

export interface ScaledClockOptions {
  /** Simulated seconds per real second (FLAGOPS_CLOCK_SPEED). */
  speed: number;
  /** A real instant and the simulated instant it corresponds to; default: both are now. */
  origin?: { realMs: number; simMs: number };
  realNow?: () => number;
}

/** A clock running `speed` times faster than real time: sleeps are divided by the speed. */
export function scaledClock(options: ScaledClockOptions): Clock {
  const realNow = options.realNow ?? Date.now;
  const speed = options.speed;
  if (!(speed > 0)) throw new Failure(`clock speed must be a positive number, got ${speed}`, EXIT.usage);
  const start = realNow();
  const origin = options.origin ?? { realMs: start, simMs: start };
  return {
    now: () => Math.floor(origin.simMs + (realNow() - origin.realMs) * speed),
    sleep: (ms) => realSleep(ms / speed),
  };
}

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
  const rawSpeed = env.FLAGOPS_CLOCK_SPEED;
  if (rawSpeed === undefined || rawSpeed === '') return systemClock;
  const speed = Number(rawSpeed);
  if (!(speed > 0)) {
    throw new Failure(
      `FLAGOPS_CLOCK_SPEED must be a positive number (simulated seconds per real second), got "${rawSpeed}"`,
      EXIT.usage,
    );
  }
  const origin = parseOrigin(env.FLAGOPS_CLOCK_ORIGIN);
  return scaledClock(origin ? { speed, origin } : { speed });
}

export function parseOrigin(raw: string | undefined): { realMs: number; simMs: number } | undefined {
  if (raw === undefined || raw === '') return undefined;
  const match = /^(\d+):(\d+)$/.exec(raw.trim());
  if (!match)
    throw new Failure(`FLAGOPS_CLOCK_ORIGIN must look like <realMs>:<simMs>, got "${raw}"`, EXIT.usage);
  return { realMs: Number(match[1]), simMs: Number(match[2]) };
}
