/** The release guard's decision, pure: what it lets start and what it refuses, with its reason. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decide,
  type PreStartDeploymentEvent,
  preStartDeployment,
  releaseSignature,
} from '../../src/extension/release-guard.ts';
import { versionLabel } from '../../src/pipeline/versions.ts';

const KEY = 'test-release-key-0123456789';
const CONTENT = Buffer.from('{"flag":{"enabled":true}}');
const SHA = createHash('sha256').update(CONTENT).digest('hex');
const LABEL = versionLabel('c0ffee000001', SHA);
const IDS = { applicationId: 'app1234', environmentId: 'env1234', profileId: 'prof123' };

function event(parameters: Record<string, string>, content = CONTENT): PreStartDeploymentEvent {
  return {
    Application: { Id: IDS.applicationId },
    Environment: { Id: IDS.environmentId },
    ConfigurationProfile: { Id: IDS.profileId },
    ConfigurationVersion: '3',
    Content: content.toString('base64'),
    Parameters: parameters,
  };
}
const signed = (claim = { ...IDS, label: LABEL }) => ({
  flagops_label: claim.label,
  flagops_signature: releaseSignature(KEY, claim),
});

describe('the release guard', () => {
  it('lets a deployment flagops signed start: the label names this content, the HMAC this target', () => {
    expect(decide(event(signed()), KEY)).toEqual({ allow: true, kind: 'signed', label: LABEL });
  });

  it.each([
    ['unsigned (made by hand)', {}, /not signed by flagops/],
    [
      "a label that is not flagops'",
      { flagops_label: 'hotfix', flagops_signature: 'x' },
      /not a flagops version label/,
    ],
    [
      'a forged signature',
      { flagops_label: LABEL, flagops_signature: '0'.repeat(64) },
      /signature does not match/,
    ],
    [
      'a signature for another environment',
      signed({ ...IDS, environmentId: 'other12', label: LABEL }),
      /signature does not match/,
    ],
  ])('refuses %s', (_what, params, reason) => {
    const d = decide(event(params as Record<string, string>), KEY);
    expect(d.allow).toBe(false);
    expect(!d.allow && d.reason).toMatch(reason);
  });

  it('refuses a signed label carried over to other content', () => {
    const d = decide(event(signed(), Buffer.from('{"flag":{"enabled":false}}')), KEY);
    expect(!d.allow && d.reason).toMatch(/is not what label .* names/);
  });

  it('fails closed without a key', () => {
    expect(decide(event(signed()), undefined).allow).toBe(false);
  });

  it('breaks glass with a reason, and not with a token one', () => {
    expect(decide(event({ break_glass: 'incident 42: outage hotfix' }), KEY)).toEqual({
      allow: true,
      kind: 'break-glass',
      reason: 'incident 42: outage hotfix',
    });
    expect(decide(event({ break_glass: 'x' }), KEY).allow).toBe(false);
  });

  it('as a Lambda: throws the reason to stop the deployment, and records every decision', () => {
    const lines: string[] = [];
    expect(() => preStartDeployment(event({}), KEY, (l) => lines.push(l))).toThrow(
      /^flagops release guard: not signed by flagops/,
    );
    expect(
      preStartDeployment(event({ break_glass: 'incident 42: outage hotfix' }), KEY, (l) => lines.push(l)),
    ).toEqual({
      statusCode: 200,
    });
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { flagops: 'release-guard', environment: 'env1234', allow: false },
      { flagops: 'release-guard', allow: true, kind: 'break-glass', reason: 'incident 42: outage hotfix' },
    ]);
  });
});
