import { describe, expect, it } from 'vitest';
import type { CommentsApi, IssueComment } from '../../src/github/api.ts';
import {
  COMMENT_LIMIT,
  markerFor,
  sameLogin,
  stickyBody,
  upsertStickyComment,
} from '../../src/github/sticky-comment.ts';

/** An in-memory comment thread: the sticky logic is tested here; the wire in sticky-sandbox.test.ts. */
function thread(initial: IssueComment[] = []): CommentsApi & { items: IssueComment[]; writes: number } {
  const items = [...initial];
  let nextId = 1000;
  return {
    items,
    writes: 0,
    async list() {
      return items.map((c) => ({ ...c }));
    },
    async create(_issue, body) {
      this.writes++;
      const c = { id: nextId++, author: 'flagops[bot]', body };
      items.push(c);
      return c;
    },
    async update(id, body) {
      this.writes++;
      const c = items.find((x) => x.id === id)!;
      c.body = body;
      return { ...c };
    },
  };
}

describe('stickyBody', () => {
  it('appends the hidden marker', () => {
    expect(stickyBody('hello', markerFor('plan'))).toBe('hello\n\n<!-- flagops:plan -->');
  });

  it('truncates long text below the limit and keeps the marker', () => {
    const body = stickyBody('x'.repeat(100_000), markerFor('plan'));
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.endsWith('<!-- flagops:plan -->')).toBe(true);
    expect(body).toContain('truncated');
  });
});

describe('sameLogin', () => {
  it('ignores the [bot] suffix and case', () => {
    expect(sameLogin('github-actions[bot]', 'GitHub-Actions')).toBe(true);
    expect(sameLogin('alice', 'bob')).toBe(false);
  });
});

describe('upsertStickyComment', () => {
  const request = { issue: 7, purpose: 'plan', author: 'flagops[bot]', text: 'plan v1' };

  it('creates, then leaves an unchanged text alone, then updates in place', async () => {
    const comments = thread();
    expect((await upsertStickyComment(comments, request)).action).toBe('created');
    expect((await upsertStickyComment(comments, request)).action).toBe('unchanged');
    const updated = await upsertStickyComment(comments, { ...request, text: 'plan v2' });
    expect(updated.action).toBe('updated');
    expect(comments.items).toHaveLength(1);
    expect(comments.items[0]?.body).toContain('plan v2');
    expect(comments.writes).toBe(2);
  });

  it('never edits a comment by someone else that quotes the marker', async () => {
    const comments = thread([{ id: 1, author: 'alice', body: `look: ${markerFor('plan')}` }]);
    const result = await upsertStickyComment(comments, request);
    expect(result.action).toBe('created');
    expect(comments.items[0]?.body).toBe(`look: ${markerFor('plan')}`);
  });

  it('keeps comments of different purposes apart', async () => {
    const comments = thread([{ id: 1, author: 'flagops[bot]', body: `old\n\n${markerFor('revert')}` }]);
    await upsertStickyComment(comments, request);
    expect(comments.items).toHaveLength(2);
  });
});
