/**
 * The repository model: what `flags/<app>/app.yaml` and the values files mean once they are loaded
 * and validated. Everything downstream (policy, compiler, plan, pipeline) works on these types and
 * never on raw YAML.
 */
import type { TargetRef } from '../core/target.ts';

/** A place in a file, 1-based, as editors and GitHub annotations count. */
export interface SourcePosition {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning';

/** One problem found in the repository. Every check reports all problems, never only the first. */
export interface Diagnostic {
  severity: Severity;
  message: string;
  position: SourcePosition;
  /** A stable code for tooling and tests, e.g. `unknown-flag`, `yaml-duplicate-key`. */
  code: string;
}

export type ProfileType = 'AWS.AppConfig.FeatureFlags' | 'AWS.Freeform';

export interface ProfileDefinition {
  name: string;
  type: ProfileType;
  description?: string;
  /** Freeform profiles: file name in `schemas/` the values are validated against. */
  schema?: string;
}

export interface EnvironmentDefinition {
  name: string;
  description?: string;
  /** A strategy defined in `strategies:` or a predefined `AppConfig.*` id. */
  strategy: string;
  bakeMinutes: number;
  approvals: number;
  /** Approvals on an older commit than the pull request's head do not count. */
  dismissStale: boolean;
  /** When set, only these GitHub logins count as approvers for this environment. */
  reviewers?: string[];
  /** CloudWatch alarm names watched while deploying and baking (any in ALARM is a breach). */
  alarms: string[];
  /** Names of guards (see `guards:`) evaluated while deploying and baking. */
  guards: string[];
  /** The CloudWatch dashboard `flagops dashboard --apply` writes from the guards. */
  dashboard?: string;
  /** Position in the promotion order, 0 first. */
  order: number;
  /** `flagops advance` asks GitHub to merge its own step pull requests once allowed. */
  autoMerge?: boolean;
  /** Soak windows judged by `flagops watch` after a change completes (see `soakMinutesFor`). */
  soakMinutes?: Partial<SoakMinutes>;
}

/** Minutes to keep watching after a change completes, by what the change did. */
export interface SoakMinutes {
  /** Any other change. */
  default: number;
  /** A flag switched on (docs/runbook.md#phase-1: monitor 15 minutes after enabling). */
  enable: number;
  /** An attribute reached its declared maximum (docs/runbook.md#phase-3: monitor 24 hours at 100 %). */
  maximum: number;
}

export interface StrategyDefinition {
  name: string;
  description?: string;
  growthType: 'LINEAR' | 'EXPONENTIAL';
  growthFactor: number;
  durationMinutes: number;
  finalBakeMinutes: number;
}

export type Statistic = 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'SampleCount' | `p${number}`;

export interface GuardMetric {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  stat: Statistic;
  /**
   * The value a period without a datapoint takes (CloudWatch FILL), declared for a count that
   * publishes nothing when zero (e.g. `fill: 0` on an ErrorCount published only when non-zero).
   * Applied only once the period's ingestion allowance has passed: until then a missing datapoint
   * may be late, and the period is pending. Default: none (a missing datapoint is missing data).
   */
  fill?: number;
}

export type Comparison = '>' | '>=' | '<' | '<=';

export interface GuardDefinition {
  name: string;
  description?: string;
  /** Metric ids (usable in `value`) to CloudWatch metrics. */
  metrics: Record<string, GuardMetric>;
  /** Metric-math expression over the metric ids, e.g. `100 * errors / requests`. */
  value: string;
  unit?: string;
  periodSeconds: number;
  breachWhen: { op: Comparison; threshold: number };
  /** Breaches in a row before the guard trips; a healthy period resets the count. */
  consecutive: number;
  /** Too little traffic gives `no-data` (held, never a rollback). */
  minSamples?: { metric: string; atLeast: number };
  /**
   * "N per M minutes": the value per minute summed over a sliding window of this many minutes,
   * judged every minute (`periodSeconds` is then 60). Undefined: one value per period.
   */
  windowMinutes?: number;
  /** The CloudWatch alarm `flagops bootstrap` compiles this guard into (managed from git). */
  alarm?: string;
  /** Share of the periods a bake covers that must be observed for `healthy` (default 1). */
  coverage?: number;
  /**
   * When the guard applies to a deployment, judged on the configuration it deploys (every condition
   * must hold): e.g. a comparison between an old and a new backend does not apply once the old one
   * carries no traffic by design. Empty or absent: always.
   */
  appliesWhen?: GuardCondition[];
  /**
   * A comparative guard (`kind: comparative`): treatment against control in the same minutes,
   * judged by the always-valid test of `src/judge/`. Its `metrics` are the four series
   * (`treatment_numerator`, … `control_denominator`) and its `value` their ratio, for display.
   */
  comparative?: ComparativeSpec;
}

export interface ComparativeSpec {
  /** `events`: a count among requests (Poisson floor); `mean`: a sum over a count. */
  measure: 'events' | 'mean';
  treatment: Record<string, string>;
  control: Record<string, string>;
  /** Harm when treatment ÷ control exceeds 1 + marginPercent / 100. */
  marginPercent: number;
  /** The rollout's false-rollback budget in percent (default 5). */
  falseAlarmPercent: number;
  /** Steps one rollout takes, each its own test (default 1). */
  steps: number;
}

/** The four metric ids of a comparative guard. */
export const COMPARATIVE_METRICS = {
  treatment: { x: 'treatment_numerator', y: 'treatment_denominator' },
  control: { x: 'control_numerator', y: 'control_denominator' },
} as const;

/** `{ flag, when }` as in `requires`: the flag is enabled and, with `when`, its attribute meets it. */
export type GuardCondition = Prerequisite;

/** One row of `flagops verify`: a value over the whole window and the condition it must meet. */
export interface AcceptanceCriterion {
  name: string;
  description?: string;
  backend?: string;
  metrics: Record<string, GuardMetric>;
  value: string;
  unit?: string;
  passWhen: { op: Comparison; threshold: number };
  minSamples?: { metric: string; atLeast: number };
  /** False: a window without enough data is n/a, not a failure. */
  required: boolean;
  /**
   * A comparative guard (`guard: NAME`) judged over the window instead of `metrics`/`value`: PASS
   * (its upper bound inside the margin) passes, HARM fails, too little traffic is no data.
   */
  guard?: string;
}

export interface AcceptanceDefinition {
  windowMinutes: number;
  maxAgeMinutes: number;
  /** Environments the gate applies to; empty = all. */
  environments: string[];
  /** The change that needs a recent passing verification: `flag.attribute` rising to `value`. */
  requiredFor: { key: string; flag: string; attribute: string; value: number };
  criteria: Record<string, AcceptanceCriterion>;
}

export interface AttributeDefinition {
  name: string;
  description?: string;
  type: 'number' | 'string' | 'boolean' | 'array';
  required: boolean;
  minimum?: number;
  maximum?: number;
  enum?: Array<string | number>;
  pattern?: string;
  /** For arrays: the element constraints. */
  elements?: {
    type: 'number' | 'string';
    minimum?: number;
    maximum?: number;
    enum?: Array<string | number>;
    pattern?: string;
  };
}

/** `when: percentage > 0`: the prerequisite applies only while the condition holds. */
export interface Condition {
  attribute: string;
  op: Comparison | '==' | '!=';
  value: number;
}

export interface Prerequisite {
  flag: string;
  when?: Condition;
}

export interface FlagDefinition {
  name: string;
  description?: string;
  attributes: Record<string, AttributeDefinition>;
  requires: Prerequisite[];
}

export interface FreezeWindow {
  name: string;
  /** Empty = every environment. */
  environments: string[];
  /** ISO-8601 instants in UTC. */
  start: string;
  end: string;
}

export interface NumericRule {
  /** `flag.attribute` */
  key: string;
  flag: string;
  attribute: string;
  maxIncrease?: number;
  ladder?: number[];
}

export interface PolicyDefinition {
  promotionOrder: boolean;
  numeric: NumericRule[];
  /** Minutes a step must have baked healthy before the next increase, per environment. */
  dwellMinutes: Record<string, number>;
  freezeWindows: FreezeWindow[];
  revertApprovals: number;
}

export interface Application {
  name: string;
  /** Where each part of app.yaml sits, by dotted path (e.g. `environments.production.approvals`). */
  locations: Record<string, SourcePosition>;
  description?: string;
  /** Directory of the application relative to the repo root, e.g. `flags/ons-data-platform-app`. */
  dir: string;
  profiles: Record<string, ProfileDefinition>;
  /** In promotion order. */
  environments: EnvironmentDefinition[];
  strategies: Record<string, StrategyDefinition>;
  guards: Record<string, GuardDefinition>;
  policy: PolicyDefinition;
  flags: Record<string, FlagDefinition>;
  /** `acceptance:`, checked by `flagops verify`; absent: no acceptance gate. */
  acceptance?: AcceptanceDefinition;
  /** `commands:`, the application's own shorthands for `flagops set` and `flagops rollout`. */
  commands?: Record<string, CommandPreset>;
}

/**
 * A command an application declares in `commands:` (docs/reference.md#commands): either a list of
 * `flagops set` assignments whose values may be `$option` placeholders, or a `flagops rollout` of one
 * number attribute.
 */
export type CommandPreset =
  | { name: string; summary?: string; kind: 'set'; assignments: string[] }
  | { name: string; summary?: string; kind: 'rollout'; rollout: string };

/** The value of one flag in one environment, as the values file says. */
export interface FlagValue {
  enabled: boolean;
  attributes: Record<string, unknown>;
}

/** One deployable unit: application × environment × profile. */
export interface Target extends TargetRef {
  /** Values file relative to the repo root. */
  file: string;
  profileType: ProfileType;
  /** Feature-flag profiles: flag name → value (in file order). */
  flags?: Record<string, FlagValue>;
  /** Freeform profiles: the data as parsed. */
  data?: unknown;
  /**
   * Where each value sits in the values file, by dotted path: `''` (the document), `FLAG`,
   * `FLAG.enabled`, `FLAG.ATTRIBUTE`. Policy and plan point diagnostics here.
   */
  locations: Record<string, SourcePosition>;
  /** Feature-flag profiles: the `_rollout:` plan written by `flagops rollout`, if any. */
  rollout?: RolloutPlan;
}

/** Raise `flag.attribute` by `step` every `waitMinutes` until it reaches `target`. */
export interface RolloutPlan {
  flag: string;
  attribute: string;
  target: number;
  step: number;
  waitMinutes: number;
}

/** A whole repository, loaded. `diagnostics` holds every problem found while loading. */
export interface Repository {
  root: string;
  applications: Record<string, Application>;
  targets: Target[];
  diagnostics: Diagnostic[];
}

// Targets are named in one place for every layer; re-exported here for the model's own users.
export { targetId } from '../core/target.ts';
