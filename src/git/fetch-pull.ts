/**
 * A pull request's head fetched into a checkout as git objects only (`refs/pull/N/head`, GitHub's
 * ref for it, into `refs/flagops/head`): nothing is checked out, so nothing of the pull request
 * runs; flagops then reads its files from git as data. For a job that must not check out pull
 * request code (workflow_run, pull_request_target: README, "Threat model"). The token goes to git
 * as an HTTP header through its environment config, never as an argument or in the URL.
 */
import { Failure } from '../core/failure.ts';
import { git, gitOutput, gitSucceeds } from './run.ts';

export function fetchPullHead(
  root: string,
  pull: number,
  headSha: string,
  token: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const url = gitOutput(root, ['remote', 'get-url', 'origin'], env) ?? '';
  const withToken = token && sendsHeader(url) ? headerEnv(url, token, env) : env;
  git(
    root,
    ['fetch', '--no-tags', '--quiet', 'origin', `+refs/pull/${pull}/head:refs/flagops/head`],
    withToken,
  );
  if (!gitSucceeds(root, ['cat-file', '-e', `${headSha}^{commit}`], env))
    throw new Failure(
      `pull request #${pull}'s head ${headSha} is not in what origin serves for it: the branch moved; a newer run judges the new head`,
    );
}

/** https, or plain http on this machine only (a local server): a token never crosses a network in clear. */
function sendsHeader(url: string): boolean {
  if (url.startsWith('https://')) return true;
  if (!url.startsWith('http://')) return false;
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

function headerEnv(url: string, token: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    ...env,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${new URL(url).origin}/.extraheader`,
    GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
  };
}
