/** The advancer's decision, fact by fact: what stops it, what it waits for and until when. */
import { describe, expect, it } from 'vitest';
import { removeRollout } from '../../src/edit/rollout-plan.ts';
import { type AdvanceFacts, decideAdvance, describeDecision, nextValue } from '../../src/rollout/decide.ts';

const MIN = 60_000;
const plan = {
  flag: 'influxdb_traffic_percentage',
  attribute: 'percentage',
  target: 100,
  step: 10,
  waitMinutes: 15,
};
const LADDER = [0, 10, 25, 50, 75, 100];
const T0 = Date.parse('2026-06-01T12:00:00Z');
const ready: AdvanceFacts = {
  target: 'ons-data-platform-app/production/feature-flags',
  plan,
  current: 10,
  ladder: LADDER,
  now: T0 + 40 * MIN,
  deployedAt: T0,
  bake: { verdict: 'healthy', until: T0 + 15 * MIN },
  bakeMinutes: 15,
  dwellMinutes: 30,
};

const { bake: _bake, ...withoutBake } = ready;
const { deployedAt: _deployedAt, ...notDeployed } = ready;

describe('nextValue', () => {
  it("walks the guide's phases on the ladder with --step-size 10", () => {
    const walk = [0];
    while (walk[walk.length - 1]! < 100) walk.push(nextValue(plan, walk[walk.length - 1]!, LADDER));
    expect(walk).toEqual([0, 10, 25, 50, 75, 100]);
  });
  it('without a ladder adds the step and stops at the target', () => {
    expect(nextValue({ ...plan, target: 35 }, 30, undefined)).toBe(35);
    expect(nextValue(plan, 30, undefined)).toBe(40);
  });
});

describe('decideAdvance', () => {
  it('proposes the next rung once baked healthy and dwelt', () => {
    expect(decideAdvance(ready)).toEqual({
      kind: 'propose',
      next: 25,
      finish: false,
      reason: '10 baked healthy and dwelt 30 min',
    });
  });

  it('waits for the dwell and says until when', () => {
    const d = decideAdvance({ ...ready, now: T0 + 20 * MIN });
    expect(d).toEqual({ kind: 'wait', reason: 'dwelling 30 min', until: T0 + 30 * MIN });
    expect(describeDecision(d)).toBe('waiting until 2026-06-01T12:30:00.000Z: dwelling 30 min');
  });

  it('waits for the bake, and never advances an unverified or breached one', () => {
    expect(decideAdvance({ ...withoutBake, now: T0 + 5 * MIN })).toEqual({
      kind: 'wait',
      reason: 'baking',
      until: T0 + 15 * MIN,
    });
    // After the bake's time, no record yet: it waits for the recorded verdict, never re-judges.
    expect(decideAdvance({ ...withoutBake, deploymentNumber: 7 })).toEqual({
      kind: 'wait',
      reason: 'no bake of deployment 7 is recorded yet (its bake job records the verdict when it ends)',
    });
    for (const verdict of ['unverified', 'no-data', 'breached'] as const) {
      const d = decideAdvance({ ...ready, bake: { verdict, until: T0 + 15 * MIN } });
      expect(d.kind).toBe('wait');
      expect(describeDecision(d)).toContain(verdict);
    }
  });

  it('never proposes during a hold, a freeze window or an open change, in that order', () => {
    const freeze = { name: 'year-end-freeze', end: T0 + 99 * MIN };
    const open = { number: 4, url: 'https://github.test/pr/4' };
    expect(decideAdvance({ ...ready, hold: 'revert #3', freeze, openChange: open })).toMatchObject({
      kind: 'wait',
      reason: 'held: revert #3',
    });
    expect(decideAdvance({ ...ready, freeze, openChange: open })).toEqual({
      kind: 'wait',
      reason: 'freeze window year-end-freeze',
      until: freeze.end,
    });
    expect(decideAdvance({ ...ready, openChange: open }).kind).toBe('wait');
  });

  it('does not propose twice: its own open proposal waits for people', () => {
    const d = decideAdvance({ ...ready, proposal: { number: 7, url: 'u' } });
    expect(d).toMatchObject({ kind: 'proposed', number: 7 });
  });

  it('waits while main is not deployed or a deployment is in flight', () => {
    expect(decideAdvance(notDeployed).kind).toBe('wait');
    expect(decideAdvance({ ...ready, inFlight: 'deployment 9 is DEPLOYING' })).toMatchObject({
      reason: 'deploying: deployment 9 is DEPLOYING',
    });
  });

  it('marks the step reaching the target as the last, and removes a plan already at its target', () => {
    expect(decideAdvance({ ...ready, current: 75 })).toMatchObject({ next: 100, finish: true });
    expect(decideAdvance({ ...withoutBake, current: 100, now: T0 + MIN })).toMatchObject({
      kind: 'propose',
      next: 100,
      finish: true,
    });
  });
});

describe('removeRollout', () => {
  it('removes only the plan', () => {
    const text = 'a: 1\n_rollout: { flag: x, attribute: y, target: 100, step: 10, wait_minutes: 15 }\nb: 2\n';
    expect(removeRollout(text)).toBe('a: 1\nb: 2\n');
    expect(removeRollout('_rollout:\n  flag: x\n  step: 1\nb: 2\n')).toBe('b: 2\n');
    expect(removeRollout('b: 2\n')).toBe('b: 2\n');
  });
});
