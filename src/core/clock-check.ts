/**
 * Whether this process's clock is the services' clock: a timestamp a service wrote that lies more
 * than a minute in the future of `now` means it is not. Pure: the instant comes in as `now`
 * (src/core/clock.ts is where time is read).
 */

/** How far ahead of `now` a service's timestamp may be before the clocks are said to disagree. */
export const CLOCK_TOLERANCE_MS = 60_000;

/**
 * A timestamp the services wrote (a bake's completion, a deployment's start) that lies more than
 * the tolerance in the future of `now` means this process's clock is not the services' clock: any
 * duration measured from it would be a silent 0. Returns the message saying so, or undefined.
 */
export function clockDisagreement(what: string, at: number, now: number): string | undefined {
  if (at - now <= CLOCK_TOLERANCE_MS) return undefined;
  const ahead = Math.round((at - now) / 60_000);
  return (
    `the clock disagrees with the services: ${what} is at ${new Date(at).toISOString()}, ` +
    `${ahead} min in the future of this process's now (${new Date(now).toISOString()}). ` +
    'Give every process the services’ clock: FLAGOPS_CLOCK_SPEED and FLAGOPS_CLOCK_ORIGIN=<realMs>:<simMs> ' +
    '(or FLAGOPS_NOW for a frozen instant).'
  );
}
