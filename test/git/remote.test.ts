/**
 * flagops' own pushes (operator edits with `--pr`, reverts, the advancer) never put a credential on
 * a command line, where every process on the runner can read it (`/proc/<pid>/cmdline`, `ps`):
 * the token reaches git as configuration in git's environment (`GIT_CONFIG_*`,
 * https://git-scm.com/docs/git-config#ENVIRONMENT), never in the URL or an argument
 * (https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-secrets).
 *
 * A `git` on PATH that records its arguments and environment stands in for git, so the test sees
 * exactly what a process listing would.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitRemote } from '../../src/git/remote.ts';
import { inClone } from '../../src/propose/clone.ts';

const TOKEN = 'ghs_secretTokenThatMustNotShow0123456789';
const dir = mkdtempSync(join(tmpdir(), 'flagops-remote-'));
const argvLog = join(dir, 'argv.log');
const envLog = join(dir, 'env.log');
const shimDir = join(dir, 'bin');

mkdirSync(shimDir, { recursive: true });
writeFileSync(
  join(shimDir, 'git'),
  `#!/bin/sh\nprintf '%s\\n' "git $*" >> '${argvLog}'\nprintf '%s\\n' "$GIT_CONFIG_KEY_0=$GIT_CONFIG_VALUE_0" >> '${envLog}'\nexit 0\n`,
);
chmodSync(join(shimDir, 'git'), 0o755);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the remote flagops pushes to', () => {
  it('keeps an https URL free of the token and hands git the token as a header in its environment', () => {
    const remote = gitRemote(dir, {
      FLAGOPS_GIT_REMOTE: 'https://github.com/ons/flags.git',
      GITHUB_TOKEN: TOKEN,
    });
    expect(remote.url).toBe('https://github.com/ons/flags.git');
    expect(remote.env['GIT_CONFIG_KEY_0']).toBe('http.https://github.com/.extraheader');
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    expect(remote.env['GIT_CONFIG_VALUE_0']).toBe(`AUTHORIZATION: basic ${basic}`);
  });

  it('clones and pushes with no credential among any git process’s arguments', async () => {
    const remote = gitRemote(dir, {
      FLAGOPS_GIT_REMOTE: 'https://github.com/ons/flags.git',
      GITHUB_TOKEN: TOKEN,
      PATH: `${shimDir}:${process.env['PATH'] ?? ''}`,
    });
    await inClone(remote.url, remote.env, 'remote-test', async (clone) => {
      clone.push('flagops/revert/x', { force: true });
    });
    const argv = readFileSync(argvLog, 'utf8');
    expect(argv).toContain('git clone');
    expect(argv).toContain('git push --quiet --force origin HEAD:refs/heads/flagops/revert/x');
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    for (const secret of [TOKEN, basic, 'extraheader', 'AUTHORIZATION']) expect(argv).not.toContain(secret);
    // The credential was there, in the environment of both calls.
    expect(readFileSync(envLog, 'utf8').trim().split('\n')).toEqual([
      `http.https://github.com/.extraheader=AUTHORIZATION: basic ${basic}`,
      `http.https://github.com/.extraheader=AUTHORIZATION: basic ${basic}`,
    ]);
  });
});
