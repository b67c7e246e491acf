import { describe, expect, it } from 'vitest';
import {
  type ApprovalRule,
  evaluateApprovals,
  type Permission,
  type ReviewRecord,
} from '../../src/approvals/count.ts';
import { DESCRIPTION_LIMIT } from '../../src/github/limits.ts';

const HEAD = 'h'.repeat(40);
const OLD = 'o'.repeat(40);

const production: ApprovalRule = { environment: 'production', required: 2, dismissStale: true };
const development: ApprovalRule = { environment: 'development', required: 1, dismissStale: false };
const revertProduction: ApprovalRule = { environment: 'production', required: 1, dismissStale: true };

/** The sandbox's collaborators: alice, bob, carol, dave write; olivia admin; erin read. */
const PERMISSIONS = new Map<string, Permission>([
  ['alice', 'write'],
  ['bob', 'write'],
  ['carol', 'write'],
  ['dave', 'write'],
  ['olivia', 'admin'],
  ['erin', 'read'],
  ['sre', 'write'],
]);

const pr = (reviews: ReviewRecord[], author = 'alice') => ({
  author,
  headSha: HEAD,
  reviews,
  permissions: PERMISSIONS,
});

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
  // Whose approval counts: write access or more, by the sandbox's collaborators.
  {
    name: 'an admin counts',
    rules: [development],
    reviews: [review('olivia', 'APPROVED')],
    satisfied: true,
    description: 'approved: development 1/1',
  },
  {
    name: 'a reader does not count (two strangers cannot satisfy production)',
    rules: [production],
    reviews: [review('erin', 'APPROVED'), review('mallory', 'APPROVED')],
    satisfied: false,
    description: 'production needs 2 approvals, has 0',
  },
  {
    name: 'a reader requesting changes does not block',
    rules: [development],
    reviews: [review('bob', 'APPROVED'), review('erin', 'CHANGES_REQUESTED')],
    satisfied: true,
    description: 'approved: development 1/1',
  },
  {
    name: 'the author is recognised in another case',
    rules: [development],
    reviews: [review('ALICE', 'APPROVED')],
    satisfied: false,
    description: 'development needs 1 approval, has 0',
  },
  {
    name: 'a reviewer in another case still has their permission',
    rules: [development],
    reviews: [review('Bob', 'APPROVED')],
    satisfied: true,
    description: 'approved: development 1/1',
  },
  {
    name: 'a dismissed review of a writer after approval leaves only the other approval',
    rules: [production],
    reviews: [review('bob', 'APPROVED'), review('carol', 'APPROVED'), review('carol', 'DISMISSED')],
    satisfied: false,
    description: 'production needs 2 approvals, has 1',
  },
  {
    name: 'a dismissed request for changes no longer blocks',
    rules: [development],
    reviews: [review('carol', 'CHANGES_REQUESTED'), review('carol', 'DISMISSED'), review('bob', 'APPROVED')],
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
    const verdict = evaluateApprovals(pr(reviews), rules);
    expect(verdict.satisfied).toBe(satisfied);
    expect(verdict.description).toBe(description);
  });

  it('keeps the description within the commit status limit', () => {
    const rules = Array.from({ length: 20 }, (_, i) => ({ ...production, environment: `environment-${i}` }));
    const verdict = evaluateApprovals(pr([]), rules);
    expect(verdict.description.length).toBeLessThanOrEqual(DESCRIPTION_LIMIT);
    expect(verdict.description.startsWith('environment-0 needs 2 approvals, has 0')).toBe(true);
  });

  it('names who approved per environment', () => {
    const verdict = evaluateApprovals(pr([review('carol', 'APPROVED'), review('bob', 'APPROVED')]), [
      production,
    ]);
    expect(verdict.rules[0]?.approvedBy).toEqual(['bob', 'carol']);
  });

  it('says which reviews did not count and why', () => {
    const verdict = evaluateApprovals(
      pr([
        review('alice', 'APPROVED'),
        review('erin', 'APPROVED'),
        review('dependabot[bot]', 'APPROVED'),
        review('bob', 'APPROVED', OLD),
      ]),
      [production],
    );
    expect(verdict.rules[0]?.ignored).toEqual([
      { user: 'alice', why: 'author' },
      { user: 'erin', why: 'no write access' },
      { user: 'dependabot[bot]', why: 'bot' },
      { user: 'bob', why: 'stale' },
    ]);
  });
});
