/**
 * The one place an Octokit is built. `@actions/github` reads `GITHUB_API_URL` when it is imported,
 * which is too early for tests and the CLI (a test's emulator sets it later), so the base URL is passed
 * explicitly at call time. Requests retry per `retry.ts`.
 */
import { getOctokit } from '@actions/github';
import { DEFAULT_RETRY_POLICY, type FailedResponse, type RetryPolicy, retryDelay } from './retry.ts';

export type Octokit = ReturnType<typeof getOctokit>;

export interface OctokitOptions {
  token: string;
  /** Defaults to `GITHUB_API_URL` from `env`, then the public API. */
  baseUrl?: string;
  env?: NodeJS.ProcessEnv;
  retry?: RetryPolicy;
  /** Injected so tests never wait for real. */
  sleep?: (ms: number) => Promise<void>;
}

export function apiBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
}

export function createOctokit(options: OctokitOptions): Octokit {
  const baseUrl = options.baseUrl ?? apiBaseUrl(options.env);
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const octokit = getOctokit(options.token, { baseUrl });
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const delay = retryDelay(failureOf(error), attempt, policy);
        if (delay === undefined) throw error;
        await sleep(delay);
      }
    }
  });
  return octokit;
}

function failureOf(error: unknown): FailedResponse {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as { status?: unknown; message?: unknown; response?: { headers?: unknown } };
  const failure: FailedResponse = {};
  if (typeof e.status === 'number') failure.status = e.status;
  if (typeof e.message === 'string') failure.message = e.message;
  const headers = e.response?.headers;
  if (headers && typeof headers === 'object') failure.headers = headers as FailedResponse['headers'] & object;
  return failure;
}
