/**
 * The evidence of one release as a serialised, versioned record: the deploy and bake actions write
 * it to their `evidence` output, the revert action reads it back, and the CLI and the demo build the
 * same record in memory. One shape on both paths, so a revert pull request opened from a workflow
 * names exactly the facts one opened from the CLI does. Pure.
 */

import { Failure } from '../core/failure.ts';
import type { TargetRef } from '../core/target.ts';
import type { Breach } from '../guards/verdict.ts';
import type { ReleaseResult } from '../pipeline/release.ts';
import type { RevertEvidence } from './text.ts';

/** Bumped whenever a field changes meaning; a reader refuses a record of another version. */
export const EVIDENCE_VERSION = 1;

type Version = { number: number; label?: string };

export interface EvidenceRecord {
  version: typeof EVIDENCE_VERSION;
  /** `application/environment/profile`. */
  target: string;
  /** The release's result (`rolled-back`, `healthy`, …). */
  status: string;
  deploymentNumber?: number;
  /** The hosted version that deployment carried (the bad one, after a breach). */
  badVersion?: Version;
  previousVersion?: Version;
  /** Epoch ms. */
  deployedAt?: number;
  breaches: Breach[];
  rollback?: {
    action: string;
    deploymentNumber?: number;
    redeployNumber?: number;
    serving?: Version;
    verified: boolean;
    /** Epoch ms. */
    at: number;
  };
  message?: string;
  /** The last readings, for the job summary and a person reading the output. */
  guards: Array<{ guard: string; status: string; periods: unknown[] }>;
  alarms: unknown[];
}

export function parseTargetId(id: string): TargetRef | undefined {
  const [application, environment, profile, ...rest] = id.split('/');
  return application && environment && profile && rest.length === 0
    ? { application, environment, profile }
    : undefined;
}

const version = (v: { number: number; label?: string } | undefined): Version | undefined =>
  v ? { number: v.number, ...(v.label ? { label: v.label } : {}) } : undefined;

/** The record of one release result. */
export function evidenceRecord(r: ReleaseResult): EvidenceRecord {
  const bad = version(r.version);
  const previous = version(r.previousVersion);
  const rb = r.rollback;
  const serving = version(rb?.serving);
  return {
    version: EVIDENCE_VERSION,
    target: r.target,
    status: r.status,
    ...(r.deploymentNumber !== undefined ? { deploymentNumber: r.deploymentNumber } : {}),
    ...(bad ? { badVersion: bad } : {}),
    ...(previous ? { previousVersion: previous } : {}),
    ...(r.deployedAt !== undefined ? { deployedAt: r.deployedAt } : {}),
    breaches: r.breaches,
    ...(rb
      ? {
          rollback: {
            action: rb.action,
            ...(rb.deploymentNumber !== undefined ? { deploymentNumber: rb.deploymentNumber } : {}),
            ...(rb.redeployNumber !== undefined ? { redeployNumber: rb.redeployNumber } : {}),
            ...(serving ? { serving } : {}),
            verified: rb.verified,
            at: rb.at,
          },
        }
      : {}),
    ...(r.message ? { message: r.message } : {}),
    guards: (r.verdict?.guards ?? []).map((g) => ({
      guard: g.guard,
      status: g.status,
      periods: g.periods.slice(-5),
    })),
    alarms: r.verdict?.alarms ?? [],
  };
}

/** What a revert pull request needs from a record. */
export function revertEvidence(
  record: EvidenceRecord,
  options: { target?: TargetRef; runUrl?: string; reason?: string } = {},
): RevertEvidence {
  const target = options.target ?? parseTargetId(record.target);
  if (!target)
    throw new Failure(
      `the evidence names no target (application/environment/profile): ${record.target || 'none'}`,
    );
  const rb = record.rollback;
  const deploymentNumber = record.deploymentNumber ?? rb?.deploymentNumber;
  const reason = options.reason ?? record.message;
  return {
    target,
    breaches: record.breaches,
    ...(reason ? { reason } : {}),
    ...(deploymentNumber !== undefined ? { deploymentNumber } : {}),
    ...(record.badVersion ? { badVersion: record.badVersion } : {}),
    ...(rb?.serving ? { serving: rb.serving } : {}),
    ...(rb ? { rollbackAction: rb.action, rolledBackAt: rb.at } : {}),
    ...(rb?.redeployNumber !== undefined ? { redeployNumber: rb.redeployNumber } : {}),
    ...(record.deployedAt !== undefined ? { deployedAt: record.deployedAt } : {}),
    ...(options.runUrl ? { runUrl: options.runUrl } : {}),
  };
}

/** The CLI's and the demo's path: the same record, never serialised. */
export function evidenceFromRelease(
  result: ReleaseResult,
  options: { target?: TargetRef; runUrl?: string; reason?: string } = {},
): RevertEvidence {
  return revertEvidence(evidenceRecord(result), options);
}

const HOW = 'pass the deploy or bake step’s "evidence" output unchanged';

/** One record from its JSON, checked: a clear error names what is wrong and what to pass. */
export function parseEvidenceRecord(json: string): EvidenceRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Failure(`the evidence is not JSON (${(error as Error).message}); ${HOW}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Failure(`the evidence is not an evidence record (a JSON object); ${HOW}`);
  const r = parsed as Partial<EvidenceRecord>;
  if (r.version !== EVIDENCE_VERSION)
    throw new Failure(
      `the evidence record has version ${JSON.stringify(r.version ?? null)}, this revert action reads version ${EVIDENCE_VERSION}; use the deploy, bake and revert actions of one flagops release`,
    );
  if (typeof r.target !== 'string' || typeof r.status !== 'string' || !Array.isArray(r.breaches))
    throw new Failure(`the evidence record lacks its target, status or breaches; ${HOW}`);
  return r as EvidenceRecord;
}

/** A step output's record, as revert evidence when it needs a revert (rolled back, or breached). */
export function evidenceFromJson(
  json: string,
  options: { runUrl?: string; only?: (t: TargetRef) => boolean } = {},
): RevertEvidence[] {
  const record = parseEvidenceRecord(json);
  if (record.status !== 'rolled-back' && record.breaches.length === 0) return [];
  const evidence = revertEvidence(record, options.runUrl ? { runUrl: options.runUrl } : {});
  return options.only?.(evidence.target) === false ? [] : [evidence];
}
