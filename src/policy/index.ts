export type { VerificationProvider, VerificationSummary } from './acceptance.ts';
export type { ApprovalRequirement } from './approvals.ts';
export { requiredApprovals } from './approvals.ts';
export { checkChange, risingTargets } from './check.ts';
export type { Rise } from './exposure.ts';
export { effectiveNumber, isEnabled, risesBetween } from './exposure.ts';
export type {
  CurrentStep,
  DwellProvider,
  FindingSeverity,
  PolicyFinding,
  PolicyRule,
  TargetRef,
} from './finding.ts';
export { findingToDiagnostic, hasErrors, isNote, positionOf } from './finding.ts';
export { activeFreezeWindows } from './freeze.ts';
export { checkState } from './state.ts';
export type { TransitionContext } from './transition.ts';
export { checkTransition } from './transition.ts';
