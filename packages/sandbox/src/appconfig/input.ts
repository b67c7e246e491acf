/** Reading restJson1 request members, with errors that name the member and the rule it broke. */
import { badRequest } from './errors.ts';
import type { Tags } from './state.ts';

export type Body = Record<string, unknown>;

export function jsonBody(raw: Buffer): Body {
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest('request body must be a JSON object');
  return parsed as Body;
}

export function requiredString(body: Body, name: string, min: number, max: number): string {
  const v = body[name];
  if (v === undefined || v === null) throw badRequest(`${name} is required`);
  return checkString(v, name, min, max);
}

export function optionalString(body: Body, name: string, min: number, max: number): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  return checkString(v, name, min, max);
}

function checkString(v: unknown, name: string, min: number, max: number): string {
  if (typeof v !== 'string') throw badRequest(`${name} must be a string`);
  if (v.length < min || v.length > max) throw badRequest(`${name} must be ${min}–${max} characters long`);
  return v;
}

export function optionalNumber(
  body: Body,
  name: string,
  min: number,
  max: number,
  integer: boolean,
): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max)
    throw badRequest(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  return v;
}

export function requiredNumber(body: Body, name: string, min: number, max: number, integer: boolean): number {
  const v = optionalNumber(body, name, min, max, integer);
  if (v === undefined) throw badRequest(`${name} is required`);
  return v;
}

export function optionalEnum<T extends string>(
  body: Body,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw badRequest(`${name} must be one of ${allowed.join(', ')}`);
  return v as T;
}

export function tags(body: Body): Tags {
  const v = body['Tags'];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string'))
    throw badRequest('Tags must be a map of strings');
  if (Object.keys(v).length > 50) throw badRequest('Tags may hold at most 50 entries');
  return { ...(v as Tags) };
}

/** A numeric path label such as `{VersionNumber}` or `{DeploymentNumber}`. */
export function integerLabel(raw: string, name: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw badRequest(`${name} must be a whole number, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** Members that may be undefined become optional, as `exactOptionalPropertyTypes` wants them. */
export type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drop undefined members so records and JSON replies carry only what is set. */
export function defined<T extends object>(obj: T): Defined<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Defined<T>;
}
