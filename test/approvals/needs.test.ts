/**
 * What a change needs, table-driven: path classes, labels (never matter), policy edits, and
 * App-authored reverts against look-alikes. Judged from the BASE repository only.
 */
import { describe, expect, it } from 'vitest';
import { type ChangeFacts, changeNeeds, OUTSIDE_VALUES, revertClaim } from '../../src/approvals/needs.ts';
import { DIR, onsRepo } from '../policy/builders.ts';

const base = onsRepo({ percentage: 25 });
const PROD = `${DIR}/production/feature-flags.yaml`;
const DEV = `${DIR}/development/feature-flags.yaml`;
const APP_LOGIN = 'flagops-ons[bot]';
const REVERT_BRANCH = 'flagops/revert/ons-data-platform-app/production/feature-flags/abc1234';

const facts = (paths: string[], extra: Partial<ChangeFacts> = {}): ChangeFacts => ({
  author: 'alice',
  headRef: 'change',
  sameRepository: true,
  paths,
  ...extra,
});

interface Case {
  name: string;
  facts: ChangeFacts;
  /** What the caller found when comparing the revert's content with AppConfig. */
  restores?: boolean;
  rules: [string, number][];
  codeOwners: boolean;
  revert: boolean;
}

const cases: Case[] = [
  {
    name: 'development values: 1',
    facts: facts([DEV]),
    rules: [['development', 1]],
    codeOwners: false,
    revert: false,
  },
  {
    name: 'production values: 2',
    facts: facts([PROD]),
    rules: [['production', 2]],
    codeOwners: false,
    revert: false,
  },
  {
    name: 'both: the strictest decides',
    facts: facts([DEV, PROD]),
    rules: [['production', 2]],
    codeOwners: false,
    revert: false,
  },
  ...[
    'dist/actions/deploy/index.mjs',
    'src/approvals/count.ts',
    'actions/plan/action.yml',
    '.github/workflows/change-control.yml',
    'schemas/feature-flags.schema.json',
    'package.json',
    'package-lock.json',
    `${DIR}/app.yaml`,
    '.github/CODEOWNERS',
    'README.md',
    `${DIR}/staging/feature-flags.yaml`,
    `${DIR}/production/unknown-profile.yaml`,
  ].map(
    (path): Case => ({
      name: `${path} is outside the values files: strictest approvals and code owners`,
      facts: facts([path]),
      rules: [[OUTSIDE_VALUES, 2]],
      codeOwners: true,
      revert: false,
    }),
  ),
  {
    name: 'a values file plus code: both rules, code owners too',
    facts: facts([DEV, 'src/x.ts']),
    rules: [
      ['development', 1],
      [OUTSIDE_VALUES, 2],
    ],
    codeOwners: true,
    revert: false,
  },
  {
    name: 'an App-opened revert that restores what is deployed: revert_approvals',
    facts: facts([PROD], { author: APP_LOGIN, headRef: REVERT_BRANCH }),
    restores: true,
    rules: [['production', 1]],
    codeOwners: false,
    revert: true,
  },
  {
    name: 'the App login compares case-insensitively',
    facts: facts([PROD], { author: 'FlagOps-ONS[bot]', headRef: REVERT_BRANCH }),
    restores: true,
    rules: [['production', 1]],
    codeOwners: false,
    revert: true,
  },
  {
    name: 'look-alike: a person opened it from the revert branch',
    facts: facts([PROD], { headRef: REVERT_BRANCH }),
    restores: true,
    rules: [['production', 2]],
    codeOwners: false,
    revert: false,
  },
  {
    name: 'look-alike: another bot',
    facts: facts([PROD], { author: 'dependabot[bot]', headRef: REVERT_BRANCH }),
    restores: true,
    rules: [['production', 2]],
    codeOwners: false,
    revert: false,
  },
  {
    name: 'look-alike: the App, but not from a revert branch',
    facts: facts([PROD], { author: APP_LOGIN, headRef: 'flagops/set-percentage/production' }),
    restores: true,
    rules: [['production', 2]],
    codeOwners: false,
    revert: false,
  },
  {
    name: 'look-alike: revert branch of another target',
    facts: facts([PROD], {
      author: APP_LOGIN,
      headRef: 'flagops/revert/ons-data-platform-app/development/feature-flags/abc1234',
    }),
    restores: true,
    rules: [['production', 2]],
    codeOwners: false,
    revert: false,
  },
  {
    name: 'look-alike: from a fork',
    facts: facts([PROD], { author: APP_LOGIN, headRef: REVERT_BRANCH, sameRepository: false }),
    restores: true,
    rules: [['production', 2]],
    codeOwners: false,
    revert: false,
  },
  {
    name: 'look-alike: the revert also changes code',
    facts: facts([PROD, 'dist/actions/deploy/index.mjs'], { author: APP_LOGIN, headRef: REVERT_BRANCH }),
    restores: true,
    rules: [
      ['production', 2],
      [OUTSIDE_VALUES, 2],
    ],
    codeOwners: true,
    revert: false,
  },
  {
    name: 'look-alike: the content is not what AppConfig serves',
    facts: facts([PROD], { author: APP_LOGIN, headRef: REVERT_BRANCH }),
    restores: false,
    rules: [['production', 2]],
    codeOwners: false,
    revert: false,
  },
  {
    name: 'no file changed: nothing to approve',
    facts: facts([]),
    rules: [],
    codeOwners: false,
    revert: false,
  },
];

describe('changeNeeds', () => {
  it.each(cases)('$name', ({ facts: f, restores, rules, codeOwners, revert }) => {
    const needs = changeNeeds(base, f, {
      appLogin: APP_LOGIN,
      ...(restores !== undefined ? { restoresDeployed: () => restores } : {}),
    });
    expect(needs.rules.map((r) => [r.environment, r.required])).toEqual(rules);
    expect(needs.codeOwners).toBe(codeOwners);
    expect(needs.revert !== undefined).toBe(revert);
  });

  it('code and policy changes count approvals on the latest commit only', () => {
    const needs = changeNeeds(base, facts(['src/x.ts']));
    expect(needs.rules[0]?.dismissStale).toBe(true);
  });

  it('without an App login configured nothing is a revert', () => {
    expect(revertClaim(base, facts([PROD], { author: APP_LOGIN, headRef: REVERT_BRANCH }), undefined)).toBe(
      undefined,
    );
  });

  it('labels are not an input at all: the facts have no labels to forge', () => {
    const withLabels = { ...facts([PROD]), labels: ['flagops:automatic', 'flagops:revert'] } as ChangeFacts;
    expect(
      changeNeeds(base, withLabels, { appLogin: APP_LOGIN, restoresDeployed: () => true }).rules,
    ).toEqual([{ environment: 'production', required: 2, dismissStale: true }]);
  });
});
