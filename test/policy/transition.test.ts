import { describe, expect, it } from 'vitest';
import type { DwellProvider } from '../../src/policy/index.ts';
import { checkChange, checkTransition } from '../../src/policy/index.ts';
import { INSIDE_FREEZE, OUTSIDE_FREEZE, onsApp, onsPolicy, onsRepo } from './builders.ts';

const DEV_AHEAD = { percentage: 100 };

function production(from: number, to: number, now = OUTSIDE_FREEZE, dwell?: DwellProvider) {
  const base = onsRepo({ percentage: from }, DEV_AHEAD);
  const head = onsRepo({ percentage: to }, DEV_AHEAD);
  return checkTransition(base, head, dwell ? { now, dwell } : { now }).filter((f) => f.severity !== 'info');
}

describe('largest increase and ladder', () => {
  it('passes production 10 → 25', () => {
    expect(production(10, 25)).toEqual([]);
  });

  it('fails production 10 → 75 and says where to go instead', () => {
    const findings = production(10, 75);
    expect(findings.map((f) => f.rule)).toEqual(['max-increase']);
    expect(findings[0]?.message).toBe(
      'production: influxdb_traffic_percentage.percentage rises 10 → 75 (+65); at most +25 per change is allowed. ' +
        "Go to 35 or less first — the ladder's next step is 25.",
    );
    expect(findings[0]?.position).toEqual({
      file: 'flags/ons-data-platform-app/production/feature-flags.yaml',
      line: 6,
      column: 15,
    });
  });

  it('fails a value off the ladder and names the step to use', () => {
    const findings = production(10, 30);
    expect(findings.map((f) => f.rule)).toEqual(['ladder']);
    expect(findings[0]?.message).toContain(
      '30 is not on the ladder [0, 10, 25, 50, 75, 100]. Use 25 instead.',
    );
  });

  it('without a ladder, max-increase advises a later change', () => {
    const app = onsApp({
      policy: onsPolicy({
        numeric: [
          {
            key: 'influxdb_traffic_percentage.percentage',
            flag: 'influxdb_traffic_percentage',
            attribute: 'percentage',
            maxIncrease: 25,
          },
        ],
      }),
    });
    const base = onsRepo({ percentage: 10 }, DEV_AHEAD, { app });
    const head = onsRepo({ percentage: 40 }, DEV_AHEAD, { app });
    const [f] = checkTransition(base, head, { now: OUTSIDE_FREEZE });
    expect(f?.message).toContain('Go to 35 or less first, then raise it again in a later change.');
  });

  it('passes any decrease, off the ladder and by more than the largest increase', () => {
    expect(production(75, 0)).toEqual([]);
    expect(production(50, 33)).toEqual([]);
  });

  it('treats enabling a disabled flag as a rise from 0', () => {
    const base = onsRepo({ percentage: 50, percentageEnabled: false }, DEV_AHEAD);
    const head = onsRepo({ percentage: 50 }, DEV_AHEAD);
    const findings = checkTransition(base, head, { now: OUTSIDE_FREEZE });
    expect(findings.map((f) => f.rule)).toContain('max-increase');
    expect(findings.find((f) => f.rule === 'max-increase')?.message).toContain('rises 0 → 50 (+50)');
  });

  it('compares a target new in head against nothing deployed', () => {
    const base = onsRepo({ percentage: 0 }, DEV_AHEAD);
    base.targets = base.targets.filter((t) => t.environment !== 'production');
    const head = onsRepo({ percentage: 50 }, DEV_AHEAD);
    const findings = checkTransition(base, head, { now: OUTSIDE_FREEZE });
    expect(findings.map((f) => f.rule)).toEqual(['max-increase']);
    // No dwell for a target that has never been deployed.
    expect(findings.some((f) => f.rule === 'dwell')).toBe(false);
  });
});

describe('freeze windows', () => {
  it('passes 50 → 0 inside the freeze window', () => {
    expect(production(50, 0, INSIDE_FREEZE)).toEqual([]);
  });

  it('passes disabling the percentage flag inside the freeze window', () => {
    const base = onsRepo({ percentage: 50 }, DEV_AHEAD);
    const head = onsRepo({ percentage: 50, percentageEnabled: false }, DEV_AHEAD);
    expect(checkTransition(base, head, { now: INSIDE_FREEZE })).toEqual([]);
  });

  it('fails an increase inside the freeze window and says when it ends', () => {
    const findings = production(10, 25, INSIDE_FREEZE);
    expect(findings.map((f) => f.rule)).toEqual(['freeze-window']);
    expect(findings[0]?.message).toContain('during the freeze window "year-end-freeze"');
    expect(findings[0]?.message).toContain('Wait until 2027-01-04T08:00:00Z');
    expect(findings[0]?.message).toContain('rollbacks are always allowed');
  });

  it('fails enabling a flag inside the freeze window, pointing at `enabled`', () => {
    const base = onsRepo({ queries: false, percentage: 0 }, DEV_AHEAD);
    const head = onsRepo({ queries: true, percentage: 0 }, DEV_AHEAD);
    const findings = checkTransition(base, head, { now: INSIDE_FREEZE }).filter(
      (f) => f.rule === 'freeze-window',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      flag: 'use_influxdb_for_api_queries',
      position: { line: 3, column: 36 },
    });
  });

  it('does not freeze an environment the window does not cover', () => {
    const base = onsRepo({ percentage: 0 }, { percentage: 10 });
    const head = onsRepo({ percentage: 0 }, { percentage: 25 });
    expect(checkTransition(base, head, { now: INSIDE_FREEZE })).toEqual([]);
  });

  it('ends the window at its end instant', () => {
    expect(production(10, 25, new Date('2027-01-04T08:00:00Z'))).toEqual([]);
    expect(production(10, 25, new Date('2027-01-04T07:59:59Z')).map((f) => f.rule)).toEqual([
      'freeze-window',
    ]);
  });
});

describe('dwell', () => {
  const healthySince = (since: Date | undefined): DwellProvider => ({
    currentStep: () => (since ? { recorded: true, verdict: 'healthy', since, deployment: 4 } : undefined),
  });

  it('notes "dwell not checked" (info) when no provider is given', () => {
    const base = onsRepo({ percentage: 10 }, DEV_AHEAD);
    const head = onsRepo({ percentage: 25 }, DEV_AHEAD);
    const findings = checkTransition(base, head, { now: OUTSIDE_FREEZE });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'dwell', severity: 'info' });
    expect(findings[0]?.message).toContain('dwell not checked');
  });

  it('notes "dwell not checked" when the provider knows nothing', () => {
    const base = onsRepo({ percentage: 10 }, DEV_AHEAD);
    const head = onsRepo({ percentage: 25 }, DEV_AHEAD);
    const findings = checkTransition(base, head, { now: OUTSIDE_FREEZE, dwell: healthySince(undefined) });
    expect(findings.map((f) => f.severity)).toEqual(['info']);
  });

  it('fails an increase before the step has baked healthy long enough, and says until when to wait', () => {
    const since = new Date(OUTSIDE_FREEZE.getTime() - 7 * 60_000);
    const findings = production(10, 25, OUTSIDE_FREEZE, healthySince(since));
    expect(findings.map((f) => f.rule)).toEqual(['dwell']);
    expect(findings[0]?.message).toContain('baked healthy for 7 min; 15 min are required');
    expect(findings[0]?.message).toContain('Wait until 2026-06-01T12:08:00.000Z (8 min more)');
  });

  it('fails, saying the clocks disagree, when the bake record lies more than a minute in the future', () => {
    const since = new Date(OUTSIDE_FREEZE.getTime() + 2 * 60 * 60_000);
    const findings = production(10, 25, OUTSIDE_FREEZE, healthySince(since));
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['dwell', 'error']]);
    expect(findings[0]?.message).toContain('the clock disagrees with the services');
    expect(findings[0]?.message).toContain('120 min in the future');
    expect(findings[0]?.message).toContain('FLAGOPS_CLOCK_ORIGIN');
    expect(findings[0]?.message).not.toContain('0 min;');
    // Within the minute's tolerance it is just a step that has not dwelt yet.
    const close = production(
      10,
      25,
      OUTSIDE_FREEZE,
      healthySince(new Date(OUTSIDE_FREEZE.getTime() + 30_000)),
    );
    expect(close[0]?.message).toContain('baked healthy for 0 min; 15 min are required');
  });

  it('passes an increase after the dwell time', () => {
    const since = new Date(OUTSIDE_FREEZE.getTime() - 15 * 60_000);
    const base = onsRepo({ percentage: 10 }, DEV_AHEAD);
    const head = onsRepo({ percentage: 25 }, DEV_AHEAD);
    expect(checkTransition(base, head, { now: OUTSIDE_FREEZE, dwell: healthySince(since) })).toEqual([]);
  });

  it('fails an increase when the records say the current step has not baked healthy', () => {
    const since = new Date(OUTSIDE_FREEZE.getTime() - 60 * 60_000);
    const unverified: DwellProvider = {
      currentStep: () => ({ recorded: true, verdict: 'unverified', since, deployment: 4 }),
    };
    const findings = production(10, 25, OUTSIDE_FREEZE, unverified);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['dwell', 'error']]);
    expect(findings[0]?.message).toContain(
      "production: the current step's bake (deployment 4) is unverified, so the current step has not baked healthy for the 15 min",
    );
    const none: DwellProvider = {
      currentStep: () => ({ recorded: false, why: 'no bake of the current step is recorded' }),
    };
    expect(production(10, 25, OUTSIDE_FREEZE, none)[0]?.message).toContain(
      'production: no bake of the current step is recorded, so the current step has not baked healthy',
    );
  });

  it('holds the first exposure after enabling for the enable soak; no data at 0 % is the expected verdict', () => {
    const at = (minutesAgo: number, verdict: 'no-data' | 'breached'): DwellProvider => ({
      currentStep: () => ({
        recorded: true,
        verdict,
        since: new Date(OUTSIDE_FREEZE.getTime() - minutesAgo * 60_000),
        deployment: 2,
      }),
    });
    const early = production(0, 10, OUTSIDE_FREEZE, at(5, 'no-data'));
    expect(early.map((f) => f.rule)).toEqual(['dwell']);
    expect(early[0]?.message).toContain(
      'soaked for 5 min; 15 min are required before the next increase (the soak after enabling)',
    );
    expect(production(0, 10, OUTSIDE_FREEZE, at(15, 'no-data'))).toEqual([]);
    expect(production(0, 10, OUTSIDE_FREEZE, at(60, 'breached'))[0]?.message).toContain('is breached');
    // Nothing recorded yet (nothing was ever exposed): a note, not an error.
    const none: DwellProvider = {
      currentStep: () => ({ recorded: false, why: 'no bake of the current step is recorded' }),
    };
    expect(production(0, 10, OUTSIDE_FREEZE, none)).toEqual([]);
  });

  it('does not ask about dwell for a decrease', () => {
    const since = new Date(OUTSIDE_FREEZE.getTime() - 60_000);
    expect(production(50, 25, OUTSIDE_FREEZE, healthySince(since))).toEqual([]);
  });
});

describe('checkChange: rollback is never blocked', () => {
  it('lets production disable api queries while its percentage is still above 0 (warning only)', () => {
    const base = onsRepo({ percentage: 25 }, { percentage: 25 });
    const head = onsRepo({ queries: false, percentage: 25 }, { percentage: 25 });
    const findings = checkChange(base, head, { now: INSIDE_FREEZE });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['prerequisite', 'warning']]);
    expect(findings[0]?.message).toContain('raises nothing');
  });

  it('lets development drop below production (warning only)', () => {
    const base = onsRepo({ percentage: 25 }, { percentage: 25 });
    const head = onsRepo({ percentage: 25 }, { percentage: 0 });
    const findings = checkChange(base, head, { now: OUTSIDE_FREEZE });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['promotion-order', 'warning']]);
  });

  it('still fails a rise that runs production ahead of development', () => {
    const base = onsRepo({ percentage: 10 }, { percentage: 25 });
    const head = onsRepo({ percentage: 50 }, { percentage: 25 });
    const errors = checkChange(base, head, { now: OUTSIDE_FREEZE }).filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.rule).sort()).toEqual(['max-increase', 'promotion-order']);
  });

  it('still fails raising the percentage while queries are disabled', () => {
    const base = onsRepo({ queries: false, percentage: 0 });
    const head = onsRepo({ queries: false, percentage: 10 });
    const errors = checkChange(base, head, { now: OUTSIDE_FREEZE }).filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.rule)).toEqual(['prerequisite']);
  });
});
