/** Pure logic of the emulated AppConfig: feature-flag checks, growth curves, simplification. */
import { describe, expect, it } from 'vitest';
import { growthSteps, percentageAt } from '../../packages/sandbox/src/appconfig/deployments.ts';
import {
  checkFeatureFlags,
  simplifyFeatureFlags,
  stampMetadata,
} from '../../packages/sandbox/src/appconfig/feature-flags.ts';
import type { Deployment } from '../../packages/sandbox/src/appconfig/state.ts';
import { Sessions, sessionBucket } from '../../packages/sandbox/src/appconfigdata/sessions.ts';

const locations = (doc: unknown) => checkFeatureFlags(doc).map((d) => d.Location);

describe('checkFeatureFlags', () => {
  it('accepts a valid document with every constraint type', () => {
    expect(
      checkFeatureFlags({
        version: '1',
        flags: {
          rollout: {
            name: 'Rollout',
            attributes: {
              pct: { constraints: { type: 'number', minimum: 0, maximum: 100, required: true } },
              mode: { constraints: { type: 'string', enum: ['a', 'b'] } },
              tag: { constraints: { type: 'string', pattern: '^v\\d+$' } },
              on: { constraints: { type: 'boolean' } },
              list: { constraints: { type: 'array', elements: { type: 'number', minimum: 1 } } },
              free: {},
            },
          },
          unused: {},
        },
        values: {
          rollout: { enabled: true, pct: 40, mode: 'a', tag: 'v2', on: false, list: [1, 2], free: 'x' },
        },
      }),
    ).toEqual([]);
  });

  it('rejects the wrong version, unknown top-level members and bad keys', () => {
    expect(locations({ version: 1, extra: true, flags: { BadKey: {} } })).toEqual([
      '$.extra',
      '$.version',
      '$.flags.BadKey',
    ]);
  });

  it('rejects string[] types, arrays without elements, non-integer bounds and pattern with enum', () => {
    const problems = checkFeatureFlags({
      version: '1',
      flags: {
        f: {
          attributes: {
            a: { constraints: { type: 'string[]' } },
            b: { constraints: { type: 'array' } },
            c: { constraints: { type: 'number', minimum: 0.5 } },
            d: { constraints: { type: 'string', pattern: 'x', enum: ['x'] } },
          },
        },
      },
    });
    expect(problems.map((p) => p.Location)).toEqual([
      '$.flags.f.attributes.a.constraints.type',
      '$.flags.f.attributes.b.constraints.elements',
      '$.flags.f.attributes.c.constraints.minimum',
      '$.flags.f.attributes.d.constraints',
    ]);
  });

  it('allows at most 25 attributes', () => {
    const attributes = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`a${i}`, {}]));
    expect(locations({ version: '1', flags: { f: { attributes } } })).toEqual(['$.flags.f.attributes']);
  });

  it('checks values against constraints, required attributes, undefined flags and attributes', () => {
    const problems = checkFeatureFlags({
      version: '1',
      flags: {
        f: { attributes: { pct: { constraints: { type: 'number', maximum: 100, required: true } } } },
      },
      values: { f: { enabled: 'yes', extra: 1 }, ghost: { enabled: true } },
    });
    expect(problems.map((p) => [p.Location, p.Constraint])).toEqual([
      ['$.values.f.enabled', 'required'],
      ['$.values.f.extra', 'definition'],
      ['$.values.f.pct', 'required'],
      ['$.values.ghost', 'definition'],
    ]);
  });
});

describe('growth', () => {
  const deployment = (growthType: Deployment['GrowthType'], factor: number, minutes: number) =>
    ({ GrowthType: growthType, GrowthFactor: factor, DeploymentDurationInMinutes: minutes }) as Deployment;

  it('lists LINEAR and EXPONENTIAL steps up to 100', () => {
    expect(growthSteps('LINEAR', 20)).toEqual([20, 40, 60, 80, 100]);
    expect(growthSteps('LINEAR', 30)).toEqual([30, 60, 90, 100]);
    expect(growthSteps('EXPONENTIAL', 10)).toEqual([10, 20, 40, 80, 100]);
    expect(growthSteps('EXPONENTIAL', 2)).toEqual([2, 4, 8, 16, 32, 64, 100]);
  });

  it('spreads the steps over the duration, each holding one interval', () => {
    const linear = deployment('LINEAR', 20, 30);
    expect(percentageAt(linear, 0)).toBe(20);
    expect(percentageAt(linear, 6 * 60_000 - 1)).toBe(20);
    expect(percentageAt(linear, 6 * 60_000)).toBe(40);
    expect(percentageAt(linear, 29 * 60_000)).toBe(100);
    expect(percentageAt(deployment('LINEAR', 20, 0), 0)).toBe(100);
  });
});

describe('stampMetadata and simplifyFeatureFlags', () => {
  it('stamps new entries and keeps the timestamps of unchanged ones', () => {
    const previous = {
      version: '1',
      flags: { a: { _createdAt: 'T0', _updatedAt: 'T0' } },
      values: { a: { enabled: true, _createdAt: 'T0', _updatedAt: 'T0' } },
    };
    const next = stampMetadata(
      { version: '1', flags: { a: {}, b: {} }, values: { a: { enabled: false } } },
      previous,
      'T1',
    );
    expect(next).toEqual({
      version: '1',
      flags: { a: { _createdAt: 'T0', _updatedAt: 'T0' }, b: { _createdAt: 'T1', _updatedAt: 'T1' } },
      values: { a: { enabled: false, _createdAt: 'T0', _updatedAt: 'T1' } },
    });
  });

  it('serves attributes only for enabled flags and treats flags without values as disabled', () => {
    expect(
      simplifyFeatureFlags({
        version: '1',
        flags: { on: {}, off: {}, missing: {} },
        values: { on: { enabled: true, pct: 5, _updatedAt: 'T' }, off: { enabled: false, pct: 9 } },
      }),
    ).toEqual({ on: { enabled: true, pct: 5 }, off: { enabled: false }, missing: { enabled: false } });
  });
});

describe('AppConfigData sessions', () => {
  const target = {
    applicationId: 'app1234',
    environmentId: 'env1234',
    profileId: 'pro1234',
    profileType: 'AWS.Freeform',
    pollIntervalSeconds: 15,
  };

  it('spends tokens once, forgets spent ones after a while and keeps live sessions', () => {
    const sessions = new Sessions();
    const first = sessions.start(target, 0);
    const redeemed = sessions.redeem(first, 1_000);
    expect(redeemed.ok).toBe(true);
    if (!redeemed.ok) return;
    const next = sessions.issue(redeemed.session, 1_000);
    expect(sessions.redeem(first, 2_000)).toEqual({ ok: false, problem: 'Expired' });

    sessions.prune(20 * 60_000);
    expect(sessions.redeem(first, 20 * 60_000)).toEqual({ ok: false, problem: 'Corrupted' });
    expect(sessions.redeem(next, 20 * 60_000).ok).toBe(true);
  });

  it('expires unused tokens after 24 hours', () => {
    const sessions = new Sessions();
    const token = sessions.start(target, 0);
    expect(sessions.redeem(token, 24 * 3_600_000 + 1)).toEqual({ ok: false, problem: 'Expired' });
  });

  it('places each session at a stable point in [0, 1)', () => {
    const a = sessionBucket('session-a');
    expect(sessionBucket('session-a')).toBe(a);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(1);
  });
});
