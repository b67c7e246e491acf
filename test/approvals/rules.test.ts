import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../src/approvals/count.ts';
import { approvalRules } from '../../src/approvals/rules.ts';
import type { Application, EnvironmentDefinition } from '../../src/model/types.ts';
import { requiredApprovals } from '../../src/policy/index.ts';

function env(name: string, order: number, extra: Partial<EnvironmentDefinition> = {}): EnvironmentDefinition {
  return {
    name,
    order,
    strategy: 'AppConfig.AllAtOnce',
    bakeMinutes: 0,
    approvals: 1,
    dismissStale: false,
    alarms: [],
    guards: [],
    ...extra,
  };
}

const app: Application = {
  name: 'app',
  locations: {},
  dir: 'flags/app',
  profiles: {},
  environments: [
    env('development', 0),
    env('production', 1, { approvals: 2, dismissStale: true, reviewers: ['sre'] }),
  ],
  strategies: {},
  guards: {},
  policy: { promotionOrder: true, numeric: [], dwellMinutes: {}, freezeWindows: [], revertApprovals: 1 },
  flags: {},
};

const HEAD = 'h'.repeat(40);

describe('approvalRules from the policy requirement', () => {
  it('carries the strictest environment with its settings', () => {
    const rules = approvalRules(requiredApprovals(app, ['development', 'production'], { revert: false }));
    expect(rules).toEqual([
      { environment: 'production', required: 2, dismissStale: true, reviewers: ['sre'] },
    ]);
  });

  it('asks revert_approvals of an automatic revert', () => {
    const rules = approvalRules(requiredApprovals(app, ['production'], { revert: true }));
    expect(rules.map((r) => r.required)).toEqual([1]);
    const verdict = evaluateApprovals(
      {
        author: 'flagops[bot]',
        headSha: HEAD,
        reviews: [{ user: 'sre', isBot: false, state: 'APPROVED', commitId: HEAD }],
        permissions: new Map([['sre', 'write' as const]]),
      },
      rules,
    );
    expect(verdict).toMatchObject({ satisfied: true, description: 'approved: production 1/1' });
  });

  it('has no rule when no environment is touched', () => {
    expect(approvalRules(requiredApprovals(app, [], { revert: false }))).toEqual([]);
  });
});
