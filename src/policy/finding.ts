/**
 * What a policy rule reports. Findings are data: `flagops validate` turns them into
 * `path:line:col: error: …` lines, the plan attaches them to the targets they concern.
 */
import type { Diagnostic, SourcePosition, Target } from '../model/types.ts';

export type PolicyRule =
  | 'prerequisite'
  | 'promotion-order'
  | 'max-increase'
  | 'ladder'
  | 'freeze-window'
  | 'dwell'
  | 'acceptance';

/** `info` findings are notes (e.g. "dwell not checked"); they never fail a change. */
export type FindingSeverity = 'error' | 'warning' | 'info';

export interface PolicyFinding {
  rule: PolicyRule;
  severity: FindingSeverity;
  /** Target ids (`application/environment/profile`) the finding concerns; the first is where it points. */
  targets: string[];
  flag?: string;
  attribute?: string;
  /** What is wrong and what to do instead. */
  message: string;
  /** The offending value in head, so editors and annotations land on the exact line. */
  position: SourcePosition;
}

/** Identifies one deployable target without carrying its values. */
export interface TargetRef {
  application: string;
  environment: string;
  profile: string;
}

/**
 * Tells the dwell rule what the bake records say about the step a target runs now (the content the
 * change's base compiles to). Bakes record their verdicts; policy only asks.
 */
export interface DwellProvider {
  /** Undefined: no records can be read here (the rule then only notes it could not check). */
  currentStep(target: TargetRef): CurrentStep | undefined;
}

export type BakeVerdictName = 'healthy' | 'breached' | 'unverified' | 'no-data';

export type CurrentStep =
  /** No bake of the current step is recorded (none at all, or only of other content). */
  | { recorded: false; why: string }
  /** The newest record of the current step: its verdict, and since when the step served everyone. */
  | { recorded: true; verdict: BakeVerdictName; since: Date; deployment: number };

/**
 * The position of `flag.attribute` (or `flag`) in a values file, falling back to the flag, then the
 * document, then the first line of the file — a finding always points somewhere a person can open.
 */
export function positionOf(target: Target, flag?: string, attribute?: string): SourcePosition {
  const keys: string[] = [];
  if (flag !== undefined && attribute !== undefined) keys.push(`${flag}.${attribute}`);
  if (flag !== undefined) keys.push(flag);
  keys.push('');
  for (const key of keys) {
    const position = target.locations[key];
    if (position) return position;
  }
  return { file: target.file, line: 1, column: 1 };
}

/**
 * A finding as a model diagnostic. Diagnostics know only errors and warnings, so an `info` note
 * becomes a warning here; callers that print diagnostics usually drop notes first (see `isNote`).
 */
export function findingToDiagnostic(finding: PolicyFinding): Diagnostic {
  return {
    severity: finding.severity === 'error' ? 'error' : 'warning',
    message: finding.message,
    position: finding.position,
    code: `policy/${finding.rule}`,
  };
}

export function isNote(finding: PolicyFinding): boolean {
  return finding.severity === 'info';
}

export function hasErrors(findings: readonly PolicyFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
