/**
 * The AWS retry settings any user can give flagops (README, "Environment"): how many attempts a call
 * gets and the backoff's base delay. An emulator that runs its clock fast sets a small base; so may
 * anyone whose endpoint answers faster than AWS.
 */
import { describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/aws/config.ts';
import { awsOptionsFromEnvironment } from '../../src/runtime/env.ts';

describe('FLAGOPS_AWS_MAX_ATTEMPTS and FLAGOPS_AWS_RETRY_BASE_DELAY_MS', () => {
  it("leave the SDK's standard retries alone when unset", () => {
    const options = awsOptionsFromEnvironment({ AWS_REGION: 'eu-west-2' });
    expect(options).toEqual({ region: 'eu-west-2' });
    const config = clientConfig(options);
    expect(config.maxAttempts).toBe(5);
    expect('retryStrategy' in config).toBe(false);
  });

  it('set the attempts and scale the backoff to the base delay', async () => {
    const options = awsOptionsFromEnvironment({
      FLAGOPS_AWS_MAX_ATTEMPTS: '3',
      FLAGOPS_AWS_RETRY_BASE_DELAY_MS: '10',
    });
    expect(options).toEqual({ maxAttempts: 3, retryBaseDelayMs: 10 });
    const config = clientConfig(options) as { maxAttempts: number; retryStrategy?: unknown };
    expect(config.maxAttempts).toBe(3);
    const strategy = config.retryStrategy as {
      acquireInitialRetryToken(scope: string): Promise<{ getRetryDelay(): number }>;
      refreshRetryTokenForRetry(
        token: unknown,
        info: { errorType: string },
      ): Promise<{ getRetryDelay(): number }>;
    };
    const first = await strategy.acquireInitialRetryToken('');
    const retry = await strategy.refreshRetryTokenForRetry(first, { errorType: 'THROTTLING' });
    // Standard throttling backoff for the first retry is at most 500 ms × 2; a 10 ms base is a tenth.
    expect(retry.getRetryDelay()).toBeLessThanOrEqual(100);
  });

  it('refuse nonsense, naming the variable and what it takes', () => {
    expect(() => awsOptionsFromEnvironment({ FLAGOPS_AWS_MAX_ATTEMPTS: 'many' })).toThrow(
      /FLAGOPS_AWS_MAX_ATTEMPTS must be a positive number \(a whole number of attempts, e\.g\. 5\), got "many"/,
    );
    expect(() => awsOptionsFromEnvironment({ FLAGOPS_AWS_MAX_ATTEMPTS: '2.5' })).toThrow(/whole number/);
    expect(() => awsOptionsFromEnvironment({ FLAGOPS_AWS_RETRY_BASE_DELAY_MS: '-1' })).toThrow(
      /FLAGOPS_AWS_RETRY_BASE_DELAY_MS must be a positive number/,
    );
  });
});
