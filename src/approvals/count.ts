/**
 * Approval counting: pure. Given a pull request's reviews and the rule of each environment it
 * touches, decide whether change control is satisfied and say what is missing.
 *
 * The rules follow how GitHub itself counts required reviews: per user only the latest
 * *opinionated* review matters; a later COMMENTED review does not cancel an approval, a DISMISSED
 * one does; only people with write access (write, maintain, admin) count — on a public repository
 * anyone can submit a review; authors and bots never count; logins compare case-insensitively.
 */

import { fitDescription } from '../github/limits.ts';
import type { CodeOwnersVerdict } from './codeowners.ts';

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

/** `GET /repos/{owner}/{repo}/collaborators/{user}/permission`'s `permission` (maintain → write, triage → read). */
export type Permission = 'admin' | 'write' | 'read' | 'none';

export interface PullRequestReviewState {
  author: string;
  headSha: string;
  /** Oldest first, as `pulls.listReviews` returns them. */
  reviews: readonly ReviewRecord[];
  /** Each reviewer's permission on the repository, by lower-case login; a missing one counts as none. */
  permissions: ReadonlyMap<string, Permission>;
}

/** A review that was left out of the count, and why (shown in the job summary). */
export interface IgnoredReview {
  user: string;
  why: 'author' | 'bot' | 'no write access' | 'not a listed reviewer' | 'stale';
}

export interface RuleVerdict {
  rule: ApprovalRule;
  /** Logins whose approval counts for this rule, sorted. */
  approvedBy: string[];
  /** Logins whose latest opinionated review requests changes, sorted. */
  changesRequestedBy: string[];
  /** Opinionated reviews that do not count. */
  ignored: IgnoredReview[];
  satisfied: boolean;
}

export interface ApprovalVerdict {
  satisfied: boolean;
  rules: RuleVerdict[];
  /** Present when code owners must approve (paths outside the values files). */
  codeOwners?: CodeOwnersVerdict;
  /** One line for the commit status, at most 140 characters. */
  description: string;
}

export function isBotLogin(login: string): boolean {
  return login.toLowerCase().endsWith('[bot]');
}

export function canWrite(permission: Permission | undefined): boolean {
  return permission === 'write' || permission === 'admin';
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
  const ignored: IgnoredReview[] = [];
  for (const review of latestOpinions(pr.reviews).values()) {
    if (review.state === 'DISMISSED') continue;
    const login = review.user.toLowerCase();
    const why: IgnoredReview['why'] | undefined =
      login === author
        ? 'author'
        : review.isBot || isBotLogin(login)
          ? 'bot'
          : !canWrite(pr.permissions.get(login))
            ? 'no write access'
            : allowed && !allowed.includes(login)
              ? 'not a listed reviewer'
              : review.state === 'APPROVED' && rule.dismissStale && review.commitId !== pr.headSha
                ? 'stale'
                : undefined;
    if (why) {
      ignored.push({ user: review.user, why });
      continue;
    }
    if (review.state === 'CHANGES_REQUESTED') changesRequestedBy.push(review.user);
    if (review.state === 'APPROVED') approvedBy.push(review.user);
  }
  approvedBy.sort();
  changesRequestedBy.sort();
  return {
    rule,
    approvedBy,
    changesRequestedBy,
    ignored,
    // A reviewer who asked for changes blocks until they approve or their review is dismissed.
    satisfied: approvedBy.length >= rule.required && changesRequestedBy.length === 0,
  };
}

/**
 * The logins (lower case) whose approval counts at all: latest opinion APPROVED on the head
 * commit, write access, not the author, not a bot. Code owners are judged from these.
 */
export function countingApprovers(pr: PullRequestReviewState): Set<string> {
  const verdict = evaluateRule(pr, { environment: '', required: 0, dismissStale: true });
  return new Set(verdict.approvedBy.map((l) => l.toLowerCase()));
}

/** Every rule must hold: the strictest environment a pull request touches decides. */
export function evaluateApprovals(
  pr: PullRequestReviewState,
  rules: readonly ApprovalRule[],
  codeOwners?: CodeOwnersVerdict,
): ApprovalVerdict {
  const verdicts = rules.map((rule) => evaluateRule(pr, rule));
  const satisfied = verdicts.every((v) => v.satisfied) && (codeOwners?.satisfied ?? true);
  return {
    satisfied,
    rules: verdicts,
    ...(codeOwners ? { codeOwners } : {}),
    description: describe(verdicts, codeOwners),
  };
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

function describeOwners(v: CodeOwnersVerdict): string {
  const first = v.missing[0];
  if (!first) return '';
  const more = v.missing.length > 1 ? ` (+${v.missing.length - 1} more paths)` : '';
  return `code owners: ${first.path} needs ${first.owners.join(' or ')}${more}`;
}

function describe(verdicts: readonly RuleVerdict[], codeOwners?: CodeOwnersVerdict): string {
  if (verdicts.length === 0 && !codeOwners) return 'no environment changed: no approvals needed';
  const failing = verdicts.filter((v) => !v.satisfied).map(describeRule);
  if (codeOwners && !codeOwners.satisfied) failing.push(describeOwners(codeOwners));
  if (failing.length === 0) {
    const parts = verdicts.map((v) => `${v.rule.environment} ${v.approvedBy.length}/${v.rule.required}`);
    if (codeOwners) parts.push('code owners');
    return fitDescription(`approved: ${parts.join(', ')}`);
  }
  return fitDescription(failing.join('; '));
}
