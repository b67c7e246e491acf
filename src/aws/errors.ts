/**
 * AWS failures as values a person can act on. The adapters catch every SDK error and rethrow an
 * `AwsProblem` that says what flagops was doing, what AWS answered and what to try; entry points
 * map its `exitCode` (3: unreachable or refusing, 1: the request itself was wrong).
 */
import { EXIT, Failure } from '../core/failure.ts';

export type AwsProblemKind =
  | 'unreachable'
  | 'refused'
  | 'throttled'
  | 'server'
  | 'not-found'
  | 'conflict'
  | 'invalid'
  | 'quota'
  | 'too-large';

/** AWS could not be reached or refused us (exit 3, docs/reference.md#exit-codes); else the request was at fault (1). */
const UNAVAILABLE: readonly AwsProblemKind[] = ['unreachable', 'refused', 'throttled', 'server'];

export class AwsProblem extends Failure {
  constructor(
    message: string,
    readonly kind: AwsProblemKind,
    /** The AWS error name, e.g. `ConflictException`, or the network error code. */
    readonly code: string,
  ) {
    super(message, UNAVAILABLE.includes(kind) ? EXIT.unavailable : EXIT.failed);
    this.name = 'AwsProblem';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);
const REFUSING = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'CredentialsProviderError',
]);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** Turn anything an SDK call threw into an `AwsProblem`; `doing` says what was being attempted. */
export function toAwsProblem(error: unknown, doing: string): AwsProblem {
  if (error instanceof AwsProblem) return error;
  const e = (
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  ) as SdkLikeError;
  const cause = (typeof e.cause === 'object' && e.cause !== null ? e.cause : {}) as SdkLikeError;
  const name = e.name ?? 'Error';
  const networkCode = [e.code, cause.code].find((c) => c !== undefined && NETWORK_CODES.has(c));
  const status = e.$metadata?.httpStatusCode;
  const detail = (e.message ?? '').trim() || name;

  if (networkCode || name === 'TimeoutError') {
    return new AwsProblem(
      `could not reach AWS while ${doing} (${networkCode ?? 'timeout'}). Check the network, AWS_REGION and AWS_ENDPOINT_URL, then re-run — flagops picks up where it stopped.`,
      'unreachable',
      networkCode ?? name,
    );
  }
  if (REFUSING.has(name) || status === 401 || status === 403) {
    return new AwsProblem(
      `AWS refused ${doing}: ${detail}. Check the credentials (AWS_PROFILE, the OIDC role) and that the role may call AppConfig and CloudWatch.`,
      'refused',
      name,
    );
  }
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(name) || status === 429) {
    return new AwsProblem(
      `AWS kept throttling ${doing} after retries: ${detail}. Re-run in a minute.`,
      'throttled',
      name,
    );
  }
  if (name === 'ConflictException' || status === 409) {
    return new AwsProblem(`AWS reported a conflict while ${doing}: ${detail}`, 'conflict', name);
  }
  if (name === 'ResourceNotFoundException' || name === 'ResourceNotFound' || status === 404) {
    return new AwsProblem(
      `${doing}: not found in AWS (${detail}). Run \`flagops bootstrap\` to create missing resources.`,
      'not-found',
      name,
    );
  }
  if (name === 'ServiceQuotaExceededException' || status === 402) {
    return new AwsProblem(
      `${doing}: an AppConfig quota is exhausted (${detail}). Delete unused resources or ask AWS for more.`,
      'quota',
      name,
    );
  }
  if (name === 'PayloadTooLargeException' || status === 413) {
    return new AwsProblem(
      `${doing}: the configuration is too large for AppConfig (1 MB at most): ${detail}`,
      'too-large',
      name,
    );
  }
  if (status !== undefined && status >= 500) {
    return new AwsProblem(
      `AWS failed while ${doing} (${name}, HTTP ${status}): ${detail}. Re-run; it is safe.`,
      'server',
      name,
    );
  }
  return new AwsProblem(`AWS rejected ${doing}: ${detail}`, 'invalid', name);
}

/** Run one SDK call, converting whatever it throws. */
export async function attempt<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsProblem(error, doing);
  }
}
