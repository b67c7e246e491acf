/**
 * What a guard's evaluation reports: each period's reading, the guard's status and verdict over a
 * range, and a comparative guard's comparison. Plain types shared by the threshold evaluation
 * (evaluate.ts), the comparative one (comparative.ts) and everything that reads their reports.
 */
import type { emptyState, JudgeVerdict } from '../judge/compare.ts';
import type { Comparison } from '../model/types.ts';

export type PeriodOutcome = 'breach' | 'healthy' | 'no-data' | 'pending';

export interface PeriodReading {
  /** Epoch ms at which the period (for a window guard: the window) starts. */
  start: number;
  end: number;
  value?: number;
  samples?: number;
  outcome: PeriodOutcome;
  /** No-data because the gate's datapoint arrived below the gate (too little traffic, not missing). */
  gated?: boolean;
}

export type GuardStatus = 'healthy' | 'breached' | 'no-data' | 'unverified' | 'pending';

export interface GuardReport {
  guard: string;
  /** `pending` until the range is settled (or the guard trips). */
  status: GuardStatus;
  /** True once more data cannot change the verdict over the range. */
  settled: boolean;
  breachWhen: { op: Comparison; threshold: number };
  unit?: string;
  consecutive: number;
  /** Breaching periods in a row at the newest judged period (or when it tripped). */
  streak: number;
  minSamples?: { metric: string; atLeast: number };
  windowMinutes?: number;
  /** Every period judged or pending so far, oldest first. */
  periods: PeriodReading[];
  /** Periods ending in (from, to]: how many there are, how many were observed (judged on data). */
  required: number;
  observed: number;
  /** The share of `required` that must be observed. */
  coverage: number;
  /** Required periods that ended as no-data (never observed). */
  unobserved: PeriodReading[];
  /** When the guard tripped: the end of the period that completed the streak (epoch ms). */
  trippedAt?: number;
  /** The periods that made up the streak that tripped it. */
  evidence?: PeriodReading[];
  /** A comparative guard's verdict: estimate, interval, what is still needed, its sums. */
  comparison?: ComparisonReading;
}

export interface EvaluationRange {
  /** When watching began (usually the deployment's start); periods ending at or before it are skipped. */
  from: number;
  /** The end of the range the verdict must cover (the bake's end); default: never settled. */
  to?: number;
  /** The current instant on the metrics' clock. */
  now: number;
  /** How late a period's data may arrive before the period counts as no-data (default 0). */
  allowanceMs?: number;
  /**
   * Until when AppConfig was still rolling the deployment out (its completion; default: `from`).
   * A period that began before then and is below the sample gate is not owed: the canary serves a
   * share of the step's traffic by design. It still never breaches on too few samples.
   */
  rampUntil?: number;
}

export interface ComparisonReading extends JudgeVerdict {
  /** Harm when the ratio exceeds this (1 + margin). */
  limit: number;
  /** The level of this one test (the rollout's budget split). */
  alpha: number;
  /** The judge's accumulated sums (JSON): what a release record can carry between jobs. */
  state: ReturnType<typeof emptyState>;
}
