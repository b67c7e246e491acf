import { describe, expect, it } from 'vitest';
import { clockFromEnvironment, parseOrigin, scaledClock, systemClock } from '../../src/pipeline/clock.ts';
import { labelContentHash, runningDeployment, versionLabel } from '../../src/pipeline/versions.ts';

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
