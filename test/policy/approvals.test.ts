import { describe, expect, it } from 'vitest';
import { requiredApprovals } from '../../src/policy/index.ts';
import { onsApp, onsPolicy } from './builders.ts';

describe('requiredApprovals', () => {
  const app = onsApp();

  it('takes the strictest environment touched', () => {
    expect(requiredApprovals(app, ['development', 'production'], { revert: false })).toEqual({
      approvals: 2,
      environment: 'production',
      reason: 'production requires 2 approvals',
      dismissStale: true,
    });
  });

  it('uses development alone when only development changes', () => {
    expect(requiredApprovals(app, ['development'], { revert: false })).toMatchObject({
      approvals: 1,
      environment: 'development',
      dismissStale: false,
    });
  });

  it('needs policy.revert_approvals for an automatic revert', () => {
    const r = requiredApprovals(app, ['production'], { revert: true });
    expect(r.approvals).toBe(1);
    expect(r.environment).toBe('production');
    expect(r.reason).toContain('automatic revert');
  });

  it('never asks more of a revert than the environment itself would', () => {
    const strict = onsApp({ policy: onsPolicy({ revertApprovals: 3 }) });
    expect(requiredApprovals(strict, ['production'], { revert: true }).approvals).toBe(2);
  });

  it('returns the deciding environment’s reviewers', () => {
    const withReviewers = onsApp();
    withReviewers.environments[1] = { ...withReviewers.environments[1]!, reviewers: ['alice', 'bob'] };
    expect(
      requiredApprovals(withReviewers, ['development', 'production'], { revert: false }).reviewers,
    ).toEqual(['alice', 'bob']);
  });

  it('needs nothing when no environment is touched', () => {
    expect(requiredApprovals(app, [], { revert: false })).toMatchObject({ approvals: 0 });
  });
});
