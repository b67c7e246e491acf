/**
 * What ran when, from ListDeployments, and the minutes a guard's `applies_when` was false for it:
 * a COMPLETE deployment runs until the next one starts, a rolled-back or reverted one until it
 * ended (then the last COMPLETE version again), another profile's deployments do not count, and
 * the minutes before the first deployment listed are unknown.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentInfo } from '../../src/aws/appconfig.ts';
import { applicability, servedSpans } from '../../src/backtest/applicability.ts';
import type { FlagValue, GuardDefinition } from '../../src/model/types.ts';

const MIN = 60_000;
const T = Date.UTC(2026, 5, 1, 0, 0);
const at = (minute: number) => T + minute * MIN;

const share = (percentage: number): Record<string, FlagValue> => ({
  influxdb_traffic_percentage: { enabled: true, attributes: { percentage } },
});
const VERSIONS: Record<string, Record<string, FlagValue>> = { '1': share(0), '2': share(25), '3': share(50) };

function deployment(
  number: number,
  version: string,
  state: DeploymentInfo['state'],
  startedAt: number,
  completedAt?: number,
  profileName = 'feature-flags',
): DeploymentInfo {
  return {
    number,
    state,
    percentageComplete: 100,
    profileName,
    version,
    startedAt,
    ...(completedAt !== undefined ? { completedAt } : {}),
    events: [],
  };
}

const guard = {
  name: 'influxdb-error-rate',
  appliesWhen: [
    { flag: 'influxdb_traffic_percentage', when: { attribute: 'percentage', op: '>', value: 0 } },
  ],
} as unknown as GuardDefinition;

describe('servedSpans', () => {
  const deployments = [
    // Newest first, as AppConfig lists them.
    deployment(4, '2', 'COMPLETE', at(400), at(415)),
    deployment(9, '3', 'COMPLETE', at(350), at(351), 'other-profile'),
    deployment(3, '3', 'ROLLED_BACK', at(300), at(320)),
    deployment(2, '2', 'COMPLETE', at(200), at(215)),
    deployment(1, '1', 'COMPLETE', at(100), at(115)),
  ];
  const spans = servedSpans(deployments, 'feature-flags', { from: at(0), to: at(500) }, (v) => VERSIONS[v]);

  it('cuts the range where deployments start and rollbacks end, for one profile only', () => {
    expect(spans.map((s) => [(s.from - T) / MIN, (s.to - T) / MIN, s.flags])).toEqual([
      [0, 100, undefined],
      [100, 200, share(0)],
      [200, 300, share(25)],
      [300, 320, share(50)],
      // The rollback ended: the last COMPLETE version runs again until the next deployment.
      [320, 400, share(25)],
      [400, 500, share(25)],
    ]);
  });

  it('counts the minutes the guard did not apply, and the unknown ones, beside each other', () => {
    expect(applicability(guard, spans)).toEqual({
      notApplicableMinutes: 100,
      unknownMinutes: 100,
      because: ['influxdb_traffic_percentage.percentage > 0'],
      spans: [{ from: at(100), to: at(200) }],
    });
  });

  it('a guard without applies_when never fails to apply', () => {
    const always = { name: 'x' } as unknown as GuardDefinition;
    expect(applicability(always, spans)).toMatchObject({ notApplicableMinutes: 0, because: [] });
  });

  it('a deployment before the range sets what runs at its start; a revert ends its version', () => {
    const within = servedSpans(
      [deployment(2, '2', 'REVERTED', at(60), at(90)), deployment(1, '1', 'COMPLETE', at(-600), at(-585))],
      'feature-flags',
      { from: at(0), to: at(120) },
      (v) => VERSIONS[v],
    );
    expect(within.map((s) => [(s.from - T) / MIN, (s.to - T) / MIN, s.flags])).toEqual([
      [0, 60, share(0)],
      [60, 90, share(25)],
      [90, 120, share(0)],
    ]);
    expect(applicability(guard, within)).toMatchObject({ notApplicableMinutes: 90, unknownMinutes: 0 });
  });

  it('an unreadable version is unknown, not "did not apply"', () => {
    const unreadable = servedSpans(
      [deployment(1, '7', 'COMPLETE', at(10), at(25))],
      'feature-flags',
      { from: at(0), to: at(60) },
      () => undefined,
    );
    expect(applicability(guard, unreadable)).toMatchObject({ notApplicableMinutes: 0, unknownMinutes: 60 });
  });
});
