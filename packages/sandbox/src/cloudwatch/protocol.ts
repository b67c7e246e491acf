/**
 * CloudWatch's wire protocol as the v3 SDK speaks it since late 2025: AWS JSON 1.0 with query
 * compatibility. Requests are `POST /` with `x-amz-target: GraniteServiceVersion20100801.<Op>` and a
 * PascalCase JSON body; timestamps travel as epoch-seconds numbers. Errors carry the old Query code
 * in `x-amzn-query-error`, which the SDK prefers when it picks the error class.
 */
import { type Reply, ServiceError } from '../core.ts';
import { errorShape } from './model.ts';

export const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

export function jsonReply(body: unknown): Reply {
  return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body };
}

/**
 * The error as JSON 1.0 with query compatibility: `__type` names the Smithy shape the operation
 * declares for the Query code, and `x-amzn-query-error` carries `code;Sender|Receiver`.
 */
export function encodeError(err: ServiceError, operation: string): Reply {
  const e = cloudWatchError(err);
  const sender = e.status >= 500 ? 'Receiver' : 'Sender';
  const shapeName = errorShape(operation, e.code) ?? UNMODELLED_SHAPES[e.code] ?? e.code;
  return {
    status: e.status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-query-error': `${e.code};${sender}` },
    body: { __type: `com.amazonaws.cloudwatch#${shapeName}`, message: e.message, ...e.extra },
  };
}

/** Codes CloudWatch returns that the model declares nowhere, under the class names the SDK gives them. */
const UNMODELLED_SHAPES: Record<string, string> = { ValidationError: 'ValidationException' };

/** The server's generic failures under the names CloudWatch gives them. */
export function cloudWatchError(err: ServiceError): ServiceError {
  if (err.code === 'InternalServerException')
    return new ServiceError(500, 'InternalServiceError', err.message, err.extra);
  return err;
}

/** The body as JSON; a gzipped one (the SDK gzips PutMetricData above 10 KB) the server inflated. */
export function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ServiceError(400, 'SerializationException', 'request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ServiceError(400, 'SerializationException', 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

// ---- Errors, named by their Query codes ----

export const invalidParameter = (message: string): ServiceError =>
  new ServiceError(400, 'InvalidParameterValue', message);
export const missingParameter = (name: string): ServiceError =>
  new ServiceError(400, 'MissingParameter', `The parameter ${name} is required.`);
export const invalidCombination = (message: string): ServiceError =>
  new ServiceError(400, 'InvalidParameterCombination', message);
export const validationError = (message: string): ServiceError =>
  new ServiceError(400, 'ValidationError', message);
export const resourceNotFound = (message: string): ServiceError =>
  new ServiceError(404, 'ResourceNotFound', message);
export const invalidNextToken = (): ServiceError =>
  new ServiceError(
    400,
    'InvalidNextToken',
    'The service returned an invalid NextToken; start again without one.',
  );
export const invalidFormat = (message: string): ServiceError =>
  new ServiceError(400, 'InvalidFormat', message);
export const throttling = (): ServiceError => new ServiceError(400, 'Throttling', 'Rate exceeded');

// ---- Reading input members (the SDK validates types loosely, so the sandbox checks) ----

export type Input = Record<string, unknown>;

export function optionalString(input: Input, name: string, path = name): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParameter(`The value for parameter ${path} must be a string.`);
  return v;
}

export function requiredString(input: Input, name: string, path = name): string {
  const v = optionalString(input, name, path);
  if (v === undefined || v === '') throw missingParameter(path);
  return v;
}

/** Doubles may arrive as the strings "NaN"/"Infinity" (Smithy JSON); those are rejected. */
export function optionalNumber(input: Input, name: string, path = name): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw invalidParameter(
      `The value ${String(v)} for parameter ${path} is invalid: it must be a finite number.`,
    );
  }
  return v;
}

export function requiredNumber(input: Input, name: string, path = name): number {
  const v = optionalNumber(input, name, path);
  if (v === undefined) throw missingParameter(path);
  return v;
}

export function optionalInteger(input: Input, name: string, path = name): number | undefined {
  const v = optionalNumber(input, name, path);
  if (v !== undefined && !Number.isInteger(v))
    throw invalidParameter(`The value ${v} for parameter ${path} must be an integer.`);
  return v;
}

export function optionalBoolean(input: Input, name: string, path = name): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean')
    throw invalidParameter(`The value for parameter ${path} must be true or false.`);
  return v;
}

export function optionalList(input: Input, name: string, path = name): unknown[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalidParameter(`The value for parameter ${path} must be a list.`);
  return v;
}

export function optionalStruct(input: Input, name: string, path = name): Input | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw invalidParameter(`The value for parameter ${path} must be a structure.`);
  return v as Input;
}

export function asStruct(v: unknown, path: string): Input {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalidParameter(`The value for parameter ${path} must be a structure.`);
  return v as Input;
}

export function optionalEnum<T extends string>(
  input: Input,
  name: string,
  allowed: readonly T[],
  path = name,
): T | undefined {
  const v = optionalString(input, name, path);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw invalidParameter(
      `The value ${v} for parameter ${path} is invalid; use one of ${allowed.join(', ')}.`,
    );
  }
  return v as T;
}

/** Epoch seconds (as the SDK sends) or an ISO-8601 string → epoch ms. */
export function optionalTimestamp(input: Input, name: string, path = name): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return ms;
  }
  throw invalidParameter(`The value for parameter ${path} is not a valid timestamp.`);
}

export function requiredTimestamp(input: Input, name: string, path = name): number {
  const v = optionalTimestamp(input, name, path);
  if (v === undefined) throw missingParameter(path);
  return v;
}

/** Epoch ms → what the SDK reads as a timestamp. */
export const toWireTime = (ms: number): number => ms / 1000;
