/**
 * One comment per purpose on a pull request, edited in place on every run (README
 * promise 3: re-running a step creates no second comment).
 * The comment is found by a hidden marker AND its author, across every page of comments, so a
 * person quoting the marker never gets their comment overwritten. An unchanged text is not
 * re-posted, which keeps the PR timeline and notifications quiet.
 */
import type { CommentsApi, IssueComment } from './api.ts';

/** GitHub rejects comment bodies over 65,536 characters; stay clear of it. */
export const COMMENT_LIMIT = 65_000;

export function markerFor(purpose: string): string {
  return `<!-- flagops:${purpose} -->`;
}

/** Logins compare without the `[bot]` suffix: GraphQL and REST disagree about it. */
export function sameLogin(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\[bot\]$/, '');
  return norm(a) === norm(b);
}

/** The body to post: the text cut to fit (saying so), then the marker on its own line. */
export function stickyBody(text: string, marker: string, limit: number = COMMENT_LIMIT): string {
  const suffix = `\n\n${marker}`;
  const room = limit - suffix.length;
  if (text.length <= room) return text + suffix;
  const note = '\n\n… (truncated: the full text is in the job summary)';
  return text.slice(0, room - note.length) + note + suffix;
}

export interface StickyCommentRequest {
  issue: number;
  /** e.g. `plan`; becomes the hidden marker `<!-- flagops:plan -->`. */
  purpose: string;
  /** The login the token acts as; only its comments are candidates. */
  author: string;
  text: string;
}

export interface StickyCommentResult {
  action: 'created' | 'updated' | 'unchanged';
  comment: IssueComment;
}

export async function upsertStickyComment(
  comments: CommentsApi,
  request: StickyCommentRequest,
): Promise<StickyCommentResult> {
  const marker = markerFor(request.purpose);
  const body = stickyBody(request.text, marker);
  const existing = (await comments.list(request.issue)).find(
    (c) => sameLogin(c.author, request.author) && c.body.includes(marker),
  );
  if (!existing) return { action: 'created', comment: await comments.create(request.issue, body) };
  if (existing.body === body) return { action: 'unchanged', comment: existing };
  return { action: 'updated', comment: await comments.update(existing.id, body) };
}
