/**
 * What every pipeline step gets injected: AWS, the clock, the reporter and the timing settings.
 */
import type { Aws } from '../aws/index.ts';
import { EXIT, Failure, type FailureCode } from '../core/failure.ts';
import type { Clock } from './clock.ts';
import type { ReleaseEvent, Reporter } from './events.ts';

export interface PipelineSettings {
  /**
   * The longest gap between two looks at guards and alarms during deploy and bake (default 30 s).
   * Looks are scheduled from the guards' periods: just after each period's data is due.
   */
  pollIntervalMs: number;
  /** How soon after a period ends its data is first read (default 1 s). */
  readDelayMs: number;
  /**
   * How late a period's data may arrive (CloudWatch ingestion): until then a period without data
   * is pending, re-read with backoff; after it, no-data. The bake's final wait is bounded by one
   * period plus this (default 120 s).
   */
  ingestionAllowanceMs: number;
  /** GetDeployment backoff while only waiting for a deployment (first and longest wait). */
  deployPollMinMs: number;
  deployPollMaxMs: number;
  /** Longest wait for another deployment in the environment to finish (default 2 h). */
  inFlightWaitMs: number;
  /** Polls that may fail in a row (network, throttling) before the step gives up. */
  toleratedPollFailures: number;
}

export const DEFAULT_SETTINGS: PipelineSettings = {
  pollIntervalMs: 30_000,
  readDelayMs: 1_000,
  ingestionAllowanceMs: 120_000,
  deployPollMinMs: 5_000,
  deployPollMaxMs: 30_000,
  inFlightWaitMs: 2 * 60 * 60_000,
  toleratedPollFailures: 6,
};

export interface PipelineContext {
  aws: Aws;
  clock: Clock;
  reporter: Reporter;
  settings: PipelineSettings;
}

export function makeContext(
  parts: Omit<PipelineContext, 'settings'> & { settings?: Partial<PipelineSettings> },
): PipelineContext {
  return { ...parts, settings: { ...DEFAULT_SETTINGS, ...parts.settings } };
}

/** Emit an event stamped with the context's clock. */
export function say(
  ctx: PipelineContext,
  target: string,
  event: DistributiveOmit<ReleaseEvent, 'at' | 'target'>,
): void {
  ctx.reporter.emit({ ...event, at: ctx.clock.now(), target } as ReleaseEvent);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A pipeline failure a person can act on, with its exit code (core/failure.ts). */
export class PipelineError extends Failure {
  constructor(message: string, exitCode: FailureCode = EXIT.failed) {
    super(message, exitCode);
    this.name = 'PipelineError';
  }
}
