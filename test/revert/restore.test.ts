import { describe, expect, it } from 'vitest';
import { labelCommit, RestoreError, restoreFeatureFlags } from '../../src/revert/restore.ts';
import { revertBranch, revertTitle } from '../../src/revert/text.ts';

const FILE = [
  '# production values',
  'use_influxdb_for_api_queries: { enabled: true }',
  'influxdb_traffic_percentage:',
  '  enabled: true',
  '  percentage: 50 # share of API queries',
  '',
].join('\n');
const CURRENT = {
  use_influxdb_for_api_queries: { enabled: true, attributes: {} },
  influxdb_traffic_percentage: { enabled: true, attributes: { percentage: 50 } },
};

describe('restoreFeatureFlags', () => {
  it('changes only the values that differ, keeping comments and layout', () => {
    const out = restoreFeatureFlags(FILE, CURRENT, {
      use_influxdb_for_api_queries: { enabled: false, attributes: {} },
      influxdb_traffic_percentage: { enabled: true, attributes: { percentage: 25 } },
    });
    expect(out).toBe(
      FILE.replace('{ enabled: true }', '{ enabled: false }').replace('percentage: 50 #', 'percentage: 25 #'),
    );
  });

  it('adds a flag that is deployed but missing from the file', () => {
    const out = restoreFeatureFlags(FILE, CURRENT, {
      ...CURRENT,
      monitoring: { enabled: true, attributes: { level: 'high' } },
    });
    expect(out.endsWith('monitoring: { enabled: true, level: high }\n')).toBe(true);
  });

  it('refuses what a surgical edit cannot say: a flag to remove', () => {
    expect(() =>
      restoreFeatureFlags(FILE, CURRENT, {
        influxdb_traffic_percentage: CURRENT.influxdb_traffic_percentage,
      }),
    ).toThrow(RestoreError);
  });
});

describe('names', () => {
  it('reads the commit from a flagops label, not from other labels', () => {
    expect(labelCommit('flagops.1f2cff9abcde.04a51536e2a6ae64')).toBe('1f2cff9abcde');
    expect(labelCommit('flagops.local.04a51536e2a6ae64')).toBeUndefined();
    expect(labelCommit('v1')).toBeUndefined();
  });

  it('one branch per target and rolled-back commit; the title says what breached', () => {
    const target = { application: 'app', environment: 'production', profile: 'feature-flags' };
    expect(revertBranch(target, '1f2cff9abcde')).toBe('flagops/revert/app/production/feature-flags/1f2cff9');
    expect(
      revertTitle({ target, breaches: [{ kind: 'alarm', alarm: 'InfluxDB-High-Error-Rate', at: 0 }] }),
    ).toBe('Revert app/production: alarm InfluxDB-High-Error-Rate in ALARM');
  });
});
