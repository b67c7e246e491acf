/**
 * Where flagops pushes branches (operator edits with `--pr`, automatic reverts): `FLAGOPS_GIT_REMOTE`
 * (a local bare repository, or any URL), else the checkout's `origin`. A checkout made with
 * `persist-credentials: false` has no credentials, so the token goes in an HTTP header through git's
 * environment config — never into the URL, where it would show in logs and `.git/config`.
 */
import { EXIT, Failure } from '../core/failure.ts';
import { gitOutput } from './run.ts';

export interface GitRemote {
  url: string;
  /** The environment to run git with: the caller's, plus the token header for an https remote. */
  env: NodeJS.ProcessEnv;
}

/** The remote to push to, with `GITHUB_TOKEN` as an HTTP header when it is an https URL. */
export function gitRemote(root: string, env: NodeJS.ProcessEnv): GitRemote {
  const url = env['FLAGOPS_GIT_REMOTE'] || gitOutput(root, ['remote', 'get-url', 'origin'], env) || '';
  if (!url)
    throw new Failure(
      `no git remote to push to: set FLAGOPS_GIT_REMOTE or run in a checkout with an "origin" remote (${root})`,
      EXIT.usage,
    );
  const token = env['GITHUB_TOKEN'];
  if (!token || !/^https:\/\//.test(url)) return { url, env };
  const host = new URL(url).origin;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    url,
    env: {
      ...env,
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: `http.${host}/.extraheader`,
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
    },
  };
}
