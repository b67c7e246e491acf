import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/index.ts';
import { INSIDE_FREEZE, OUTSIDE_FREEZE, onsRepo, settingsTarget } from '../policy/builders.ts';

const options = { now: OUTSIDE_FREEZE, baseLabel: 'origin/main' };

describe('buildPlan', () => {
  it('lists each changed value old → new and leaves unchanged targets out', () => {
    const plan = buildPlan(onsRepo({ percentage: 10 }), onsRepo({ percentage: 25 }), options);
    expect(plan.targets.map((t) => t.id)).toEqual(['ons-data-platform-app/production/feature-flags']);
    expect(plan.targets[0]?.changes).toEqual([
      {
        kind: 'attribute',
        flag: 'influxdb_traffic_percentage',
        attribute: 'percentage',
        before: 10,
        after: 25,
        direction: 'up',
      },
    ]);
    expect(plan.verdict).toBe('pass');
  });

  it('fails 10 → 75 and attaches the finding to the production target', () => {
    const plan = buildPlan(
      onsRepo({ percentage: 10 }, { percentage: 100 }),
      onsRepo({ percentage: 75 }, { percentage: 100 }),
      options,
    );
    expect(plan.verdict).toBe('fail');
    expect(plan.summary.errors).toBe(1);
    expect(plan.targets[0]?.findings.map((f) => f.rule)).toEqual(['max-increase', 'dwell']);
  });

  it('passes 50 → 0 inside the freeze window and describes the rollback', () => {
    const plan = buildPlan(
      onsRepo({ percentage: 50 }, { percentage: 50 }),
      onsRepo({ percentage: 0 }, { percentage: 50 }),
      {
        ...options,
        now: INSIDE_FREEZE,
      },
    );
    expect(plan.verdict).toBe('pass');
    expect(plan.targets[0]?.changes[0]?.direction).toBe('down');
    expect(plan.targets[0]?.onBreach).toBe(
      'on breach: roll back production to influxdb_traffic_percentage.percentage = 50, open a revert PR',
    );
  });

  it('shows enabling, added and removed flags', () => {
    const base = onsRepo({ queries: false, percentage: 0 });
    const head = onsRepo({ queries: true, percentage: 0 });
    const production = head.targets[1]!;
    delete production.flags!['enable_query_performance_monitoring'];
    production.flags!['brand_new'] = { enabled: false, attributes: { level: 3 } };
    const changes = buildPlan(base, head, options).targets[0]?.changes;
    expect(changes).toEqual([
      {
        kind: 'enabled',
        flag: 'use_influxdb_for_api_queries',
        attribute: 'enabled',
        before: false,
        after: true,
        direction: 'up',
      },
      { kind: 'flag-added', flag: 'brand_new', attribute: 'enabled', after: false, direction: 'other' },
      { kind: 'flag-added', flag: 'brand_new', attribute: 'level', after: 3, direction: 'other' },
      {
        kind: 'flag-removed',
        flag: 'enable_query_performance_monitoring',
        attribute: 'enabled',
        before: true,
        direction: 'down',
      },
    ]);
  });

  it('shows changed JSON paths for freeform profiles', () => {
    const before = { query_timeout_seconds: 30, influxdb: { connection_pool_size: 20, hosts: ['a', 'b'] } };
    const after = {
      query_timeout_seconds: 45,
      influxdb: { connection_pool_size: 20, hosts: ['a', 'c'] },
      extra: true,
    };
    const base = onsRepo({}, undefined, { extraTargets: [settingsTarget('production', before)] });
    const head = onsRepo({}, undefined, { extraTargets: [settingsTarget('production', after)] });
    const plan = buildPlan(base, head, options);
    expect(plan.targets.map((t) => t.id)).toEqual(['ons-data-platform-app/production/app-settings']);
    expect(plan.targets[0]?.changes.map((c) => [c.path, c.before, c.after])).toEqual([
      ['query_timeout_seconds', 30, 45],
      ['influxdb.hosts[1]', 'b', 'c'],
      ['extra', undefined, true],
    ]);
  });

  it('marks new and removed targets', () => {
    const base = onsRepo({}, undefined, { extraTargets: [settingsTarget('production', { a: 1 })] });
    const head = onsRepo({}, undefined, { extraTargets: [settingsTarget('development', { a: 1 })] });
    const plan = buildPlan(base, head, options);
    expect(plan.targets.map((t) => [t.id, t.status])).toEqual([
      ['ons-data-platform-app/development/app-settings', 'added'],
      ['ons-data-platform-app/production/app-settings', 'removed'],
    ]);
    expect(plan.targets[1]?.rollout).toBeUndefined();
  });

  it('gives the strategy, timing, guards and alarms of the environment', () => {
    const plan = buildPlan(onsRepo({ percentage: 0 }), onsRepo({ percentage: 10 }), options);
    const rollout = plan.targets[0]?.rollout;
    expect(rollout?.strategy).toEqual({
      name: 'canary-10-percent',
      known: true,
      growthType: 'EXPONENTIAL',
      growthFactor: 10,
      durationMinutes: 10,
      finalBakeMinutes: 5,
    });
    expect(rollout?.bakeMinutes).toBe(15);
    expect(rollout?.totalMinutes).toBe(30);
    expect(rollout?.guards[0]).toMatchObject({
      name: 'influxdb-error-rate',
      breachWhen: '100 * errors / requests > 5 %',
      consecutive: 2,
      periodSeconds: 60,
    });
    expect(rollout?.alarms).toHaveLength(5);
  });

  it('uses the predefined AppConfig.AllAtOnce timing for development', () => {
    const plan = buildPlan(onsRepo({}, { percentage: 10 }), onsRepo({}, { percentage: 25 }), options);
    expect(plan.targets[0]?.rollout?.strategy).toMatchObject({
      name: 'AppConfig.AllAtOnce',
      growthType: 'LINEAR',
      growthFactor: 100,
      durationMinutes: 0,
      finalBakeMinutes: 10,
    });
    expect(plan.targets[0]?.rollout?.totalMinutes).toBe(15);
  });

  it('requires the approvals of the strictest environment touched', () => {
    const plan = buildPlan(
      onsRepo({ percentage: 0 }, { percentage: 10 }),
      onsRepo({ percentage: 10 }, { percentage: 25 }),
      options,
    );
    expect(plan.approvals).toEqual([
      {
        application: 'ons-data-platform-app',
        approvals: 2,
        environment: 'production',
        reason: 'production requires 2 approvals',
        dismissStale: true,
      },
    ]);
    const revert = buildPlan(onsRepo({ percentage: 25 }), onsRepo({ percentage: 10 }), {
      ...options,
      revert: true,
    });
    expect(revert.approvals[0]).toMatchObject({ approvals: 1, environment: 'production' });
    const devOnly = buildPlan(onsRepo({}, { percentage: 10 }), onsRepo({}, { percentage: 25 }), options);
    expect(devOnly.approvals[0]?.approvals).toBe(1);
  });

  it('fails when head has loading errors, even with no policy findings', () => {
    const head = onsRepo({});
    head.diagnostics.push({
      severity: 'error',
      code: 'unknown-flag',
      message: 'unknown flag',
      position: { file: 'x.yaml', line: 1, column: 1 },
    });
    const plan = buildPlan(onsRepo({}), head, options);
    expect(plan.verdict).toBe('fail');
    expect(plan.diagnostics).toHaveLength(1);
  });

  it('attaches a warning to the changed target it concerns', () => {
    // Development lowered below production: allowed, but the promotion-order warning concerns
    // production (unchanged) first and development (changed) second, so it lands on development.
    const plan = buildPlan(
      onsRepo({ percentage: 25 }, { percentage: 25 }),
      onsRepo({ percentage: 25 }, { percentage: 10 }),
      options,
    );
    expect(plan.verdict).toBe('pass');
    expect(plan.targets[0]?.environment).toBe('development');
    expect(plan.targets[0]?.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['promotion-order', 'warning'],
    ]);
    expect(plan.otherFindings).toEqual([]);
  });

  it('lists an old violation in an untouched target apart, as a warning that does not fail', () => {
    const base = onsRepo({ queries: false, percentage: 10 }, { percentage: 10 });
    const head = onsRepo({ queries: false, percentage: 10 }, { percentage: 25 });
    const plan = buildPlan(base, head, options);
    expect(plan.verdict).toBe('pass');
    expect(plan.targets.map((t) => t.environment)).toEqual(['development']);
    expect(plan.otherFindings.map((f) => [f.rule, f.severity, f.targets[0]])).toEqual([
      ['prerequisite', 'warning', 'ons-data-platform-app/production/feature-flags'],
    ]);
  });
});
