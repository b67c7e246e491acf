/**
 * Settings shared by every AWS client flagops makes: the standard credential chain and endpoint
 * resolution (the SDK itself reads AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL…), standard retries,
 * and a user agent naming flagops. Tests pass an explicit endpoint and dummy credentials.
 */
import type { AppConfigClientConfig } from '@aws-sdk/client-appconfig';
import packageJson from '../../package.json' with { type: 'json' };

export interface AwsOptions {
  region?: string;
  /** Overrides AWS_ENDPOINT_URL (tests point this at the sandbox). */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per call including the first (default 5: the pipeline must survive throttling). */
  maxAttempts?: number;
  /**
   * Simulated seconds per real second. Above 1 the SDK's retry backoff is shortened by the same
   * factor, so a throttled call against a fast sandbox does not stall the simulated timeline.
   */
  clockSpeed?: number;
  /**
   * The release guard's key (FLAGOPS_RELEASE_KEY): with it, each StartDeployment of a flagops
   * label is signed for the PRE_START_DEPLOYMENT extension (src/extension/release-guard.ts).
   */
  releaseKey?: string;
}

export const USER_AGENT = `flagops/${packageJson.version}`;

type RetryStrategy = Extract<
  NonNullable<AppConfigClientConfig['retryStrategy']>,
  { acquireInitialRetryToken: unknown }
>;

/** The subset of client configuration every flagops client uses (structurally valid for each). */
export function clientConfig(options: AwsOptions, overrides: { maxAttempts?: number } = {}) {
  const maxAttempts = overrides.maxAttempts ?? options.maxAttempts ?? 5;
  const speed = options.clockSpeed ?? 1;
  return {
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    retryMode: 'standard',
    maxAttempts,
    customUserAgent: USER_AGENT,
    ...(speed > 1 ? { retryStrategy: scaledRetryStrategy(maxAttempts, speed) } : {}),
  } as const;
}

/**
 * Standard-mode backoff (exponential with full jitter; 0.5 s base for throttling, 0.1 s otherwise,
 * capped at 20 s), divided by the clock speed. Client errors are not retried.
 */
export function scaledRetryStrategy(
  maxAttempts: number,
  speed: number,
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
      const delay = (random() * Math.min(20_000, base * 2 ** next)) / speed;
      return token(next, delay);
    },
    recordSuccess: () => {},
  };
}
