/**
 * One verdict from everything watched for a target: guard reports and alarm states. Pure.
 * Any tripped guard or any watched alarm in ALARM is a breach. Otherwise, until every guard is
 * settled the verdict is `pending`; then `healthy` only when every guard is healthy and every
 * watched alarm exists; `no-data` when no guard observed a single period; `unverified` when some
 * evidence is missing (a guard below its coverage, or a watched alarm that is gone). Neither of the
 * last two ever rolls back.
 */
import type { NotApplicable } from './applies.ts';
import { describeComparison } from './comparative.ts';
import { describePeriods } from './evaluate.ts';
import type { ComparisonReading, GuardReport, PeriodReading } from './report.ts';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmReading {
  name: string;
  /** Undefined when CloudWatch has no alarm of that name. */
  state?: AlarmState;
  reason?: string;
}

export type Breach =
  | {
      kind: 'guard';
      guard: string;
      breachWhen: GuardReport['breachWhen'];
      unit?: string;
      consecutive: number;
      periods: PeriodReading[];
      /** Epoch ms at which the breach became visible (end of the last breaching period). */
      at: number;
      /** A comparative guard's HARM: the estimate against control, with its interval. */
      comparison?: ComparisonReading;
    }
  | { kind: 'alarm'; alarm: string; reason?: string; at: number }
  | {
      kind: 'appconfig-rollback';
      deploymentNumber: number;
      triggeredBy: string;
      description: string;
      at: number;
    };

export type WatchStatus = 'healthy' | 'breached' | 'no-data' | 'unverified' | 'pending';

export interface WatchVerdict {
  status: WatchStatus;
  breaches: Breach[];
  guards: GuardReport[];
  alarms: AlarmReading[];
  /** Guards without a usable period, and alarms CloudWatch does not know. */
  noData: string[];
  /** What evidence is missing, one line per guard or alarm (empty when healthy or breached). */
  unobserved: string[];
  /** True once more data cannot change the verdict. */
  settled: boolean;
  /** Guards that do not apply to the deployed configuration (never judged, never owed). */
  notApplicable?: NotApplicable[];
}

export function verdictOf(guards: GuardReport[], alarms: AlarmReading[], now: number): WatchVerdict {
  const breaches: Breach[] = [];
  for (const g of guards) {
    if (g.status !== 'breached') continue;
    breaches.push({
      kind: 'guard',
      guard: g.guard,
      breachWhen: g.breachWhen,
      ...(g.unit !== undefined ? { unit: g.unit } : {}),
      consecutive: g.consecutive,
      periods: g.evidence ?? [],
      at: g.trippedAt ?? now,
      ...(g.comparison ? { comparison: g.comparison } : {}),
    });
  }
  for (const a of alarms) {
    if (a.state === 'ALARM')
      breaches.push({ kind: 'alarm', alarm: a.name, ...(a.reason ? { reason: a.reason } : {}), at: now });
  }
  // Comparative guards only ever add a breach (HARM): the threshold guards carry the evidence rule.
  const evidence = guards.filter((g) => g.comparison === undefined);
  const noData = [...evidence.filter((g) => g.status === 'no-data').map((g) => g.guard)];
  const missingAlarms = alarms.filter((a) => a.state === undefined).map((a) => `alarm ${a.name} (not found)`);
  const settled = breaches.length > 0 || guards.every((g) => g.settled);
  const unobserved = [
    ...evidence
      .filter((g) => g.status === 'no-data' || g.status === 'unverified')
      .map(
        (g) =>
          `${g.guard}: ${g.observed} of ${g.required} period(s) observed (needs ${Math.ceil(g.coverage * g.required - 1e-9)}); never observed: ${describePeriods(g.unobserved)}`,
      ),
    ...missingAlarms,
  ];
  const status: WatchStatus =
    breaches.length > 0
      ? 'breached'
      : !settled
        ? 'pending'
        : evidence.length > 0 && evidence.every((g) => g.status === 'no-data')
          ? 'no-data'
          : unobserved.length > 0
            ? 'unverified'
            : 'healthy';
  return { status, breaches, guards, alarms, noData: [...noData, ...missingAlarms], unobserved, settled };
}

/** A breach in one line: what tripped, by how much, against which threshold. */
export function describeBreach(b: Breach): string {
  switch (b.kind) {
    case 'guard': {
      if (b.comparison) return `guard ${b.guard}: ${describeComparison(b.comparison)}`;
      const unit = b.unit ? (b.unit === '%' ? ' %' : ` ${b.unit}`) : '';
      const values = b.periods.map((p) => `${fmt(p.value)}${unit}`).join(', ');
      return `guard ${b.guard}: ${values} ${b.breachWhen.op} ${b.breachWhen.threshold}${unit} for ${b.consecutive} consecutive period(s)`;
    }
    case 'alarm':
      return `alarm ${b.alarm} is in ALARM${b.reason ? `: ${b.reason}` : ''}`;
    case 'appconfig-rollback':
      return `AppConfig rolled back deployment ${b.deploymentNumber} itself (${b.triggeredBy}): ${b.description}`;
  }
}

function fmt(v: number | undefined): string {
  return v === undefined ? '—' : String(Math.round(v * 100) / 100);
}

/** The comparative guards' standing, one clause each (empty without any): for bake and soak summaries. */
export function describeComparisons(v: WatchVerdict): string {
  const compared = v.guards.filter((g) => g.comparison !== undefined && g.status !== 'breached');
  return compared
    .map((g) => `${g.guard}: ${describeComparison(g.comparison as ComparisonReading)}`)
    .join('; ');
}
