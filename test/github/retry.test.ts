import { describe, expect, it } from 'vitest';
import { type RetryPolicy, retryDelay } from '../../src/github/retry.ts';

const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 60_000 };
const NOW = 1_700_000_000_000;

describe('retryDelay', () => {
  it('backs off exponentially on server errors', () => {
    expect([0, 1, 2].map((a) => retryDelay({ status: 502 }, a, policy, NOW))).toEqual([100, 200, 400]);
  });

  it('gives up after the last retry', () => {
    expect(retryDelay({ status: 503 }, 3, policy, NOW)).toBeUndefined();
  });

  it('treats a dropped connection (no status) as a server error', () => {
    expect(retryDelay({}, 0, policy, NOW)).toBe(100);
  });

  it('waits retry-after on a secondary rate limit', () => {
    expect(retryDelay({ status: 403, headers: { 'retry-after': '7' } }, 0, policy, NOW)).toBe(7000);
    expect(retryDelay({ status: 429, headers: { 'retry-after': 2 } }, 1, policy, NOW)).toBe(2000);
  });

  it('backs off on a secondary rate limit named only in the message', () => {
    const failure = { status: 403, message: 'You have exceeded a secondary rate limit.' };
    expect(retryDelay(failure, 1, policy, NOW)).toBe(200);
  });

  it('waits for a primary rate limit that resets soon, not one that resets late', () => {
    const soon = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 30) };
    const late = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 3600) };
    expect(retryDelay({ status: 403, headers: soon }, 0, policy, NOW)).toBe(30_000);
    expect(retryDelay({ status: 403, headers: late }, 0, policy, NOW)).toBeUndefined();
  });

  it('does not retry permission and validation errors', () => {
    expect(
      retryDelay({ status: 403, message: 'Resource not accessible by integration' }, 0, policy, NOW),
    ).toBe(undefined);
    expect(retryDelay({ status: 404 }, 0, policy, NOW)).toBeUndefined();
    expect(retryDelay({ status: 422 }, 0, policy, NOW)).toBeUndefined();
  });
});
