/**
 * The sandbox GitHub's pure pieces (routing, identity, pagination links, combined status) and its
 * git diff reading, without HTTP.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxRequest } from '../../packages/sandbox/src/core.ts';
import { BareRepository } from '../../packages/sandbox/src/github/git.ts';
import { matchRoute, type Route } from '../../packages/sandbox/src/github/router.ts';
import { combinedState } from '../../packages/sandbox/src/github/routes/statuses.ts';
import type { StatusRecord } from '../../packages/sandbox/src/github/state.ts';
import { actorFromAuthorization, page } from '../../packages/sandbox/src/github/wire.ts';

const route = (method: string, path: string): Route => ({
  method,
  path,
  operation: `${method} ${path}`,
  handle: () => ({ status: 200 }),
});

describe('matchRoute', () => {
  const routes = [
    route('GET', '/repos/:owner/:repo/commits/:ref*/status'),
    route('GET', '/repos/:owner/:repo/commits/:ref*'),
    route('GET', '/repos/:owner/:repo/branches/:branch*'),
    route('POST', '/repos/:owner/:repo/pulls'),
  ];

  it('decodes each segment, so an encoded slash stays inside its parameter', () => {
    const m = matchRoute(routes, 'GET', '/repos/ons/flags/branches/feature%2Ftraffic');
    expect(m?.params).toEqual({ owner: 'ons', repo: 'flags', branch: 'feature/traffic' });
  });

  it('lets a starred parameter span segments before a fixed suffix', () => {
    const status = matchRoute(routes, 'GET', '/repos/ons/flags/commits/feature/x/status');
    expect(status?.route.path).toBe('/repos/:owner/:repo/commits/:ref*/status');
    expect(status?.params['ref']).toBe('feature/x');
    const commit = matchRoute(routes, 'GET', '/repos/ons/flags/commits/feature/x');
    expect(commit?.route.path).toBe('/repos/:owner/:repo/commits/:ref*');
  });

  it('matches the method and the whole path', () => {
    expect(matchRoute(routes, 'GET', '/repos/ons/flags/pulls')).toBeUndefined();
    expect(matchRoute(routes, 'POST', '/repos/ons/flags/pulls/1')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/repos/ons/flags/commits')).toBeUndefined();
  });
});

describe('actorFromAuthorization', () => {
  it('knows sandbox users and bots by token, in either scheme', () => {
    expect(actorFromAuthorization('token sandbox-user-alice')).toEqual({ login: 'alice', type: 'User' });
    expect(actorFromAuthorization('Bearer sandbox-bot-flagops')).toEqual({
      login: 'flagops[bot]',
      type: 'Bot',
    });
  });

  it('refuses anything else', () => {
    expect(actorFromAuthorization(undefined)).toBeUndefined();
    expect(actorFromAuthorization('token ghp_abc')).toBeUndefined();
    expect(actorFromAuthorization('Basic sandbox-user-alice')).toBeUndefined();
  });
});

describe('page', () => {
  const request = (query: string): SandboxRequest => ({
    method: 'GET',
    path: '/github/repos/ons/flags/pulls',
    query: new URLSearchParams(query),
    headers: {},
    body: Buffer.alloc(0),
    baseUrl: 'http://127.0.0.1:4000',
  });
  const items = Array.from({ length: 7 }, (_, i) => i);

  it('slices by per_page and page and links the neighbours absolutely', () => {
    const reply = page(request('state=all&per_page=3&page=2'), items);
    expect(reply.body).toEqual([3, 4, 5]);
    const link = String(reply.headers?.['link']);
    const base = 'http://127.0.0.1:4000/github/repos/ons/flags/pulls?state=all&per_page=3';
    expect(link).toBe(
      [
        `<${base}&page=1>; rel="prev"`,
        `<${base}&page=3>; rel="next"`,
        `<${base}&page=3>; rel="last"`,
        `<${base}&page=1>; rel="first"`,
      ].join(', '),
    );
  });

  it('sends no Link header when everything fits on one page, and caps per_page at 100', () => {
    expect(page(request(''), items).headers?.['link']).toBeUndefined();
    const many = Array.from({ length: 250 }, (_, i) => i);
    expect((page(request('per_page=500'), many).body as number[]).length).toBe(100);
  });
});

describe('combinedState', () => {
  const status = (context: string, state: StatusRecord['state']): StatusRecord => ({
    id: 1,
    sha: 'x',
    context,
    state,
    description: null,
    targetUrl: null,
    creator: 'bot',
    createdAt: 0,
  });

  it('is pending with no statuses, failure when any fails or errs, success when all succeed', () => {
    expect(combinedState([])).toBe('pending');
    expect(combinedState([status('a', 'success'), status('b', 'pending')])).toBe('pending');
    expect(combinedState([status('a', 'error'), status('b', 'pending')])).toBe('failure');
    expect(combinedState([status('a', 'success'), status('b', 'success')])).toBe('success');
  });
});

describe('BareRepository.diff', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'flagops-github-diff-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('reports renames, removals, additions and binary files as GitHub lists them', () => {
    const seed = join(tmp, 'seed');
    mkdirSync(seed);
    writeFileSync(join(seed, 'old-name.txt'), 'one\ntwo\nthree\nfour\nfive\n');
    writeFileSync(join(seed, 'gone.txt'), 'bye\n');
    const repo = new BareRepository(join(tmp, 'r.git'));
    const base = repo.seed(seed);

    const clone = join(tmp, 'clone');
    const env = {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'a',
      GIT_AUTHOR_EMAIL: 'a@example.invalid',
      GIT_COMMITTER_NAME: 'a',
      GIT_COMMITTER_EMAIL: 'a@example.invalid',
    };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: clone, env, stdio: 'pipe' });
    execFileSync('git', ['clone', '--quiet', repo.path, clone], { env });
    git('mv', 'old-name.txt', 'new name.txt');
    git('rm', '--quiet', 'gone.txt');
    writeFileSync(join(clone, 'image.bin'), Buffer.from([0, 1, 2, 0, 255]));
    git('add', '--all');
    git('commit', '--quiet', '-m', 'shuffle');
    git('push', '--quiet', 'origin', 'HEAD:main');

    const head = repo.branchSha('main') ?? '';
    const files = repo.diff(base, head);
    expect(files).toEqual([
      { filename: 'gone.txt', status: 'removed', additions: 0, deletions: 1, patch: '@@ -1 +0,0 @@\n-bye' },
      { filename: 'image.bin', status: 'added', additions: 0, deletions: 0 },
      {
        filename: 'new name.txt',
        previousFilename: 'old-name.txt',
        status: 'renamed',
        additions: 0,
        deletions: 0,
      },
    ]);
  });
});
