/**
 * The sandbox's small framework: the request and reply shapes every emulated service speaks, the
 * error type they throw, and the contract a service implements to be mounted on the one server.
 *
 * A service never touches sockets. It resolves a request to a named operation (so faults can be
 * injected per operation), handles it against its slice of the shared state, and encodes its own
 * errors in its own protocol (restJson1, AWS JSON 1.0 with query-compatible codes, GitHub REST).
 */
import type { SimClock } from './clock.ts';

export interface SandboxRequest {
  method: string;
  /** Path without the query string, percent-decoding left to the service. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** The server's own base URL, e.g. `http://127.0.0.1:4566`. */
  baseUrl: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string | number | undefined>;
  /** Objects are sent as JSON; strings and buffers as they are. */
  body?: unknown;
}

/** A failure a service answers with; each service encodes it in its wire protocol. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra members for the error body (e.g. `ResourceName`, `Details`, GitHub `errors`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface ResolvedOperation {
  /** The API's own operation name, e.g. `StartDeployment`, `PutMetricData`, `pulls.create`. */
  operation: string;
  handle(): Reply | Promise<Reply>;
  /**
   * Encode an error for this request, when the service speaks more than one protocol (CloudWatch:
   * JSON 1.0 and awsQuery); otherwise the service's `encodeError` is used.
   */
  encodeError?(err: ServiceError): Reply;
}

export interface Service {
  readonly name: string;
  /** Return the operation this request is for, or undefined when it is not this service's. */
  resolve(req: SandboxRequest): ResolvedOperation | undefined;
  /** Encode an error in this service's protocol. */
  encodeError(err: ServiceError, operation: string): Reply;
  /** The error this service's clients retry as throttling. */
  throttleError(operation: string): ServiceError;
  /** Advance simulated time to `now` (epoch ms). Called in small, ordered steps. */
  tick?(now: number): void;
  /** Serialisable state for `--state FILE`; `load` receives what `dump` returned. */
  dump?(): unknown;
  load?(data: unknown): void;
  /** Forget everything (POST /_sandbox/reset). */
  reset?(): void;
  /** `export` lines this service contributes to the startup banner. */
  env?(): Record<string, string>;
  /** Called once on shutdown. */
  close?(): Promise<void> | void;
}

/** What every service gets: the clock, the shared state and a way to ask for it to be saved. */
export interface ServiceContext {
  clock: SimClock;
  /** Mark state changed; the server persists it (atomically) when `--state` is set. */
  changed(): void;
}

// ---- What the services read from each other (kept narrow so each can be tested alone) ----

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** CloudWatch → AppConfig: environment monitors read alarm states. */
export interface AlarmReader {
  /** By alarm ARN or name; undefined when no such alarm exists. */
  alarmState(nameOrArn: string): AlarmStateValue | undefined;
  /** False when the alarm's actions are disabled (AppConfig then does not roll back). */
  alarmActionsEnabled(nameOrArn: string): boolean;
}

/** Scenarios → CloudWatch: publish one datum as PutMetricData would store it. */
export interface MetricSink {
  putMetric(datum: {
    namespace: string;
    name: string;
    dimensions: Record<string, string>;
    value: number;
    /** Epoch ms (simulated). */
    timestamp: number;
    unit?: string;
  }): void;
}

/** AppConfig → scenarios and AppConfigData: what an environment serves right now. */
export interface ServedConfiguration {
  /**
   * The versions an environment's clients receive, by application/environment/profile *name or id*,
   * with the share of clients receiving each (shares add up to 1; empty when nothing is deployed).
   * During a deployment at 40 % the new version has share 0.4 and the previous one 0.6.
   */
  served(
    application: string,
    environment: string,
    profile: string,
  ): Array<{
    versionNumber: number;
    versionLabel?: string;
    content: Buffer;
    contentType: string;
    share: number;
  }>;
}
