/**
 * A pull request's head fetched as git objects only (backtest.yml's plan step, on workflow_run):
 * `refs/pull/N/head` lands in `refs/flagops/head`, nothing is checked out, and a head the remote no
 * longer serves is refused with a message that says why.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPullHead } from '../../src/git/fetch-pull.ts';
import { GIT_ENV, git } from '../helpers/git.ts';

let dir: string;
let origin: string;
let checkout: string;
let head: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flagops-fetch-pull-'));
  origin = join(dir, 'origin.git');
  const work = join(dir, 'work');
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  git(dir, 'clone', '--quiet', origin, work);
  writeFileSync(join(work, 'a.txt'), 'base\n');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'base');
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  writeFileSync(join(work, 'pr-only.txt'), 'from the pull request\n');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'pull request');
  head = git(work, 'rev-parse', 'HEAD');
  git(work, 'push', '--quiet', 'origin', 'HEAD:refs/pull/7/head');
  checkout = join(dir, 'checkout');
  git(dir, 'clone', '--quiet', '--branch', 'main', origin, checkout);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('fetchPullHead', () => {
  it('fetches refs/pull/N/head as objects, without checking it out', () => {
    fetchPullHead(checkout, 7, head, 'a-token', GIT_ENV);
    expect(git(checkout, 'rev-parse', 'refs/flagops/head')).toBe(head);
    expect(git(checkout, 'rev-parse', 'HEAD')).not.toBe(head);
    expect(existsSync(join(checkout, 'pr-only.txt'))).toBe(false);
    expect(git(checkout, 'show', `${head}:pr-only.txt`)).toBe('from the pull request');
  });

  it('refuses a head the remote no longer serves for the pull request', () => {
    expect(() => fetchPullHead(checkout, 7, '0'.repeat(40), undefined, GIT_ENV)).toThrow(
      /pull request #7's head 0{40} is not in what origin serves for it: the branch moved/,
    );
  });

  it('fails with git’s words when the pull request has no head ref', () => {
    expect(() => fetchPullHead(checkout, 8, head, undefined, GIT_ENV)).toThrow(/git fetch .* failed/);
  });
});
