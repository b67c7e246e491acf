/**
 * Polling a deployment until it settles, with backoff on the injected clock, progress events and
 * tolerance for a few failed polls in a row (a dropped connection must not abandon a deployment).
 */
import { type DeploymentInfo, IN_FLIGHT } from '../aws/appconfig.ts';
import { AwsProblem } from '../aws/errors.ts';
import { type PipelineContext, say } from './context.ts';
import type { ResolvedTarget } from './resolve.ts';

/** Read a deployment, retrying failed polls up to the tolerated count. */
export async function pollDeployment(
  ctx: PipelineContext,
  t: ResolvedTarget,
  deploymentNumber: number,
): Promise<DeploymentInfo> {
  let failures = 0;
  for (;;) {
    try {
      return await ctx.aws.appconfig.getDeployment(t.application.id, t.environment.id, deploymentNumber);
    } catch (error) {
      failures += 1;
      if (!isTransient(error) || failures > ctx.settings.toleratedPollFailures) throw error;
      say(ctx, t.id, { kind: 'warning', message: `poll failed, retrying: ${(error as Error).message}` });
      await ctx.clock.sleep(ctx.settings.deployPollMinMs);
    }
  }
}

export function isTransient(error: unknown): boolean {
  return error instanceof AwsProblem && ['unreachable', 'throttled', 'server'].includes(error.kind);
}

export interface WaitOptions {
  /** Give up (outcome `timed-out`) after this long. */
  timeoutMs: number;
  /** Label for progress lines, e.g. `deployment 4` or `waiting for deployment 3 (app-settings)`. */
  label?: string;
}

export type WaitOutcome =
  | { settled: true; deployment: DeploymentInfo }
  | { settled: false; deployment: DeploymentInfo };

/** Poll until the deployment leaves the in-flight states or the timeout passes. */
export async function waitForDeployment(
  ctx: PipelineContext,
  t: ResolvedTarget,
  start: DeploymentInfo,
  options: WaitOptions,
): Promise<WaitOutcome> {
  const deadline = ctx.clock.now() + options.timeoutMs;
  let delay = ctx.settings.deployPollMinMs;
  let current = start;
  let seenEvents = new Set(current.events.map(eventKey));
  const progress = progressReporter(ctx, t, options.label);
  for (;;) {
    progress(current);
    if (!IN_FLIGHT.has(current.state)) return { settled: true, deployment: current };
    if (ctx.clock.now() >= deadline) return { settled: false, deployment: current };
    await ctx.clock.sleep(Math.min(delay, Math.max(0, deadline - ctx.clock.now())));
    delay = Math.min(ctx.settings.deployPollMaxMs, delay * 1.5);
    current = await pollDeployment(ctx, t, current.number);
    seenEvents = reportNewEvents(ctx, t, current, seenEvents);
  }
}

/** Say a deployment's state and percentage as a progress line, only when it changed since the last. */
export function progressReporter(
  ctx: PipelineContext,
  t: ResolvedTarget,
  label?: string,
): (d: DeploymentInfo) => void {
  let last = '';
  return (d) => {
    const line = `${label ?? `deployment ${d.number}`}: ${d.state} ${d.percentageComplete}%`;
    if (line === last) return;
    last = line;
    say(ctx, t.id, {
      kind: 'progress',
      deployment: d.number,
      state: d.state,
      percent: d.percentageComplete,
      message: line,
    });
  };
}

/** Report AppConfig's own event log entries once each (oldest first). */
export function reportNewEvents(
  ctx: PipelineContext,
  t: ResolvedTarget,
  d: DeploymentInfo,
  seen: Set<string>,
): Set<string> {
  for (const e of [...d.events].reverse()) {
    const key = eventKey(e);
    if (seen.has(key)) continue;
    seen.add(key);
    if (e.type === 'PERCENTAGE_UPDATED') continue; // Shown by the progress line already.
    say(ctx, t.id, {
      kind: e.type.startsWith('ROLLBACK') ? 'warning' : 'info',
      message: `AppConfig: ${e.type.toLowerCase().replaceAll('_', ' ')}${e.triggeredBy ? ` (${e.triggeredBy})` : ''}${e.description ? ` — ${e.description}` : ''}`,
    });
  }
  return seen;
}

function eventKey(e: { type: string; at: number; description: string }): string {
  return `${e.type}|${e.at}|${e.description}`;
}
