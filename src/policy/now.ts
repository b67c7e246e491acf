/**
 * The policy clock: real time, or `FLAGOPS_NOW` (ISO-8601) to ask "would this pass then?" (freeze
 * windows and dwell times depend on it).
 */
import { EXIT, Failure } from '../core/failure.ts';

export function policyNow(env: NodeJS.ProcessEnv): Date {
  const raw = env['FLAGOPS_NOW'];
  if (!raw) return new Date();
  const at = new Date(raw);
  if (Number.isNaN(at.getTime()))
    throw new Failure(`FLAGOPS_NOW="${raw}" is not an ISO-8601 instant`, EXIT.usage);
  return at;
}
