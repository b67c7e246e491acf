import { describe, expect, it } from 'vitest';
import { checkState } from '../../src/policy/index.ts';
import { onsApp, onsPolicy, onsRepo } from './builders.ts';

describe('prerequisites', () => {
  it('passes the repository as it is (production at phase 1, development ahead)', () => {
    expect(checkState(onsRepo({ queries: false, percentage: 0 }))).toEqual([]);
  });

  it('fails a percentage above 0 while api queries are disabled, pointing at the percentage', () => {
    const findings = checkState(onsRepo({ queries: false, percentage: 10 }));
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      rule: 'prerequisite',
      severity: 'error',
      flag: 'influxdb_traffic_percentage',
      attribute: 'percentage',
      targets: ['ons-data-platform-app/production/feature-flags'],
      position: { file: 'flags/ons-data-platform-app/production/feature-flags.yaml', line: 6, column: 15 },
    });
    expect(f?.message).toContain('requires use_influxdb_for_api_queries to be enabled, but it is disabled');
    expect(f?.message).toContain('Enable use_influxdb_for_api_queries in');
    expect(f?.message).toContain('or set influxdb_traffic_percentage.percentage to 0');
  });

  it('does not apply a conditional prerequisite while its condition does not hold', () => {
    expect(checkState(onsRepo({ queries: false, percentage: 0 }))).toEqual([]);
  });

  it('does not apply prerequisites of a disabled flag', () => {
    expect(checkState(onsRepo({ queries: false, percentage: 50, percentageEnabled: false }))).toEqual([]);
  });

  it('fails queries enabled without ingestion (unconditional prerequisite)', () => {
    const findings = checkState(
      onsRepo({ ingestion: false, queries: true, percentage: 0 }, { ingestion: true }),
    );
    const prerequisite = findings.filter((f) => f.rule === 'prerequisite');
    expect(prerequisite).toHaveLength(1);
    expect(prerequisite[0]?.flag).toBe('use_influxdb_for_api_queries');
    expect(prerequisite[0]?.message).toContain('Enable use_influxdb_for_data_ingestion');
    expect(prerequisite[0]?.message).toContain('or disable use_influxdb_for_api_queries');
  });

  it('reports a missing prerequisite flag as missing', () => {
    const repo = onsRepo({ queries: false, percentage: 10 });
    const production = repo.targets[1]!;
    delete production.flags!['use_influxdb_for_api_queries'];
    const [f] = checkState(repo).filter((x) => x.rule === 'prerequisite');
    expect(f?.message).toContain('but it is missing');
  });
});

describe('promotion order', () => {
  it('fails production ahead of development, with what to do instead', () => {
    const findings = checkState(onsRepo({ percentage: 50 }, { percentage: 25 }));
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      rule: 'promotion-order',
      severity: 'error',
      attribute: 'percentage',
      targets: [
        'ons-data-platform-app/production/feature-flags',
        'ons-data-platform-app/development/feature-flags',
      ],
      position: { line: 6 },
    });
    expect(f?.message).toBe(
      'production: influxdb_traffic_percentage.percentage is 50, but development (earlier in the promotion order) ' +
        'has 25; production may not run ahead of development. Raise development to 50 first, or keep production ' +
        'at 25 or less.',
    );
  });

  it('passes production level with development', () => {
    expect(checkState(onsRepo({ percentage: 25 }, { percentage: 25 }))).toEqual([]);
  });

  it('fails a flag enabled in production but not in development', () => {
    const findings = checkState(
      onsRepo({ percentage: 0, monitoring: true }, { percentage: 25, monitoring: false }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'promotion-order',
      flag: 'enable_query_performance_monitoring',
    });
    expect(findings[0]?.message).toContain(
      'Enable it in flags/ons-data-platform-app/development/feature-flags.yaml',
    );
  });

  it('is off when the policy says promotion_order: false', () => {
    const app = onsApp({ policy: onsPolicy({ promotionOrder: false }) });
    expect(checkState(onsRepo({ percentage: 50 }, { percentage: 25 }, { app }))).toEqual([]);
  });
});
