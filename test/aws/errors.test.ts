import { describe, expect, it } from 'vitest';
import { scaledRetryStrategy } from '../../src/aws/config.ts';
import { toAwsProblem } from '../../src/aws/errors.ts';

describe('toAwsProblem', () => {
  it('maps network failures and refusals to exit 3 with a hint, request faults to exit 1', () => {
    const reset = toAwsProblem(
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      'reading deployment 3',
    );
    expect(reset.kind).toBe('unreachable');
    expect(reset.exitCode).toBe(3);
    expect(reset.message).toMatch(/could not reach AWS while reading deployment 3 .*AWS_ENDPOINT_URL/);

    const denied = toAwsProblem(
      { name: 'AccessDeniedException', message: 'no', $metadata: { httpStatusCode: 403 } },
      'listing applications',
    );
    expect([denied.kind, denied.exitCode]).toEqual(['refused', 3]);

    const conflict = toAwsProblem(
      { name: 'ConflictException', message: 'in flight', $metadata: { httpStatusCode: 409 } },
      'starting',
    );
    expect([conflict.kind, conflict.exitCode]).toEqual(['conflict', 1]);

    const missing = toAwsProblem(
      { name: 'ResourceNotFoundException', message: 'x', $metadata: { httpStatusCode: 404 } },
      'reading',
    );
    expect(missing.message).toMatch(/flagops bootstrap/);
  });
});

describe('scaledRetryStrategy', () => {
  it('scales standard backoff to the base delay and stops at max attempts or client errors', async () => {
    const s = scaledRetryStrategy(3, 1, () => 1);
    const t0 = await s.acquireInitialRetryToken('');
    const t1 = await s.refreshRetryTokenForRetry(t0, { errorType: 'THROTTLING' } as never);
    expect(t1.getRetryDelay()).toBe(10); // 500 ms × 2, scaled by 1 ms / 100 ms
    const t2 = await s.refreshRetryTokenForRetry(t1, { errorType: 'TRANSIENT' } as never);
    expect(t2.getRetryCount()).toBe(2);
    await expect(s.refreshRetryTokenForRetry(t2, { errorType: 'TRANSIENT' } as never)).rejects.toThrow();
    await expect(s.refreshRetryTokenForRetry(t0, { errorType: 'CLIENT_ERROR' } as never)).rejects.toThrow();
  });
});
