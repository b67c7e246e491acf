/**
 * Wiring the pipeline to the real world from environment variables, shared by the CLI and the
 * actions: AWS clients (the SDK's own credential chain and AWS_ENDPOINT_URL, retries tuned by
 * FLAGOPS_AWS_MAX_ATTEMPTS and FLAGOPS_AWS_RETRY_BASE_DELAY_MS), the clock (FLAGOPS_CLOCK_SPEED and
 * FLAGOPS_CLOCK_ORIGIN), and content read from git.
 */
import { type Aws, type AwsOptions, createAws } from '../aws/index.ts';
import type { CommitInfo } from '../core/commit.ts';
import { EXIT, Failure } from '../core/failure.ts';
import { commitFromGit } from '../git/commits.ts';
import { gitOutput } from '../git/run.ts';
import { loadRepository } from '../model/load.ts';
import { GitRevisionSource, WorkingTreeSource } from '../model/source.ts';
import { type Clock, clockFromEnvironment } from '../pipeline/clock.ts';
import type { ContentProvider } from '../pipeline/content.ts';

export async function runtimeFromEnvironment(
  env: Record<string, string | undefined>,
): Promise<{ aws: Aws; clock: Clock; region?: string }> {
  const clock = await clockFromEnvironment(env);
  const options = awsOptionsFromEnvironment(env);
  return { aws: createAws(options), clock, ...(options.region ? { region: options.region } : {}) };
}

/**
 * The AWS settings flagops adds to the SDK's own: FLAGOPS_AWS_MAX_ATTEMPTS (attempts per call,
 * default 5) and FLAGOPS_AWS_RETRY_BASE_DELAY_MS (the backoff's base, default the SDK's 100 ms).
 */
export function awsOptionsFromEnvironment(env: Record<string, string | undefined>): AwsOptions {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  const maxAttempts = positiveSetting(env, 'FLAGOPS_AWS_MAX_ATTEMPTS', 'a whole number of attempts, e.g. 5');
  if (maxAttempts !== undefined && !Number.isInteger(maxAttempts))
    throw new Failure(
      `FLAGOPS_AWS_MAX_ATTEMPTS must be a whole number of attempts, e.g. 5, got "${env.FLAGOPS_AWS_MAX_ATTEMPTS}"`,
      EXIT.usage,
    );
  const retryBaseDelayMs = positiveSetting(
    env,
    'FLAGOPS_AWS_RETRY_BASE_DELAY_MS',
    'milliseconds, e.g. 100 (the SDK default)',
  );
  return {
    ...(region ? { region } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    ...(retryBaseDelayMs !== undefined ? { retryBaseDelayMs } : {}),
  };
}

/** An optional positive number from the environment; a wrong one stops with the variable's name. */
function positiveSetting(
  env: Record<string, string | undefined>,
  name: string,
  expected: string,
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!(value > 0) || !Number.isFinite(value))
    throw new Failure(`${name} must be a positive number (${expected}), got "${raw}"`, EXIT.usage);
  return value;
}

/** The working tree as it is each time it is asked (the CLI). */
export function workingTreeContent(root: string): ContentProvider {
  return async () => ({ repo: loadRepository(new WorkingTreeSource(root)), commit: commitFromGit(root) });
}

/**
 * `main` as the remote has it right now (the actions): fetch, then read the files at the fetched
 * revision without touching the checkout. Falls back to the checkout when there is no remote.
 */
export function remoteBranchContent(
  root: string,
  branch = 'main',
  remote = 'origin',
  overrides: Partial<CommitInfo> = {},
): ContentProvider {
  return async () => {
    const fetched = gitOutput(root, ['fetch', '--quiet', remote, branch]) !== undefined;
    const rev = fetched ? 'FETCH_HEAD' : 'HEAD';
    const sha = gitOutput(root, ['rev-parse', rev]);
    if (!sha)
      return {
        repo: loadRepository(new WorkingTreeSource(root)),
        commit: commitFromGit(root, 'HEAD', overrides),
      };
    // Overrides (the PR number from the event) describe the run's own commit, not a newer one.
    const own = gitOutput(root, ['rev-parse', 'HEAD']) === sha;
    return {
      repo: loadRepository(new GitRevisionSource(root, sha)),
      commit: commitFromGit(root, sha, own ? overrides : {}),
    };
  };
}
