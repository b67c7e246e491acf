/**
 * Build the GitHub adapter from the environment an action or the CLI runs in: `GITHUB_TOKEN`,
 * `GITHUB_REPOSITORY` (`owner/name`) and `GITHUB_API_URL` (a workflow sets all three, and so do an
 * emulator's exports).
 */
import { createGitHubApi, type GitHubApi, parseRepository } from './api.ts';
import { GitHubConfigError } from './errors.ts';
import { createOctokit, type Octokit, type OctokitOptions } from './octokit.ts';

export interface GitHubConnection {
  octokit: Octokit;
  api: GitHubApi;
}

export function gitHubFromEnv(
  env: NodeJS.ProcessEnv,
  options: Pick<OctokitOptions, 'retry' | 'sleep'> = {},
): GitHubConnection {
  const token = env['GITHUB_TOKEN'] || env['GH_TOKEN'];
  if (!token)
    throw new GitHubConfigError(
      'GITHUB_TOKEN is not set: export a token that may read pull requests and write statuses (in a workflow, pass secrets.GITHUB_TOKEN through env:)',
    );
  const repo = parseRepository(env['GITHUB_REPOSITORY']);
  if (!repo)
    throw new GitHubConfigError(
      `GITHUB_REPOSITORY must be owner/name, got ${JSON.stringify(env['GITHUB_REPOSITORY'] ?? '')}`,
    );
  const octokit = createOctokit({ token, env, ...options });
  return { octokit, api: createGitHubApi(octokit, repo) };
}
