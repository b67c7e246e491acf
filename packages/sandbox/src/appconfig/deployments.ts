/**
 * The deployment state machine, driven by simulated time:
 *
 *   VALIDATING ──(a few seconds)──▶ DEPLOYING ──(duration)──▶ BAKING ──(final bake)──▶ COMPLETE
 *        │                              │                         │
 *        └────── StopDeployment ────────┴── alarm or Stop ────────┴──▶ ROLLING_BACK ──▶ ROLLED_BACK
 *   COMPLETE ── StopDeployment with Allow-Revert within 72 h ──▶ REVERTED
 *
 * Growth: the strategy's steps (LINEAR: G, 2G, 3G…; EXPONENTIAL: G, 2G, 4G…, capped at 100) are
 * spread evenly over DeploymentDurationInMinutes. The first step applies as DEPLOYING begins and
 * each one holds for duration/steps, so the last step (100 %) is reached one interval before
 * the duration ends — e.g. Linear20PercentEvery6Minutes gives 20 % at 0, 40 % at 6 … 100 % at 24,
 * then bakes from minute 30. A zero duration goes to 100 % at once.
 *
 * Transitions are stamped with the instant they were due, not the instant a tick noticed them.
 */
import type { Deployment, DeploymentEvent, DeploymentState } from './state.ts';

export const VALIDATING_MS = 5_000;
export const ROLLING_BACK_MS = 5_000;
export const REVERT_WINDOW_MS = 72 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;

export const IN_FLIGHT: readonly DeploymentState[] = ['VALIDATING', 'DEPLOYING', 'BAKING', 'ROLLING_BACK'];

export function isInFlight(d: Deployment): boolean {
  return IN_FLIGHT.includes(d.State);
}

/** The percentages a strategy moves through, ending at 100. */
export function growthSteps(growthType: Deployment['GrowthType'], growthFactor: number): number[] {
  const steps: number[] = [];
  for (let n = 0; ; n++) {
    const raw = growthType === 'LINEAR' ? growthFactor * (n + 1) : growthFactor * 2 ** n;
    const pct = Math.min(100, Math.round(raw * 100) / 100);
    steps.push(pct);
    if (pct >= 100) return steps;
  }
}

/** PercentageComplete `elapsedMs` after DEPLOYING began. */
export function percentageAt(d: Deployment, elapsedMs: number): number {
  const steps = growthSteps(d.GrowthType, d.GrowthFactor);
  const durationMs = d.DeploymentDurationInMinutes * MINUTE_MS;
  if (durationMs === 0) return 100;
  const interval = durationMs / steps.length;
  const index = Math.min(steps.length - 1, Math.floor(Math.max(0, elapsedMs) / interval));
  return steps[index] ?? 100;
}

/** When each step after the first applies, relative to the start of DEPLOYING. */
function stepTimes(d: Deployment): Array<{ at: number; pct: number }> {
  const steps = growthSteps(d.GrowthType, d.GrowthFactor);
  const durationMs = d.DeploymentDurationInMinutes * MINUTE_MS;
  if (durationMs === 0) return [{ at: 0, pct: 100 }];
  const interval = durationMs / steps.length;
  return steps.map((pct, i) => ({ at: Math.round(i * interval), pct }));
}

function log(d: Deployment, event: Omit<DeploymentEvent, 'OccurredAt'>, at: number): void {
  d.EventLog.push({ ...event, OccurredAt: at });
}

function enter(d: Deployment, state: DeploymentState, at: number): void {
  d.State = state;
  d.phaseStartedAt = at;
}

function formatPct(pct: number): string {
  return pct.toFixed(2);
}

/**
 * Move `d` forward to `now`. `trippedAlarm` names a monitored alarm that demands a rollback right
 * now, if any; it is consulted only while DEPLOYING or BAKING, when AppConfig watches monitors.
 * Returns true when anything changed.
 */
export function advance(d: Deployment, now: number, trippedAlarm: () => string | undefined): boolean {
  const before = d.EventLog.length + d.State;
  for (;;) {
    if (d.State === 'VALIDATING') {
      const due = d.phaseStartedAt + VALIDATING_MS;
      if (due > now) break;
      enter(d, 'DEPLOYING', due);
      continue;
    }
    if (d.State === 'DEPLOYING' || d.State === 'BAKING') {
      const alarm = trippedAlarm();
      if (alarm !== undefined) {
        startRollback(d, now, 'CLOUDWATCH_ALARM', `Rollback initiated by alarm ${alarm}`);
        continue;
      }
    }
    if (d.State === 'DEPLOYING') {
      const due = d.phaseStartedAt + d.DeploymentDurationInMinutes * MINUTE_MS;
      for (const step of stepTimes(d)) {
        const at = d.phaseStartedAt + step.at;
        if (at > now || step.pct <= d.PercentageComplete) continue;
        d.PercentageComplete = step.pct;
        log(
          d,
          {
            EventType: 'PERCENTAGE_UPDATED',
            TriggeredBy: 'APPCONFIG',
            Description: `Deployment percentage updated to ${formatPct(step.pct)}`,
          },
          at,
        );
      }
      if (due > now) break;
      d.PercentageComplete = 100;
      enter(d, 'BAKING', due);
      log(
        d,
        { EventType: 'BAKE_TIME_STARTED', TriggeredBy: 'APPCONFIG', Description: 'Bake time started' },
        due,
      );
      continue;
    }
    if (d.State === 'BAKING') {
      const due = d.phaseStartedAt + d.FinalBakeTimeInMinutes * MINUTE_MS;
      if (due > now) break;
      enter(d, 'COMPLETE', due);
      d.CompletedAt = due;
      log(
        d,
        { EventType: 'DEPLOYMENT_COMPLETED', TriggeredBy: 'APPCONFIG', Description: 'Deployment completed' },
        due,
      );
      continue;
    }
    if (d.State === 'ROLLING_BACK') {
      const due = d.phaseStartedAt + ROLLING_BACK_MS;
      if (due > now) break;
      finishRollback(d, due);
      continue;
    }
    break;
  }
  return before !== d.EventLog.length + d.State;
}

function startRollback(
  d: Deployment,
  at: number,
  by: DeploymentEvent['TriggeredBy'],
  description: string,
): void {
  enter(d, 'ROLLING_BACK', at);
  log(d, { EventType: 'ROLLBACK_STARTED', TriggeredBy: by, Description: description }, at);
}

function finishRollback(d: Deployment, at: number): void {
  enter(d, 'ROLLED_BACK', at);
  d.CompletedAt = at;
  log(
    d,
    { EventType: 'ROLLBACK_COMPLETED', TriggeredBy: 'APPCONFIG', Description: 'Rollback completed' },
    at,
  );
}

export type StopOutcome = { ok: true } | { ok: false; reason: string };

/**
 * StopDeployment. In flight: rolled back at once. COMPLETE: reverted, but only with Allow-Revert,
 * within 72 h of completion and when it is the environment's latest deployment.
 */
export function stop(d: Deployment, now: number, allowRevert: boolean, isLatest: boolean): StopOutcome {
  if (d.State === 'VALIDATING' || d.State === 'DEPLOYING' || d.State === 'BAKING') {
    startRollback(d, now, 'USER', 'Rollback initiated by user');
    finishRollback(d, now);
    return { ok: true };
  }
  if (d.State === 'ROLLING_BACK') {
    finishRollback(d, now);
    return { ok: true };
  }
  if (d.State !== 'COMPLETE')
    return { ok: false, reason: `deployment ${d.DeploymentNumber} is already ${d.State}; nothing to stop` };
  if (!allowRevert)
    return {
      ok: false,
      reason: `deployment ${d.DeploymentNumber} is COMPLETE; to roll it back send Allow-Revert: true (AllowRevert)`,
    };
  if (!isLatest)
    return {
      ok: false,
      reason: `deployment ${d.DeploymentNumber} is not the environment's latest deployment; only the latest can be reverted`,
    };
  if (d.CompletedAt !== undefined && now - d.CompletedAt > REVERT_WINDOW_MS)
    return {
      ok: false,
      reason: `deployment ${d.DeploymentNumber} completed more than 72 hours ago; deploy the previous version instead`,
    };
  enter(d, 'REVERTED', now);
  d.CompletedAt = now;
  log(
    d,
    { EventType: 'REVERT_COMPLETED', TriggeredBy: 'USER', Description: 'Deployment reverted by user' },
    now,
  );
  return { ok: true };
}

/** The environment's State, which follows its latest deployment. */
export function environmentState(latest: Deployment | undefined): string {
  switch (latest?.State) {
    case 'VALIDATING':
    case 'DEPLOYING':
    case 'BAKING':
      return 'DEPLOYING';
    case 'ROLLING_BACK':
    case 'ROLLED_BACK':
    case 'REVERTED':
      return latest.State;
    default:
      return 'READY_FOR_DEPLOYMENT';
  }
}
