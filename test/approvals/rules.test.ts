import { describe, expect, it } from 'vitest';
import { approvalRules, isAutomaticRevert } from '../../src/approvals/rules.ts';
import type { Application, EnvironmentDefinition } from '../../src/model/types.ts';

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

describe('approvalRules', () => {
  it('gives one rule per touched environment with its settings', () => {
    expect(approvalRules(app, ['production'], { revert: false })).toEqual([
      { environment: 'production', required: 2, dismissStale: true, reviewers: ['sre'] },
    ]);
  });

  it('uses revert_approvals for automatic reverts', () => {
    const rules = approvalRules(app, ['development', 'production'], { revert: true });
    expect(rules.map((r) => r.required)).toEqual([1, 1]);
  });

  it('ignores environments the pull request does not touch', () => {
    expect(approvalRules(app, [], { revert: false })).toEqual([]);
  });

  it('recognises automatic revert pull requests by label', () => {
    expect(isAutomaticRevert(['flagops:revert', 'flagops:automatic'])).toBe(true);
    expect(isAutomaticRevert(['flagops:revert'])).toBe(false);
  });
});
