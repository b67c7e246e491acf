/**
 * Where the revert branch is pushed: `FLAGOPS_GIT_REMOTE` (the sandbox's bare repository, or any
 * URL), else the checkout's `origin`. A checkout made with `persist-credentials: false` has no
 * credentials, so the token goes in an HTTP header through git's environment config — never into
 * the URL, where it would show in logs and `.git/config`.
 */
import { execFileSync } from 'node:child_process';

export function revertRemote(root: string, env: NodeJS.ProcessEnv): { url: string; env: NodeJS.ProcessEnv } {
  const url =
    env['FLAGOPS_GIT_REMOTE'] ||
    (() => {
      try {
        return execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: root, encoding: 'utf8' }).trim();
      } catch {
        return '';
      }
    })();
  if (!url)
    throw new Error(
      `no git remote to push the revert branch to: set FLAGOPS_GIT_REMOTE or run in a checkout with an origin (${root})`,
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
