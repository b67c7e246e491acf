import { describe, expect, it } from 'vitest';
import { clockDisagreement, frozenClock, policyInstant } from '../../src/core/clock.ts';
import { clockFromEnvironment, parseOrigin, scaledClock, systemClock } from '../../src/pipeline/clock.ts';
import { labelContentHash, runningDeployment, versionLabel } from '../../src/pipeline/versions.ts';
import { policyNow } from '../../src/policy/now.ts';

describe('clocks', () => {
  it('a scaled clock runs speed times faster from its origin', () => {
    let real = 1_000;
    const clock = scaledClock({
      speed: 60,
      origin: { realMs: 1_000, simMs: 5_000_000 },
      realNow: () => real,
    });
    expect(clock.now()).toBe(5_000_000);
    real += 1_000;
    expect(clock.now()).toBe(5_060_000);
  });

  it('reads FLAGOPS_CLOCK_SPEED and FLAGOPS_CLOCK_ORIGIN, and rejects nonsense', async () => {
    expect(await clockFromEnvironment({})).toBe(systemClock);
    const c = await clockFromEnvironment({
      FLAGOPS_CLOCK_SPEED: '600',
      FLAGOPS_CLOCK_ORIGIN: `${Date.now()}:0`,
    });
    expect(c.now()).toBeLessThan(600_000);
    await expect(clockFromEnvironment({ FLAGOPS_CLOCK_SPEED: 'fast' })).rejects.toThrow(/positive number/);
    expect(() => parseOrigin('yesterday')).toThrow(/<realMs>:<simMs>/);
  });
});

describe('the policy clock is the pipeline clock', () => {
  const simStart = Date.UTC(2027, 1, 2, 9);

  it('follows FLAGOPS_CLOCK_SPEED and FLAGOPS_CLOCK_ORIGIN, as the pipeline clock does', async () => {
    const env = { FLAGOPS_CLOCK_SPEED: '600', FLAGOPS_CLOCK_ORIGIN: `${Date.now()}:${simStart}` };
    const pipeline = (await clockFromEnvironment(env)).now();
    const policy = policyNow(env).getTime();
    expect(policy).toBeGreaterThanOrEqual(simStart);
    // The same seam: both read the same simulated instant (within the time between the two reads).
    expect(Math.abs(policy - pipeline)).toBeLessThan(600 * 1_000);
    expect(Math.abs(policy - Date.now())).toBeGreaterThan(24 * 3_600_000);
  });

  it('FLAGOPS_NOW is a frozen instant of the same seam, and wins over the running clock', () => {
    const at = '2027-03-01T10:00:00Z';
    expect(policyInstant({ FLAGOPS_NOW: at, FLAGOPS_CLOCK_SPEED: '600' }).toISOString()).toBe(
      '2027-03-01T10:00:00.000Z',
    );
    expect(() => policyInstant({ FLAGOPS_NOW: 'soon' })).toThrow(
      /FLAGOPS_NOW="soon" is not an ISO-8601 instant/,
    );
    expect(frozenClock(5).now()).toBe(5);
  });

  it('without the seam, real time', () => {
    expect(Math.abs(policyNow({}).getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('a service timestamp more than a minute ahead of now is a disagreement that says so', () => {
    expect(clockDisagreement('x', simStart + 60_000, simStart)).toBeUndefined();
    expect(clockDisagreement('the bake record of deployment 3', simStart + 61 * 60_000, simStart)).toMatch(
      /^the clock disagrees with the services: the bake record of deployment 3 is at 2027-02-02T10:01:00.000Z, 61 min in the future/,
    );
  });
});

describe('version labels', () => {
  it('carry commit and content hash, contain a non-digit and fit in 64 characters', () => {
    const label = versionLabel('0123456789abcdef0123', 'f'.repeat(64));
    expect(label).toBe('flagops.0123456789ab.ffffffffffffffff');
    expect(label.length).toBeLessThanOrEqual(64);
    expect(labelContentHash(label)).toBe('f'.repeat(16));
    expect(labelContentHash('v12')).toBeUndefined();
  });

  it('the running deployment is the newest COMPLETE one of the profile', () => {
    const d = (number: number, state: string, profileName = 'feature-flags') =>
      ({ number, state, profileName, percentageComplete: 100, version: String(number), events: [] }) as never;
    expect(
      runningDeployment(
        [d(1, 'COMPLETE'), d(2, 'ROLLED_BACK'), d(3, 'COMPLETE', 'other'), d(4, 'DEPLOYING')],
        'feature-flags',
      ),
    ).toMatchObject({ number: 1 });
  });
});
