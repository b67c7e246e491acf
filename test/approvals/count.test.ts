import { describe, expect, it } from 'vitest';
import {
  type ApprovalRule,
  evaluateApprovals,
  type ReviewRecord,
  STATUS_DESCRIPTION_LIMIT,
} from '../../src/approvals/count.ts';

const HEAD = 'h'.repeat(40);
const OLD = 'o'.repeat(40);

const production: ApprovalRule = { environment: 'production', required: 2, dismissStale: true };
const development: ApprovalRule = { environment: 'development', required: 1, dismissStale: false };
const revertProduction: ApprovalRule = { environment: 'production', required: 1, dismissStale: true };

function review(user: string, state: ReviewRecord['state'], commitId = HEAD): ReviewRecord {
  return { user, isBot: user.endsWith('[bot]'), state, commitId };
}

interface Case {
  name: string;
  rules: ApprovalRule[];
  reviews: ReviewRecord[];
  satisfied: boolean;
  description: string;
}

const cases: Case[] = [
  {
    name: 'self-approval does not count',
    rules: [development],
    reviews: [review('alice', 'APPROVED')],
    satisfied: false,
    description: 'development needs 1 approval, has 0',
  },
  {
    name: 'one other approval satisfies development',
    rules: [development],
    reviews: [review('bob', 'APPROVED')],
    satisfied: true,
    description: 'approved: development 1/1',
  },
  {
    name: 'a stale approval after a new push does not count when dismiss_stale is set',
    rules: [production],
    reviews: [review('bob', 'APPROVED', OLD), review('carol', 'APPROVED')],
    satisfied: false,
    description: 'production needs 2 approvals, has 1',
  },
  {
    name: 'a stale approval still counts without dismiss_stale',
    rules: [development],
    reviews: [review('bob', 'APPROVED', OLD)],
    satisfied: true,
    description: 'approved: development 1/1',
  },
  {
    name: 'approved then changes requested blocks',
    rules: [development],
    reviews: [review('bob', 'APPROVED'), review('bob', 'CHANGES_REQUESTED')],
    satisfied: false,
    description: 'development: changes requested by bob',
  },
  {
    name: 'changes requested then approved passes',
    rules: [development],
    reviews: [review('bob', 'CHANGES_REQUESTED'), review('bob', 'APPROVED')],
    satisfied: true,
    description: 'approved: development 1/1',
  },
  {
    name: 'a later comment does not cancel an approval',
    rules: [development],
    reviews: [review('bob', 'APPROVED'), review('bob', 'COMMENTED')],
    satisfied: true,
    description: 'approved: development 1/1',
  },
  {
    name: 'a dismissed approval is cancelled',
    rules: [development],
    reviews: [review('bob', 'APPROVED'), review('bob', 'DISMISSED')],
    satisfied: false,
    description: 'development needs 1 approval, has 0',
  },
  {
    name: 'a bot approval does not count',
    rules: [development],
    reviews: [review('renovate[bot]', 'APPROVED'), { ...review('ci-robot', 'APPROVED'), isBot: true }],
    satisfied: false,
    description: 'development needs 1 approval, has 0',
  },
  {
    name: 'production needs 2 approvals',
    rules: [production],
    reviews: [review('bob', 'APPROVED')],
    satisfied: false,
    description: 'production needs 2 approvals, has 1',
  },
  {
    name: 'production with 2 approvals on the head passes',
    rules: [production],
    reviews: [review('bob', 'APPROVED'), review('carol', 'APPROVED')],
    satisfied: true,
    description: 'approved: production 2/2',
  },
  {
    name: 'the same user approving twice counts once',
    rules: [production],
    reviews: [review('bob', 'APPROVED'), review('BOB', 'APPROVED')],
    satisfied: false,
    description: 'production needs 2 approvals, has 1',
  },
  {
    name: 'a revert PR needs 1 approval',
    rules: [revertProduction],
    reviews: [review('bob', 'APPROVED')],
    satisfied: true,
    description: 'approved: production 1/1',
  },
  {
    name: 'a revert PR with no approval waits',
    rules: [revertProduction],
    reviews: [],
    satisfied: false,
    description: 'production needs 1 approval, has 0',
  },
  {
    name: 'the strictest environment decides',
    rules: [development, production],
    reviews: [review('bob', 'APPROVED')],
    satisfied: false,
    description: 'production needs 2 approvals, has 1',
  },
  {
    name: 'only listed reviewers count when the environment names them',
    rules: [{ ...development, reviewers: ['Carol'] }],
    reviews: [review('bob', 'APPROVED')],
    satisfied: false,
    description: 'development needs 1 approval from listed reviewers, has 0',
  },
  {
    name: 'a listed reviewer counts, matched case-insensitively',
    rules: [{ ...development, reviewers: ['Carol'] }],
    reviews: [review('carol', 'APPROVED')],
    satisfied: true,
    description: 'approved: development 1/1',
  },
  {
    name: 'no environment touched needs nothing',
    rules: [],
    reviews: [],
    satisfied: true,
    description: 'no environment changed: no approvals needed',
  },
];

describe('evaluateApprovals', () => {
  it.each(cases)('$name', ({ rules, reviews, satisfied, description }) => {
    const verdict = evaluateApprovals({ author: 'alice', headSha: HEAD, reviews }, rules);
    expect(verdict.satisfied).toBe(satisfied);
    expect(verdict.description).toBe(description);
  });

  it('keeps the description within the commit status limit', () => {
    const rules = Array.from({ length: 20 }, (_, i) => ({ ...production, environment: `environment-${i}` }));
    const verdict = evaluateApprovals({ author: 'alice', headSha: HEAD, reviews: [] }, rules);
    expect(verdict.description.length).toBeLessThanOrEqual(STATUS_DESCRIPTION_LIMIT);
    expect(verdict.description.startsWith('environment-0 needs 2 approvals, has 0')).toBe(true);
  });

  it('names who approved per environment', () => {
    const verdict = evaluateApprovals(
      { author: 'alice', headSha: HEAD, reviews: [review('carol', 'APPROVED'), review('bob', 'APPROVED')] },
      [production],
    );
    expect(verdict.rules[0]?.approvedBy).toEqual(['bob', 'carol']);
  });
});
