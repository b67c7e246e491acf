/**
 * The one clock seam, read from the environment by every process: the pipeline's waits, the bake,
 * the advancer and change control's policy clock (dwell, soak after enabling, freeze windows) all
 * take their time from here, so they agree with the services' timestamps.
 *
 * - `FLAGOPS_CLOCK_SPEED`: simulated seconds per real second (an emulator running ahead of `date`);
 * - `FLAGOPS_CLOCK_ORIGIN=<realMs>:<simMs>`: a real instant and the simulated instant it maps to;
 * - `FLAGOPS_NOW=<ISO-8601>`: a frozen instant ("would this pass then?"), for the policy only.
 *
 * Nothing set: real time. No I/O here: the seam is the environment, never a service asked for time.
 */
import { EXIT, Failure } from './failure.ts';

export interface Clock {
  /** Epoch milliseconds, in the same time base as the service's timestamps. */
  now(): number;
  /** Wait `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}

export function realSleep(ms: number): Promise<void> {
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

export function parseOrigin(raw: string | undefined): { realMs: number; simMs: number } | undefined {
  if (raw === undefined || raw === '') return undefined;
  const match = /^(\d+):(\d+)$/.exec(raw.trim());
  if (!match)
    throw new Failure(`FLAGOPS_CLOCK_ORIGIN must look like <realMs>:<simMs>, got "${raw}"`, EXIT.usage);
  return { realMs: Number(match[1]), simMs: Number(match[2]) };
}

export function parseSpeed(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const speed = Number(raw);
  if (!(speed > 0)) {
    throw new Failure(
      `FLAGOPS_CLOCK_SPEED must be a positive number (simulated seconds per real second), got "${raw}"`,
      EXIT.usage,
    );
  }
  return speed;
}

/** The clock `FLAGOPS_CLOCK_SPEED` and `FLAGOPS_CLOCK_ORIGIN` describe (an origin alone: speed 1). */
export function clockFromEnv(env: Record<string, string | undefined>): Clock {
  const speed = parseSpeed(env['FLAGOPS_CLOCK_SPEED']);
  const origin = parseOrigin(env['FLAGOPS_CLOCK_ORIGIN']);
  if (speed === undefined && origin === undefined) return systemClock;
  return scaledClock({ speed: speed ?? 1, ...(origin ? { origin } : {}) });
}

/** A clock standing still at `at` (FLAGOPS_NOW): sleeping does not move it. */
export function frozenClock(at: number): Clock {
  return { now: () => at, sleep: async () => {} };
}

/** The policy's instant: `FLAGOPS_NOW` when set, else the same clock the pipeline runs on. */
export function policyInstant(env: Record<string, string | undefined>): Date {
  const raw = env['FLAGOPS_NOW'];
  if (!raw) return new Date(clockFromEnv(env).now());
  const at = new Date(raw);
  if (Number.isNaN(at.getTime()))
    throw new Failure(`FLAGOPS_NOW="${raw}" is not an ISO-8601 instant`, EXIT.usage);
  return at;
}

// The clock check is pure (no time read here): `decide` imports it without the system clock.
export { CLOCK_TOLERANCE_MS, clockDisagreement } from './clock-check.ts';
