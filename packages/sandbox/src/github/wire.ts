/**
 * GitHub REST conventions the handlers share: who is calling, how errors look, timestamps, node ids
 * and Link-header pagination.
 */
import type { Reply, SandboxRequest } from '../core.ts';
import { ServiceError } from '../core.ts';

export const DOCS_URL = 'https://docs.github.com/rest';

export interface Actor {
  login: string;
  type: 'User' | 'Bot';
}

/**
 * `sandbox-user-<login>` acts as a person, `sandbox-bot-<name>` as the app `<name>[bot]`, as
 * the README's sandbox section says; anything else is refused like a revoked token.
 */
export function actorFromAuthorization(header: string | undefined): Actor | undefined {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header?.trim() ?? '');
  const token = match?.[1] ?? '';
  const user = /^sandbox-user-([A-Za-z0-9][A-Za-z0-9-]*)$/.exec(token);
  if (user?.[1]) return { login: user[1], type: 'User' };
  const bot = /^sandbox-bot-([A-Za-z0-9][A-Za-z0-9-]*)$/.exec(token);
  if (bot?.[1]) return { login: `${bot[1]}[bot]`, type: 'Bot' };
  return undefined;
}

/**
 * GitHub logins are case-insensitive: `ALICE` and `alice` are one account
 * (https://docs.github.com/en/get-started/learning-about-github/types-of-github-accounts: a
 * username is unique regardless of case). Every comparison of two logins goes through here.
 */
export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** A stable numeric id per login, so users keep their id across restarts without being stored. */
export function userId(login: string): number {
  let hash = 0x811c9dc5;
  for (const ch of login) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 1_000_000 + (hash % 90_000_000);
}

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');
}

/** GitHub's timestamps: ISO 8601, UTC, whole seconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function unauthorized(): ServiceError {
  return new ServiceError(401, 'Unauthorized', 'Bad credentials', {
    hint: 'use a token of the form sandbox-user-<login> or sandbox-bot-<name>',
  });
}

export function notFound(message = 'Not Found'): ServiceError {
  return new ServiceError(404, 'NotFound', message);
}

export interface FieldError {
  resource: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  field?: string;
  message?: string;
}

export function validationFailed(...errors: FieldError[]): ServiceError {
  return new ServiceError(422, 'ValidationFailed', 'Validation Failed', { errors });
}

/** GitHub's other 422 shape: plain sentences in `errors` (e.g. approving one's own pull request). */
export function unprocessable(...sentences: string[]): ServiceError {
  return new ServiceError(422, 'Unprocessable', 'Unprocessable Entity', { errors: sentences });
}

export function secondaryRateLimit(): ServiceError {
  return new ServiceError(
    403,
    'SecondaryRateLimit',
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  );
}

export function encodeGitHubError(err: ServiceError): Reply {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (err.code === 'SecondaryRateLimit') headers['retry-after'] = '1';
  return {
    status: err.status,
    headers,
    body: { message: err.message, ...err.extra, documentation_url: DOCS_URL, status: String(err.status) },
  };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}

export function noContent(): Reply {
  return { status: 204 };
}

/**
 * One page of a list, with the `Link` header `octokit.paginate` follows. Links are absolute on the
 * sandbox's own base URL and keep every other query parameter.
 */
export function page<T>(
  req: SandboxRequest,
  items: readonly T[],
  render: (item: T) => unknown = (i) => i,
): Reply {
  const perPage = clamp(Number(req.query.get('per_page') ?? 30) || 30, 1, 100);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const current = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  const slice = items.slice((current - 1) * perPage, current * perPage);
  const link = (n: number) => {
    const query = new URLSearchParams(req.query);
    query.set('page', String(n));
    query.set('per_page', String(perPage));
    return `<${req.baseUrl}${req.path}?${query.toString()}>`;
  };
  const links: string[] = [];
  if (current > 1) links.push(`${link(current - 1)}; rel="prev"`);
  if (current < last) links.push(`${link(current + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (current > 1) links.push(`${link(1)}; rel="first"`);
  return json(slice.map(render), 200, links.length > 0 ? { link: links.join(', ') } : {});
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(n)));
}

/** The request's JSON body as an object; GitHub answers malformed JSON with 400 "Problems parsing JSON". */
export function bodyOf(req: SandboxRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(req.body.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {
    // fall through to the same answer GitHub gives
  }
  throw new ServiceError(400, 'BadRequest', 'Problems parsing JSON');
}

export function optionalString(
  body: Record<string, unknown>,
  field: string,
  resource: string,
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw validationFailed({ resource, code: 'invalid', field, message: `${field} must be a string` });
  return value;
}

/** GitHub's longest issue, pull request and comment body, in characters. */
export const BODY_MAX_CHARACTERS = 65_536;
/** GitHub's longest commit status and deployment status description, in characters. */
export const DESCRIPTION_MAX_CHARACTERS = 140;

/**
 * `value` when it is at most `max` characters (code points, as GitHub counts), else GitHub's 422:
 * "body is too long (maximum is 65536 characters)". Comments word it their own way
 * (`unprocessable`, field `data`, "Body is …").
 */
export function withinLimit<T extends string | undefined | null>(
  value: T,
  max: number,
  resource: string,
  field: string,
): T {
  if (typeof value !== 'string' || value.length <= max || [...value].length <= max) return value;
  const message = `${field} is too long (maximum is ${max} characters)`;
  throw validationFailed(
    resource === 'IssueComment'
      ? {
          resource,
          code: 'unprocessable',
          field: 'data',
          message: message[0]!.toUpperCase() + message.slice(1),
        }
      : { resource, code: 'custom', field, message },
  );
}

export function requiredString(body: Record<string, unknown>, field: string, resource: string): string {
  const value = optionalString(body, field, resource);
  if (value === undefined || value === '') throw validationFailed({ resource, code: 'missing_field', field });
  return value;
}
