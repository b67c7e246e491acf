/**
 * The sandbox refuses what GitHub refuses, so flagops' tests meet production's limits: bodies over
 * 65,536 characters and status descriptions over 140 (422, in GitHub's words), GET /user with an
 * App's token (403), malformed JSON (400), malformed request lines (400, the server stays up),
 * bodies that are or inflate past the limit (413), and cross-origin writes (403). flagops itself
 * stays within them: the plan comment is cut with a note, status descriptions are clipped.
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertStickyComment } from '../../src/github/sticky-comment.ts';
import { APP_DIR, type Harness, REPO, startHarness } from '../github/harness.ts';

let h: Harness;
let pr: number;
let sha: string;

beforeAll(async () => {
  h = await startHarness();
  const pushed = h.pushBranch('limits', { [`${APP_DIR}/notes.md`]: 'x\n' });
  sha = pushed.sha;
  pr = (await h.api('alice').pulls.create({ head: 'limits', base: 'main', title: 'limits', body: '' }))
    .number;
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function failure(promise: Promise<unknown>): Promise<{ status: number; errors: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; response?: { data?: { errors?: unknown } } };
    return { status: e.status, errors: e.response?.data?.errors };
  }
  throw new Error('expected the request to fail');
}

const api = () => h.sandbox.env['GITHUB_API_URL'] ?? '';

describe('GitHub’s limits', () => {
  it('comment bodies: 65,536 characters pass, one more is 422 in GitHub’s words', async () => {
    const alice = h.octokit('alice');
    const ok = await alice.rest.issues.createComment({ ...REPO, issue_number: pr, body: 'é'.repeat(65_536) });
    expect(ok.status).toBe(201);
    const create = alice.rest.issues.createComment({ ...REPO, issue_number: pr, body: 'x'.repeat(65_537) });
    expect(await failure(create)).toEqual({
      status: 422,
      errors: [
        {
          resource: 'IssueComment',
          code: 'unprocessable',
          field: 'data',
          message: 'Body is too long (maximum is 65536 characters)',
        },
      ],
    });
    const update = alice.rest.issues.updateComment({
      ...REPO,
      comment_id: ok.data.id,
      body: 'x'.repeat(70_000),
    });
    expect((await failure(update)).status).toBe(422);
  });

  it('pull request and issue bodies over 65,536 characters are 422', async () => {
    const alice = h.octokit('alice');
    const update = alice.rest.pulls.update({ ...REPO, pull_number: pr, body: 'x'.repeat(65_537) });
    expect(await failure(update)).toEqual({
      status: 422,
      errors: [
        {
          resource: 'PullRequest',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ],
    });
    const issue = h
      .octokit('flagops[bot]')
      .rest.issues.create({ ...REPO, title: 't', body: 'x'.repeat(65_537) });
    expect((await failure(issue)).status).toBe(422);
  });

  it('status descriptions: 140 characters pass, 141 are 422', async () => {
    const bot = h.octokit('flagops[bot]');
    const post = (description: string) =>
      bot.rest.repos.createCommitStatus({ ...REPO, sha, state: 'failure', context: 'limits', description });
    expect((await post('d'.repeat(140))).status).toBe(201);
    expect(await failure(post('d'.repeat(141)))).toEqual({
      status: 422,
      errors: [
        {
          resource: 'Status',
          code: 'custom',
          field: 'description',
          message: 'description is too long (maximum is 140 characters)',
        },
      ],
    });
  });

  it('GET /user with an App installation token is 403', async () => {
    const token = h.sandbox.github.installationToken({ pull_requests: 'read' });
    const res = await fetch(`${api()}/user`, { headers: { authorization: `token ${token}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toBe(
      'Resource not accessible by integration',
    );
  });
});

describe('what no request can do to the server', () => {
  const post = (path: string, body: Buffer | string, headers: Record<string, string> = {}) =>
    fetch(`${api()}${path}`, {
      method: 'POST',
      headers: { authorization: 'token sandbox-user-alice', 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('malformed JSON is 400 "Problems parsing JSON"', async () => {
    const res = await post(`/repos/${REPO.owner}/${REPO.repo}/issues/${pr}/comments`, '{"body": "x"');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe('Problems parsing JSON');
  });

  it('a malformed request line is 400, and the server answers the next request', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(h.sandbox.port, '127.0.0.1', () =>
        socket.write('GARBAGE\u0000 / HTTP/9\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const res = await fetch(`${api()}/repos/${REPO.owner}/${REPO.repo}`, {
      headers: { authorization: 'token sandbox-user-alice' },
    });
    expect(res.status).toBe(200);
  });

  it('a gzip body that inflates past the limit is 413, a small gzip body is read', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const path = `/repos/${REPO.owner}/${REPO.repo}/issues/${pr}/comments`;
    const refused = await post(path, bomb, { 'content-encoding': 'gzip' });
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { message: string }).message).toContain('inflates past');
    const small = await post(path, gzipSync(JSON.stringify({ body: 'gzipped' })), {
      'content-encoding': 'gzip',
    });
    expect(small.status).toBe(201);
    expect(((await small.json()) as { body: string }).body).toBe('gzipped');
  });

  it('a body over the limit is 413', async () => {
    const res = await post(
      `/repos/${REPO.owner}/${REPO.repo}/issues/${pr}/comments`,
      Buffer.alloc(9 * 1024 * 1024, 0x20),
    );
    expect(res.status).toBe(413);
  });

  it('a cross-origin POST to /_sandbox/* is refused and changes nothing; the sandbox’s own origin may', async () => {
    const faults = () =>
      fetch(`${h.sandbox.url}/_sandbox/faults`).then((r) => r.json() as Promise<{ rules: unknown[] }>);
    const rule = JSON.stringify({ operation: 'repos.get', kind: 'error', probability: 0 });
    const evil = await fetch(`${h.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: rule,
    });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { message: string }).message).toContain(
      'cross-origin POST /_sandbox/faults refused',
    );
    const site = await fetch(`${h.sandbox.url}/_sandbox/reset`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(site.status).toBe(403);
    expect((await faults()).rules).toEqual([]);
    // A cross-origin write to the emulated GitHub is refused the same way.
    const comment = await post(`/repos/${REPO.owner}/${REPO.repo}/issues/${pr}/comments`, '{"body":"csrf"}', {
      origin: 'https://evil.example',
    });
    expect(comment.status).toBe(403);

    const own = await fetch(`${h.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { origin: h.sandbox.url, 'content-type': 'application/json' },
      body: rule,
    });
    expect(own.status).toBe(200);
    expect((await faults()).rules).toHaveLength(1);
    await fetch(`${h.sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
  });
});

describe('flagops stays within the limits', () => {
  it('a plan comment longer than GitHub allows is posted cut, with a note', async () => {
    const text = `## plan\n${'| row | value |\n'.repeat(8_000)}`;
    expect(text.length).toBeGreaterThan(65_536);
    const { comment } = await upsertStickyComment(h.api('flagops[bot]').comments, {
      issue: pr,
      purpose: 'limits',
      author: 'flagops[bot]',
      text,
    });
    expect(comment.body.length).toBeLessThanOrEqual(65_536);
    expect(comment.body).toContain('truncated: the full text is in the job summary');
    expect(comment.body.endsWith('<!-- flagops:limits -->')).toBe(true);
  });

  it('a status description longer than 140 characters is clipped, not refused', async () => {
    await h.api('flagops[bot]').statuses.create(sha, {
      state: 'failure',
      context: 'flagops/limits',
      description: `cannot judge: ${'a very long reason '.repeat(20)}`,
    });
    const { data } = await h.octokit('alice').rest.repos.listCommitStatusesForRef({ ...REPO, ref: sha });
    const ours = data.find((s) => s.context === 'flagops/limits');
    expect(ours?.description?.length).toBe(140);
    expect(ours?.description?.endsWith('…')).toBe(true);
  });

  it('a pull request body longer than GitHub allows is cut with a note', async () => {
    const updated = await h.api('flagops[bot]').pulls.update(pr, { body: `why\n${'y'.repeat(70_000)}` });
    expect(updated.body.length).toBeLessThanOrEqual(65_536);
    expect(updated.body).toContain('truncated');
  });
});
