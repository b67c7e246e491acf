/**
 * bake(target, deployment): watch guards and alarms from the moment the deployment starts — while
 * AppConfig is still DEPLOYING and BAKING — and then for the environment's bake minutes after it
 * completes. Evidence, not the clock, ends it: at the bake's end it waits (at most one period plus
 * the ingestion allowance) for the periods that can still complete a streak or are still arriving.
 *
 * Results: `healthy` (every period the bake covers observed, or the guards' declared share);
 * `breached` (which guard or alarm, the values against the threshold — including a rollback
 * AppConfig's own monitors already made); `unverified` (some periods never observed: no rollback,
 * the job fails and says which); `no-data` (no period observed at all: too little traffic to judge).
 *
 * Looks are scheduled from the data (src/pipeline/schedule.ts): just after each period's data is
 * due, again with backoff while a period's data is late, and at least every `pollIntervalMs`.
 */
import type { DeploymentInfo } from '../aws/appconfig.ts';
import { EXIT } from '../core/failure.ts';
import { describeNotApplicable } from '../guards/applies.ts';
import {
  type AlarmReading,
  type Breach,
  describeBreach,
  describeComparisons,
  type WatchVerdict,
} from '../guards/verdict.ts';
import { type Decision, decide } from '../release/decide.ts';
import { RECORD_VERSION, type ReleaseRecord } from '../release/record.ts';
import { appConfigRollbackBreach } from './appconfig-rollback.ts';
import { type PipelineContext, PipelineError, say } from './context.ts';
import type { ResolvedTarget } from './resolve.ts';
import { nextLook } from './schedule.ts';
import { labelContentHash } from './versions.ts';
import { isTransient, pollDeployment, progressReporter, reportNewEvents } from './wait.ts';
import { type Watched, watchOnce } from './watch.ts';

export type BakeStatus = 'healthy' | 'breached' | 'no-data' | 'unverified';

export interface BakeResult {
  status: BakeStatus;
  breaches: Breach[];
  /** The last look at guards and alarms. */
  verdict?: WatchVerdict;
  /** The deployment as last seen. */
  deployment: DeploymentInfo;
  /** True when AppConfig rolled the deployment back before flagops acted. */
  rolledBackByAppConfig: boolean;
  /** Number of guard/alarm polls made (for the bench). */
  polls: number;
  /** The range the verdict covers (epoch ms): the deployment's start to the bake's end. */
  window?: { from: number; to: number };
  /** One line for people: what the bake concluded. */
  message?: string;
  /** The release record as `decide` left it when the bake ended (what the bake record stores). */
  record?: ReleaseRecord;
  /** `decide` found the next step due: wake the advancer now (src/rollout/wake.ts). */
  wakeAdvancer?: boolean;
}

export interface BakeOptions {
  watched: Watched;
  bakeMinutes: number;
}

export async function bake(
  ctx: PipelineContext,
  t: ResolvedTarget,
  start: DeploymentInfo,
  options: BakeOptions,
): Promise<BakeResult> {
  const bakeMs = options.bakeMinutes * 60_000;
  const from = start.startedAt ?? ctx.clock.now();
  let deployment = start;
  let completedAt = deployment.state === 'COMPLETE' ? (deployment.completedAt ?? ctx.clock.now()) : undefined;
  let seen = new Set<string>(deployment.events.map((e) => `${e.type}|${e.at}|${e.description}`));
  let failures = 0;
  let polls = 0;
  const progress = progressReporter(ctx, t);
  let lastAlarms: AlarmReading[] | undefined;
  let quietLooks = 0;
  let lastPending = '';

  if (completedAt !== undefined) announceBake(ctx, t, completedAt + bakeMs);
  const record = bakingRecord(t, start, from, bakeMs);

  /** Read the deployment; a result when AppConfig (its monitors) or a person already rolled it back. */
  const readDeployment = async (): Promise<BakeResult | undefined> => {
    deployment = await pollDeployment(ctx, t, deployment.number);
    seen = reportNewEvents(ctx, t, deployment, seen);
    progress(deployment);
    if (
      deployment.state === 'ROLLING_BACK' ||
      deployment.state === 'ROLLED_BACK' ||
      deployment.state === 'REVERTED'
    ) {
      // AppConfig (its alarm monitors) or a person already acted: a breach all the same.
      const verdict = await watchOnce(ctx, options.watched, { from });
      polls += 1;
      const own = appConfigRollbackBreach(deployment, ctx.clock.now());
      const breaches = [own, ...verdict.breaches];
      say(ctx, t.id, { kind: 'breach', breaches, message: `breach: ${describeBreach(own)}` });
      return { status: 'breached', breaches, verdict, deployment, rolledBackByAppConfig: true, polls };
    }
    if (deployment.state === 'COMPLETE') {
      completedAt = deployment.completedAt ?? ctx.clock.now();
      announceBake(ctx, t, completedAt + bakeMs);
    }
    return undefined;
  };

  for (;;) {
    try {
      // Two calls per poll while AppConfig is still moving too: the guards (GetMetricData) every
      // poll, so guard detection is unchanged; the deployment (GetDeployment) and the alarms
      // (DescribeAlarms) in turn, starting with the alarms (`start` is fresh). Late news of COMPLETE
      // does not lengthen the bake (it counts from AppConfig's completedAt); a rollback AppConfig made
      // is read before acting on a breach; environment monitors watch the alarms continuously anyway.
      const readNow = completedAt === undefined && polls % 2 === 1;
      if (readNow) {
        const acted = await readDeployment();
        if (acted) return acted;
      }
      const to = completedAt === undefined ? undefined : completedAt + bakeMs;
      const verdict = await watchOnce(
        ctx,
        options.watched,
        // Until AppConfig completes, every period so far is part of the rollout's ramp.
        { from, rampUntil: completedAt ?? ctx.clock.now(), ...(to !== undefined ? { to } : {}) },
        readNow && lastAlarms ? { alarms: lastAlarms } : undefined,
      );
      lastAlarms = verdict.alarms;
      polls += 1;
      failures = 0;
      const now = ctx.clock.now();
      // The decision is decide's (src/release/decide.ts): this loop only observes and acts.
      const decision = decide(
        record,
        {
          deployment: {
            state: completedAt !== undefined ? 'COMPLETE' : deployment.state,
            startedAt: from,
            ...(completedAt !== undefined ? { completedAt } : {}),
          },
          look: verdict,
          bakeMinutes: options.bakeMinutes,
        },
        now,
      );
      const error = decision.actions.find((a) => a.kind === 'error');
      if (error) throw new PipelineError(`${t.id}: ${error.message}`, EXIT.usage);
      if (decision.actions.some((a) => a.kind === 'rollback')) {
        if (completedAt === undefined && !readNow) {
          const acted = await readDeployment();
          if (acted) return acted;
        }
        say(ctx, t.id, {
          kind: 'breach',
          breaches: verdict.breaches,
          message: `breach: ${verdict.breaches.map(describeBreach).join('; ')}`,
        });
        return {
          status: 'breached',
          breaches: verdict.breaches,
          verdict,
          deployment,
          rolledBackByAppConfig: false,
          polls,
          ...(to !== undefined ? { window: { from, to } } : {}),
        };
      }

      if (decision.record.verdict !== 'pending' && to !== undefined) {
        return finishBake(ctx, t, verdict, decision, {
          deployment,
          polls,
          window: { from, to },
          bakeMinutes: options.bakeMinutes,
        });
      }
      const remainingMs = to === undefined ? bakeMs : Math.max(0, to - now);
      say(ctx, t.id, {
        kind: 'bake',
        remainingMs,
        status: verdict.status,
        message: `${to === undefined ? 'watching' : remainingMs > 0 ? `baking, ${Math.ceil(remainingMs / 1000)} s left` : 'bake time over, waiting for the last periods'}: ${summarise(verdict)}`,
      });
      const pending = pendingKey(verdict);
      quietLooks = pending !== '' && pending === lastPending ? quietLooks + 1 : 0;
      lastPending = pending;
      const next = nextLook(verdict.guards, {
        now,
        ...(to !== undefined ? { to } : {}),
        quietLooks,
        settings: ctx.settings,
        guards: options.watched.guards,
      });
      await ctx.clock.sleep(Math.max(0, next - now));
    } catch (error) {
      failures += 1;
      if (!isTransient(error) || failures > ctx.settings.toleratedPollFailures) throw error;
      say(ctx, t.id, {
        kind: 'warning',
        message: `watch poll failed, retrying: ${(error as Error).message}`,
      });
      await ctx.clock.sleep(Math.min(ctx.settings.pollIntervalMs, ctx.settings.deployPollMinMs));
    }
  }
}

/** The release record a bake decides on: pending, from the deployment's start (src/release/record.ts). */
function bakingRecord(t: ResolvedTarget, start: DeploymentInfo, from: number, bakeMs: number): ReleaseRecord {
  const version = Number(start.version);
  return {
    version: RECORD_VERSION,
    target: t.id,
    deploymentNumber: start.number,
    revision: 0,
    // Content flagops did not label has no hash to record; the bake still decides on it.
    deployed: {
      contentHash: labelContentHash(start.versionLabel) ?? '0'.repeat(16),
      ...(Number.isInteger(version) && version > 0 ? { hostedVersion: version } : {}),
    },
    bake: { from, to: from + bakeMs },
    guards: {},
    verdict: 'pending',
  };
}

function finishBake(
  ctx: PipelineContext,
  t: ResolvedTarget,
  verdict: WatchVerdict,
  decision: Decision,
  r: { deployment: DeploymentInfo; polls: number; window: { from: number; to: number }; bakeMinutes: number },
): BakeResult {
  const decided = decision.record.verdict;
  const status: BakeStatus = decided === 'healthy' || decided === 'no-data' ? decided : 'unverified';
  const na = verdict.notApplicable?.length
    ? `; not applicable to this configuration: ${describeNotApplicable(verdict.notApplicable)}`
    : '';
  // Comparisons against control never hold a bake; they say where they stand (and what they need).
  const compared = describeComparisons(verdict);
  const vs = compared ? `; compared with control: ${compared}` : '';
  const message =
    status === 'healthy'
      ? `bake complete: healthy for ${r.bakeMinutes} min, every period observed${na}${vs}`
      : status === 'no-data'
        ? `bake complete without any data to judge (${verdict.noData.join(', ') || 'no complete period'}): held, not rolled back`
        : `bake UNVERIFIED — not enough evidence to call it healthy, so nothing was rolled back and the dwell clock does not start: ${verdict.unobserved.join('; ')}`;
  say(ctx, t.id, { kind: status === 'healthy' ? 'info' : 'warning', message });
  return {
    status,
    breaches: [],
    verdict,
    deployment: r.deployment,
    rolledBackByAppConfig: false,
    polls: r.polls,
    window: r.window,
    message,
    record: decision.record,
    wakeAdvancer: decision.actions.some((a) => a.kind === 'wake-advancer'),
  };
}

/** Which periods are still pending: when it stays the same, data is late and looks back off. */
function pendingKey(v: WatchVerdict): string {
  return v.guards
    .flatMap((g) => g.periods.filter((p) => p.outcome === 'pending').map((p) => `${g.guard}@${p.end}`))
    .join(',');
}

function announceBake(ctx: PipelineContext, t: ResolvedTarget, until: number): void {
  say(ctx, t.id, {
    kind: 'info',
    message: `deployment complete; baking until ${new Date(until).toISOString()} while watching guards and alarms`,
  });
}

function summarise(v: WatchVerdict): string {
  const guards = v.guards.map((g) => {
    const last = [...g.periods].reverse().find((p) => p.outcome === 'breach' || p.outcome === 'healthy');
    const value = last?.value !== undefined ? `${Math.round(last.value * 100) / 100}${g.unit ?? ''}` : '—';
    const state = last?.outcome === 'breach' ? 'BREACHING' : last ? 'ok' : 'no data yet';
    return `${g.guard} ${value} ${state} ${g.streak}/${g.consecutive}`;
  });
  const alarming = v.alarms.filter((a) => a.state === 'ALARM' || a.state === 'INSUFFICIENT_DATA');
  const missing = v.alarms.filter((a) => a.state === undefined).length;
  const alarms = [
    ...alarming.map((a) => `alarm ${a.name} ${a.state}`),
    ...(missing > 0 ? [`${missing} alarm(s) not found`] : []),
  ];
  return [...guards, ...alarms].join(', ') || 'nothing to watch';
}
