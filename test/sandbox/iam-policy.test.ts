/**
 * The sandbox's IAM evaluation against what the IAM User Guide documents:
 * - condition operators and multiple values, "IAM JSON policy elements: Condition operators" and
 *   "Creating a condition with multiple keys or values"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html):
 *   keys and operator blocks AND together, a key's values OR; StringEquals is case-sensitive,
 *   StringLike takes `*` and `?`;
 * - "Policy evaluation logic": an explicit deny overrides an allow, no allow is an implicit deny
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
 * - GitHub's subject claims, "OpenID Connect reference", example subject claims
 *   (https://docs.github.com/en/actions/reference/security/oidc).
 */
import { describe, expect, it } from 'vitest';
import { claimsFor, OidcIssuer, subjectOf } from '../../packages/sandbox/src/iam/oidc.ts';
import { conditionHolds, decide } from '../../packages/sandbox/src/iam/policy.ts';

const SUB = 'token.actions.githubusercontent.com:sub';
const AUD = 'token.actions.githubusercontent.com:aud';

describe('IAM conditions', () => {
  const ctx = { [SUB]: 'repo:ons/flags:environment:production', [AUD]: 'sts.amazonaws.com' };

  it('StringEquals needs every key to match, any of a key’s values, with case', () => {
    expect(conditionHolds({ StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: ctx[SUB] } }, ctx)).toBe(true);
    expect(
      conditionHolds({ StringEquals: { [SUB]: ['repo:ons/flags:environment:development', ctx[SUB]] } }, ctx),
    ).toBe(true);
    expect(conditionHolds({ StringEquals: { [SUB]: 'repo:ons/flags:environment:development' } }, ctx)).toBe(
      false,
    );
    expect(conditionHolds({ StringEquals: { [SUB]: 'repo:ons/flags:environment:Production' } }, ctx)).toBe(
      false,
    );
    // A second key that does not match fails the whole block (AND).
    expect(conditionHolds({ StringEquals: { [SUB]: ctx[SUB], [AUD]: 'other' } }, ctx)).toBe(false);
  });

  it('StringLike takes * and ?, and both operator blocks must hold', () => {
    expect(conditionHolds({ StringLike: { [SUB]: 'repo:ons/flags:*' } }, ctx)).toBe(true);
    expect(conditionHolds({ StringLike: { [SUB]: 'repo:ons/flag?:environment:production' } }, ctx)).toBe(
      true,
    );
    expect(conditionHolds({ StringLike: { [SUB]: 'repo:ons/other:*' } }, ctx)).toBe(false);
    expect(
      conditionHolds(
        { StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: 'repo:ons/other:*' } },
        ctx,
      ),
    ).toBe(false);
  });

  it('condition key names compare without case; a missing key fails unless …IfExists', () => {
    expect(conditionHolds({ StringEquals: { [SUB.toUpperCase()]: ctx[SUB] } }, ctx)).toBe(true);
    expect(
      conditionHolds({ StringEquals: { 'token.actions.githubusercontent.com:environment': 'x' } }, ctx),
    ).toBe(false);
    expect(
      conditionHolds(
        { StringEqualsIfExists: { 'token.actions.githubusercontent.com:environment': 'x' } },
        ctx,
      ),
    ).toBe(true);
  });
});

describe('IAM permissions', () => {
  const allow = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow' as const, Action: ['appconfig:Get*', 'appconfig:StartDeployment'], Resource: '*' },
    ],
  };

  it('allows a matching action (names without case), denies implicitly otherwise, and a Deny wins', () => {
    expect(decide([allow], 'appconfig:GetDeployment')).toBe('allow');
    expect(decide([allow], 'AppConfig:startdeployment')).toBe('allow');
    expect(decide([allow], 'appconfig:StopDeployment')).toBe('implicit-deny');
    const deny = {
      Statement: { Effect: 'Deny' as const, Action: 'appconfig:StartDeployment', Resource: '*' },
    };
    expect(decide([allow, deny], 'appconfig:StartDeployment')).toBe('deny');
  });
});

describe("GitHub's OIDC claims", () => {
  const job = {
    repository: 'ons/flags',
    repositoryOwner: 'ons',
    environment: null as string | null,
    eventName: 'push',
    ref: 'refs/heads/main',
    sha: 'a'.repeat(40),
    workflowPath: '.github/workflows/deploy.yml',
    actor: 'alice',
    runId: 7,
    headRef: '',
    baseRef: '',
  };

  it('the subject names the environment, else pull_request, else the ref', () => {
    expect(subjectOf({ ...job, environment: 'production' })).toBe('repo:ons/flags:environment:production');
    expect(subjectOf({ ...job, eventName: 'pull_request', ref: 'refs/pull/3/merge' })).toBe(
      'repo:ons/flags:pull_request',
    );
    expect(subjectOf(job)).toBe('repo:ons/flags:ref:refs/heads/main');
  });

  it('a signed token carries iss, aud, environment, ref, sha and job_workflow_ref; a forged one is refused', () => {
    const issuer = new OidcIssuer();
    const now = Date.UTC(2026, 0, 1);
    const token = issuer.sign(claimsFor({ ...job, environment: 'production' }, 'sts.amazonaws.com', now));
    const claims = issuer.verify(token, now);
    expect(claims).toMatchObject({
      iss: 'https://token.actions.githubusercontent.com',
      aud: 'sts.amazonaws.com',
      sub: 'repo:ons/flags:environment:production',
      environment: 'production',
      ref: 'refs/heads/main',
      sha: job.sha,
      repository: 'ons/flags',
      event_name: 'push',
      job_workflow_ref: 'ons/flags/.github/workflows/deploy.yml@refs/heads/main',
    });
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'repo:ons/flags:environment:x' })).toString(
      'base64url',
    );
    expect(issuer.verify(`${h}.${forged}.${s}`, now)).toBeUndefined();
    expect(new OidcIssuer().verify(token, now)).toBeUndefined();
    // Expired: GitHub's tokens are for exchanging at once.
    expect(issuer.verify(token, now + 3_600_000)).toBeUndefined();
  });
});
