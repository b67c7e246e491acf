/**
 * The policy clock: the same clock the pipeline runs on (FLAGOPS_CLOCK_SPEED and
 * FLAGOPS_CLOCK_ORIGIN, see src/core/clock.ts), or `FLAGOPS_NOW` (ISO-8601), a frozen instant of the
 * same seam, to ask "would this pass then?" (freeze windows and dwell times depend on it).
 */
import { policyInstant } from '../core/clock.ts';

export function policyNow(env: NodeJS.ProcessEnv): Date {
  return policyInstant(env);
}
