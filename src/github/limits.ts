/**
 * GitHub's limits on what flagops writes: past them the REST API answers 422 Validation Failed
 * ("body is too long (maximum is 65536 characters)", "description is too long (maximum is 140
 * characters)"), and a failed write would lose the whole plan, revert body or verdict. The adapter
 * fits every body and description here, so no feature can exceed them.
 */

/** Issue, pull request and comment bodies. */
export const BODY_LIMIT = 65_536;
/** Commit status descriptions. */
export const DESCRIPTION_LIMIT = 140;

const CUT_NOTE = '\n\n… (truncated: GitHub allows at most 65,536 characters here)';

/** The body as is when it fits, else cut with a note saying so. JS length ≥ GitHub's count. */
export function fitBody(text: string, limit: number = BODY_LIMIT): string {
  if (text.length <= limit) return text;
  return text.slice(0, limit - CUT_NOTE.length) + CUT_NOTE;
}

/** A status description clipped to GitHub's 140 characters, ending with "…" when cut. */
export function fitDescription(text: string): string {
  return text.length <= DESCRIPTION_LIMIT ? text : `${text.slice(0, DESCRIPTION_LIMIT - 1)}…`;
}
