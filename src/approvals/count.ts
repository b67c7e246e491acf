/**
 * Approval counting: pure. Given a pull request's reviews and the rule of each environment it
 * touches, decide whether change control is satisfied and say what is missing.
 *
 * The rules follow how GitHub itself counts (see reference/github-actions.md §3 "Counting
 * approvals"): per user only the latest *opinionated* review matters; a later COMMENTED review does
 * not cancel an approval, a DISMISSED one does; authors and bots never count.
 */

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface ReviewRecord {
  user: string;
  /** GitHub `user.type === 'Bot'` (or a `[bot]` login). */
  isBot: boolean;
  state: ReviewState;
  /** The commit the review was submitted on. */
  commitId: string;
  /** Reviews arrive oldest first from the API; this is kept only for messages and tests. */
  submittedAt?: string;
}

/** What one environment asks of a pull request that changes it. */
export interface ApprovalRule {
  environment: string;
  required: number;
  /** Approvals on an older commit than the head do not count. */
  dismissStale: boolean;
  /** When set, only these logins count (case-insensitive, as GitHub logins are). */
  reviewers?: readonly string[];
}

export interface PullRequestReviewState {
  author: string;
  headSha: string;
  /** Oldest first, as `pulls.listReviews` returns them. */
  reviews: readonly ReviewRecord[];
}

export interface RuleVerdict {
  rule: ApprovalRule;
  /** Logins whose approval counts for this rule, sorted. */
  approvedBy: string[];
  /** Logins whose latest opinionated review requests changes, sorted. */
  changesRequestedBy: string[];
  satisfied: boolean;
}

export interface ApprovalVerdict {
  satisfied: boolean;
  rules: RuleVerdict[];
  /** One line for the commit status, at most 140 characters. */
  description: string;
}

/** GitHub truncates commit status descriptions at 140 characters. */
export const STATUS_DESCRIPTION_LIMIT = 140;

export function isBotLogin(login: string): boolean {
  return login.toLowerCase().endsWith('[bot]');
}

/**
 * Each user's latest opinionated review, oldest first input. COMMENTED and PENDING are skipped so
 * they never cancel an earlier opinion; DISMISSED is kept so it does cancel one.
 */
export function latestOpinions(reviews: readonly ReviewRecord[]): Map<string, ReviewRecord> {
  const latest = new Map<string, ReviewRecord>();
  for (const review of reviews) {
    if (review.state === 'COMMENTED' || review.state === 'PENDING') continue;
    latest.set(review.user.toLowerCase(), review);
  }
  return latest;
}

export function evaluateRule(pr: PullRequestReviewState, rule: ApprovalRule): RuleVerdict {
  const author = pr.author.toLowerCase();
  const allowed = rule.reviewers?.map((r) => r.toLowerCase());
  const approvedBy: string[] = [];
  const changesRequestedBy: string[] = [];
  for (const review of latestOpinions(pr.reviews).values()) {
    const login = review.user.toLowerCase();
    if (login === author || review.isBot || isBotLogin(login)) continue;
    if (allowed && !allowed.includes(login)) continue;
    if (review.state === 'CHANGES_REQUESTED') changesRequestedBy.push(review.user);
    if (review.state !== 'APPROVED') continue;
    if (rule.dismissStale && review.commitId !== pr.headSha) continue;
    approvedBy.push(review.user);
  }
  approvedBy.sort();
  changesRequestedBy.sort();
  return {
    rule,
    approvedBy,
    changesRequestedBy,
    // A reviewer who asked for changes blocks until they approve or their review is dismissed.
    satisfied: approvedBy.length >= rule.required && changesRequestedBy.length === 0,
  };
}

/** Every rule must hold: the strictest environment a pull request touches decides. */
export function evaluateApprovals(
  pr: PullRequestReviewState,
  rules: readonly ApprovalRule[],
): ApprovalVerdict {
  const verdicts = rules.map((rule) => evaluateRule(pr, rule));
  const satisfied = verdicts.every((v) => v.satisfied);
  return { satisfied, rules: verdicts, description: describe(verdicts) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeRule(v: RuleVerdict): string {
  const { environment, required } = v.rule;
  if (v.changesRequestedBy.length > 0)
    return `${environment}: changes requested by ${v.changesRequestedBy.join(', ')}`;
  const who = v.rule.reviewers ? ' from listed reviewers' : '';
  return `${environment} needs ${plural(required, 'approval')}${who}, has ${v.approvedBy.length}`;
}

function describe(verdicts: readonly RuleVerdict[]): string {
  if (verdicts.length === 0) return 'no environment changed: no approvals needed';
  const failing = verdicts.filter((v) => !v.satisfied);
  if (failing.length === 0) {
    const parts = verdicts.map((v) => `${v.rule.environment} ${v.approvedBy.length}/${v.rule.required}`);
    return clip(`approved: ${parts.join(', ')}`);
  }
  return clip(failing.map(describeRule).join('; '));
}

function clip(text: string): string {
  return text.length <= STATUS_DESCRIPTION_LIMIT ? text : `${text.slice(0, STATUS_DESCRIPTION_LIMIT - 1)}…`;
}
