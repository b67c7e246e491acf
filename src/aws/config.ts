/**
 * Settings shared by every AWS client flagops makes: the standard credential chain and endpoint
 * resolution (the SDK itself reads AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL…), standard retries,
 * and a user agent naming flagops. Tests pass an explicit endpoint and dummy credentials.
 */
import type { AppConfigClientConfig } from '@aws-sdk/client-appconfig';
import packageJson from '../../package.json' with { type: 'json' };

export interface AwsOptions {
  region?: string;
  /** Overrides AWS_ENDPOINT_URL (tests point this at a local endpoint). */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per call including the first (default 5: the pipeline must survive throttling). */
  maxAttempts?: number;
  /**
   * The retry backoff's base delay in milliseconds (FLAGOPS_AWS_RETRY_BASE_DELAY_MS). Unset: the
   * SDK's standard backoff (100 ms, 500 ms when throttled, doubling, capped at 20 s). Set, the same
   * curve scaled to this base: an endpoint that answers faster than AWS (a local emulator, a clock
   * that runs fast) is retried sooner.
   */
  retryBaseDelayMs?: number;
}

/** The SDK's standard-mode base delay; a configured base scales the whole curve by base / this. */
export const STANDARD_RETRY_BASE_MS = 100;

export const USER_AGENT = `flagops/${packageJson.version}`;

type RetryStrategy = Extract<
  NonNullable<AppConfigClientConfig['retryStrategy']>,
  { acquireInitialRetryToken: unknown }
>;

/** The subset of client configuration every flagops client uses (structurally valid for each). */
export function clientConfig(options: AwsOptions, overrides: { maxAttempts?: number } = {}) {
  const maxAttempts = overrides.maxAttempts ?? options.maxAttempts ?? 5;
  const base = options.retryBaseDelayMs;
  return {
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    retryMode: 'standard',
    maxAttempts,
    customUserAgent: USER_AGENT,
    ...(base !== undefined ? { retryStrategy: scaledRetryStrategy(maxAttempts, base) } : {}),
  } as const;
}

/**
 * Standard-mode backoff (exponential with full jitter; 0.5 s base for throttling, 0.1 s otherwise,
 * capped at 20 s), scaled by `baseDelayMs / 100`. Client errors are not retried.
 */
export function scaledRetryStrategy(
  maxAttempts: number,
  baseDelayMs: number,
  random: () => number = Math.random,
): RetryStrategy {
  const token = (count: number, delay: number) => ({
    getRetryCount: () => count,
    getRetryDelay: () => delay,
  });
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous, info) => {
      const next = previous.getRetryCount() + 1;
      if (next >= maxAttempts || info.errorType === 'CLIENT_ERROR') throw new Error('no more retries');
      const base = info.errorType === 'THROTTLING' ? 500 : 100;
      const scale = baseDelayMs / STANDARD_RETRY_BASE_MS;
      const delay = random() * Math.min(20_000, base * 2 ** next) * scale;
      return token(next, delay);
    },
    recordSuccess: () => {},
  };
}
