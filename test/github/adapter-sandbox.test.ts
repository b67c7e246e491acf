/** The GitHub adapter against the sandbox's GitHub: pagination, retries, sticky comments. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubApi } from '../../src/github/api.ts';
import { tokenLogin } from '../../src/github/identity.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { markerFor, upsertStickyComment } from '../../src/github/sticky-comment.ts';
import { APP_DIR, type Harness, REPO, startHarness } from './harness.ts';

let h: Harness;
let pr: number;

beforeAll(async () => {
  h = await startHarness();
  const file = `${APP_DIR}/production/feature-flags.yaml`;
  const text = readFileSync(join(h.seedDir, file), 'utf8').replace('{ enabled: false }', '{ enabled: true }');
  h.pushBranch('enable-queries', { [file]: text });
  const created = await h.api('alice').pulls.create({
    head: 'enable-queries',
    base: 'main',
    title: 'Enable queries',
    body: '',
  });
  pr = created.number;
});

afterAll(async () => {
  await h?.close();
});

describe('pulls', () => {
  it('reads a pull request, its files and finds it by head branch', async () => {
    const api = h.api('flagops[bot]');
    const got = await api.pulls.get(pr);
    expect(got).toMatchObject({ author: 'alice', headRef: 'enable-queries', baseRef: 'main', state: 'open' });
    expect(await api.pulls.listFiles(pr)).toEqual([`${APP_DIR}/production/feature-flags.yaml`]);
    expect((await api.pulls.findOpenByHead('enable-queries'))?.number).toBe(pr);
    expect(await api.pulls.findOpenByHead('no-such-branch')).toBeUndefined();
  });
});

describe('sticky comment', () => {
  it('is created once, left alone when unchanged, updated in place, across many pages', async () => {
    const alice = h.api('alice');
    // More than one page of other people's comments, one quoting our marker.
    await alice.comments.create(pr, `quoting ${markerFor('plan')}`);
    for (let i = 0; i < 105; i++) await alice.comments.create(pr, `comment ${i}`);

    const bot = h.api('flagops[bot]');
    const author = await tokenLogin(h.octokit('flagops[bot]'));
    const request = { issue: pr, purpose: 'plan', author, text: 'plan: production 0 → 25' };
    const first = await upsertStickyComment(bot.comments, request);
    expect(first.action).toBe('created');
    for (let i = 0; i < 3; i++) await alice.comments.create(pr, `later ${i}`);
    expect((await upsertStickyComment(bot.comments, request)).action).toBe('unchanged');
    const updated = await upsertStickyComment(bot.comments, { ...request, text: 'plan: production 0 → 50' });
    expect(updated).toMatchObject({ action: 'updated', comment: { id: first.comment.id } });

    const all = await bot.comments.list(pr);
    expect(all.length).toBe(110);
    const ours = all.filter((c) => c.body.includes(markerFor('plan')) && c.author === author);
    expect(ours.map((c) => c.body)).toEqual([`plan: production 0 → 50\n\n${markerFor('plan')}`]);
    expect(all.find((c) => c.author === 'alice' && c.body.startsWith('quoting'))?.body).toBe(
      `quoting ${markerFor('plan')}`,
    );
  });
});

describe('retries', () => {
  it('waits out a secondary rate limit and server errors, then succeeds', async () => {
    const waits: number[] = [];
    const octokit = createOctokit({
      token: 'sandbox-user-bob',
      baseUrl: h.sandbox.env['GITHUB_API_URL']!,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const api = createGitHubApi(octokit, REPO);
    h.sandbox.server.faults.add({ operation: 'issues.createComment', kind: 'throttle', count: 1 });
    h.sandbox.server.faults.add({ operation: 'pulls.get', kind: 'error', count: 2 });
    const comment = await api.comments.create(pr, 'after a throttle');
    expect(comment.body).toBe('after a throttle');
    expect((await api.pulls.get(pr)).number).toBe(pr);
    expect(waits).toHaveLength(3);
  });

  it('gives up after the retry budget with the server error', async () => {
    const octokit = createOctokit({
      token: 'sandbox-user-bob',
      baseUrl: h.sandbox.env['GITHUB_API_URL']!,
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 10 },
      sleep: async () => {},
    });
    h.sandbox.server.faults.add({ operation: 'pulls.get', kind: 'error', count: 5 });
    await expect(createGitHubApi(octokit, REPO).pulls.get(pr)).rejects.toMatchObject({ status: 500 });
    h.sandbox.server.faults.clear();
  });
});
