/**
 * The plan of a change: what `flagops plan` prints and the pull-request comment shows. `renderJson`
 * emits exactly this shape; `version` changes only when a field is removed or changes meaning.
 */
import type { Diagnostic, ProfileType } from '../model/types.ts';
import type { ApprovalRequirement, PolicyFinding } from '../policy/index.ts';

export const PLAN_VERSION = 1;

export type Verdict = 'pass' | 'fail';

/**
 * One changed value. `before`/`after` are absent when the value does not exist on that side (flag
 * added or removed, target new or gone). `direction` says whether exposure rises (`up`), falls
 * (`down`) or neither can be told (`other`: strings, freeform settings).
 */
export interface ValueChange {
  kind: 'flag-added' | 'flag-removed' | 'enabled' | 'attribute' | 'path';
  /** Feature-flag profiles. */
  flag?: string;
  /** `enabled` for the switch itself, else the attribute name. */
  attribute?: string;
  /** Freeform profiles: the JSON path of the value, e.g. `providers.next`. */
  path?: string;
  before?: unknown;
  after?: unknown;
  direction: 'up' | 'down' | 'other';
}

export interface StrategySummary {
  name: string;
  /** False when the name is neither in `strategies:` nor a known predefined `AppConfig.*` strategy. */
  known: boolean;
  growthType?: 'LINEAR' | 'EXPONENTIAL';
  growthFactor?: number;
  durationMinutes?: number;
  finalBakeMinutes?: number;
}

export interface GuardSummary {
  name: string;
  description?: string;
  /** e.g. `100 * errors / requests > 5 %` */
  breachWhen: string;
  consecutive: number;
  periodSeconds: number;
  /** A comparative guard's rule in one sentence, shown instead of `breachWhen` (which it has no use for). */
  comparative?: string;
}

export interface RolloutSummary {
  strategy: StrategySummary;
  /** Our own bake after AppConfig finishes, watching guards and alarms. */
  bakeMinutes: number;
  /** Deployment + AppConfig final bake + our bake, when the strategy is known. */
  totalMinutes?: number;
  guards: GuardSummary[];
  /** Guard names the environment lists that `guards:` does not define. */
  unknownGuards: string[];
  alarms: string[];
}

export interface TargetPlan {
  id: string;
  application: string;
  environment: string;
  profile: string;
  profileType: ProfileType;
  file: string;
  status: 'added' | 'changed' | 'removed';
  changes: ValueChange[];
  findings: PolicyFinding[];
  /** Absent for removed targets and for environments app.yaml does not define. */
  rollout?: RolloutSummary;
  /** What happens when a guard or alarm breaches after this deploys. */
  onBreach: string;
}

export interface ApplicationApprovals extends ApprovalRequirement {
  application: string;
}

export interface Plan {
  version: typeof PLAN_VERSION;
  /** What head is compared with, e.g. `origin/main`. */
  baseLabel: string;
  /** The instant the time-dependent rules (freeze windows, dwell) were judged at, ISO-8601 UTC. */
  checkedAt: string;
  verdict: Verdict;
  /** Error counts behind the verdict. */
  summary: { targets: number; errors: number; warnings: number; notes: number };
  targets: TargetPlan[];
  /** Per application touched: approvals for the whole change (by base's policy). */
  approvals: ApplicationApprovals[];
  /** Rules head changes (policy, approvals, flag definitions): shown, but judged by base's. */
  policyChanges: { application: string; changes: string[] }[];
  /** Findings that concern no changed target (e.g. an old violation elsewhere, as a warning). */
  otherFindings: PolicyFinding[];
  /** Problems loading head (schema, values); any error fails the plan. */
  diagnostics: Diagnostic[];
}
