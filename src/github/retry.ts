/**
 * When to retry a GitHub request, and after how long: pure, so the rules are tested without HTTP.
 *
 * Retried: server errors (5xx, and dropped connections, which Octokit reports as status 500),
 * secondary rate limits (403/429 with `retry-after`, or a 403 whose message says so) and primary
 * rate limits that reset soon. Everything else is the caller's problem and fails at once.
 * Every caller is idempotent (look up before create), so retrying a POST is safe.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff for server errors; doubles on each retry. */
  baseDelayMs: number;
  /** A rate limit that asks us to wait longer than this is reported instead of waited out. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 120_000 };

/** The parts of an Octokit `RequestError` the decision needs. */
export interface FailedResponse {
  status?: number;
  message?: string;
  headers?: Record<string, string | number | undefined>;
}

/** Milliseconds to wait before the next attempt, or undefined to give up. `attempt` counts from 0. */
export function retryDelay(
  failure: FailedResponse,
  attempt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  now: number = Date.now(),
): number | undefined {
  if (attempt >= policy.maxRetries) return undefined;
  const status = failure.status ?? 500;
  const backoff = policy.baseDelayMs * 2 ** attempt;
  if (status >= 500) return backoff;
  if (status !== 403 && status !== 429) return undefined;

  const retryAfter = headerNumber(failure.headers, 'retry-after');
  if (retryAfter !== undefined) return withinLimit(retryAfter * 1000, policy);
  if (headerNumber(failure.headers, 'x-ratelimit-remaining') === 0) {
    const reset = headerNumber(failure.headers, 'x-ratelimit-reset');
    if (reset !== undefined) return withinLimit(Math.max(0, reset * 1000 - now), policy);
  }
  if (status === 429 || /secondary rate limit/i.test(failure.message ?? '')) return backoff;
  // A plain 403 is a permission problem: waiting will not fix it.
  return undefined;
}

function withinLimit(delayMs: number, policy: RetryPolicy): number | undefined {
  return delayMs <= policy.maxDelayMs ? delayMs : undefined;
}

function headerNumber(headers: FailedResponse['headers'], name: string): number | undefined {
  const raw = headers?.[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}
