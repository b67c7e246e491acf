/**
 * From what the pipeline returns (a `ReleaseResult`, or its JSON in a step output) to the
 * evidence a revert pull request carries. Pure.
 */

import type { TargetRef } from '../core/target.ts';
import type { Breach } from '../guards/verdict.ts';
import type { ReleaseEvent } from '../pipeline/events.ts';
import type { ReleaseResult } from '../pipeline/release.ts';
import type { RevertEvidence } from './text.ts';

type ReleaseLike = Partial<
  Pick<ReleaseResult, 'deploymentNumber' | 'version' | 'previousVersion' | 'rollback'>
> & {
  target?: string;
  status?: string;
  breaches?: Breach[];
  timeline?: ReleaseEvent[] | string[];
  message?: string;
};

export function parseTargetId(id: string): TargetRef | undefined {
  const [application, environment, profile, ...rest] = id.split('/');
  return application && environment && profile && rest.length === 0
    ? { application, environment, profile }
    : undefined;
}

/** The evidence in one result; `timeline` events (not formatted lines) give the times. */
export function evidenceFromRelease(
  result: ReleaseLike,
  options: { target?: TargetRef; runUrl?: string; reason?: string } = {},
): RevertEvidence {
  const target = options.target ?? (result.target ? parseTargetId(result.target) : undefined);
  if (!target)
    throw new Error(
      `the evidence names no target (application/environment/profile): ${result.target ?? 'none'}`,
    );
  const events = (result.timeline ?? []).filter(
    (e): e is ReleaseEvent => typeof e === 'object' && e !== null,
  );
  const started = events.find((e) => /^started deployment \d+/.test(e.message));
  const rolled = [...events].reverse().find((e) => /^rolled back/.test(e.message));
  const reason = options.reason ?? result.message;
  return {
    target,
    breaches: result.breaches ?? [],
    ...(reason ? { reason } : {}),
    ...((result.deploymentNumber ?? result.rollback?.deploymentNumber) !== undefined
      ? { deploymentNumber: (result.deploymentNumber ?? result.rollback?.deploymentNumber) as number }
      : {}),
    ...(result.version ? { badVersion: result.version } : {}),
    ...(result.rollback?.serving ? { serving: result.rollback.serving } : {}),
    ...(result.rollback ? { rollbackAction: result.rollback.action } : {}),
    ...(result.rollback?.redeployNumber !== undefined
      ? { redeployNumber: result.rollback.redeployNumber }
      : {}),
    ...(started ? { deployedAt: started.at } : {}),
    ...(rolled ? { rolledBackAt: rolled.at } : {}),
    ...(options.runUrl ? { runUrl: options.runUrl } : {}),
  };
}

/**
 * A step output's JSON: one result, a list of them, or `{ results: [...] }`. Only the results that
 * were rolled back (or carry breaches) need a revert.
 */
export function evidenceFromJson(
  json: string,
  options: { runUrl?: string; only?: (t: TargetRef) => boolean } = {},
): RevertEvidence[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(
      `the evidence is not JSON (${(error as Error).message}); pass the deploy or bake step's "evidence" output`,
    );
  }
  const list = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' &&
        parsed !== null &&
        Array.isArray((parsed as { results?: unknown }).results)
      ? (parsed as { results: unknown[] }).results
      : [parsed];
  return list
    .filter((r): r is ReleaseLike => typeof r === 'object' && r !== null)
    .filter((r) => r.status === 'rolled-back' || (r.breaches ?? []).length > 0)
    .map((r) => evidenceFromRelease(r, options.runUrl ? { runUrl: options.runUrl } : {}))
    .filter((e) => options.only?.(e.target) ?? true);
}
