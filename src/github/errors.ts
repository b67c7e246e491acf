/**
 * GitHub failures in words a person can act on. `runtime/failure.ts` uses this to turn an Octokit
 * error into one line and exit code 3 (docs/reference.md#exit-codes: GitHub unreachable or refusing)
 * instead of a stack trace. Nothing here imports Octokit, so mapping an error stays cheap.
 */
import { EXIT, Failure } from '../core/failure.ts';

/** GitHub is not configured (no token, GITHUB_REPOSITORY not `owner/name`): GitHub cannot be used, exit 3. */
export class GitHubConfigError extends Failure {
  constructor(message: string) {
    super(message, EXIT.unavailable);
    this.name = 'GitHubConfigError';
  }
}

export function describeGitHubError(error: unknown): string | undefined {
  if (error instanceof GitHubConfigError) return error.message;
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; status?: unknown; message?: unknown; request?: { url?: unknown } };
  if (e.name !== 'HttpError' && typeof e.status !== 'number') return undefined;
  const status = typeof e.status === 'number' ? e.status : 0;
  const url = typeof e.request?.url === 'string' ? e.request.url : 'GitHub';
  const detail = typeof e.message === 'string' ? e.message.split('\n')[0] : '';
  switch (status) {
    case 401:
      return `GitHub rejected the token (401) at ${url}: check GITHUB_TOKEN`;
    case 403:
      return `GitHub refused (403) at ${url}: ${detail}; check the token's permissions (the workflow's permissions: block)`;
    case 404:
      return `GitHub has nothing at ${url} (404): check GITHUB_REPOSITORY and the pull request number`;
    case 422:
      return `GitHub rejected the request (422) at ${url}: ${detail}`;
    default:
      return status >= 500 || status === 0
        ? `GitHub is unreachable or failing at ${url} (${status || 'no response'}: ${detail}); retry later or check GITHUB_API_URL`
        : `GitHub answered ${status} at ${url}: ${detail}`;
  }
}
