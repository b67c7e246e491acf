/**
 * The decisions of a release's life as a table: a record and an observation in, the actions, the
 * record and the wake-up instant out (src/release/decide.ts). Every record `decide` returns must
 * validate against schemas/release-record.schema.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { GuardReport } from '../../src/guards/report.ts';
import type { Breach } from '../../src/guards/verdict.ts';
import {
  type Action,
  type Decision,
  decide,
  lookRange,
  type Observation,
  rollbackMethod,
} from '../../src/release/decide.ts';
import type { ReleaseRecord } from '../../src/release/record.ts';
import type { AdvanceFacts } from '../../src/rollout/decide.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-06-01T12:00:00Z');
const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../schemas/release-record.schema.json'), 'utf8'),
);
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

/** A release of deployment 3: started at T0, completed at T0+5, baking 15 min. */
const pending: ReleaseRecord = {
  version: 1,
  target: 'ons-data-platform-app/production/feature-flags',
  deploymentNumber: 3,
  revision: 0,
  deployed: { contentHash: '0123456789abcdef', hostedVersion: 3, commit: 'abcdef1234567' },
  bake: { from: T0, to: T0 + 15 * MIN },
  guards: {},
  verdict: 'pending',
};
const healthy: ReleaseRecord = {
  ...pending,
  completedAt: T0 + 5 * MIN,
  bake: { from: T0, to: T0 + 20 * MIN },
  verdict: 'healthy',
};
const soaking: ReleaseRecord = {
  ...healthy,
  soak: { until: T0 + 125 * MIN, through: T0 + 20 * MIN },
};
const breachedRecord: ReleaseRecord = {
  ...healthy,
  verdict: 'breached',
  deployed: { ...healthy.deployed, before: { source: 'appconfig', hostedVersion: 2 } },
};
const rolledBack: ReleaseRecord = {
  ...breachedRecord,
  rollback: { action: 'reverted', at: T0 + 30 * MIN, by: 'flagops', serving: 2 },
};

const complete = { state: 'COMPLETE', startedAt: T0, completedAt: T0 + 5 * MIN, serving: true };
const period = (m: number, outcome: 'healthy' | 'breach' | 'pending' = 'healthy') => ({
  start: T0 + (m - 1) * MIN,
  end: T0 + m * MIN,
  outcome,
  value: outcome === 'breach' ? 900 : 120,
});
const guard = (periods: ReturnType<typeof period>[], settled = true): GuardReport =>
  ({
    guard: 'influxdb-response-time',
    status: settled ? 'healthy' : 'pending',
    settled,
    breachWhen: { op: '>', threshold: 500 },
    consecutive: 3,
    streak: 0,
    periods,
    required: periods.length,
    observed: periods.length,
    coverage: 0.8,
    unobserved: [],
  }) as GuardReport;
const breach: Breach = {
  kind: 'guard',
  guard: 'influxdb-response-time',
  breachWhen: { op: '>', threshold: 500 },
  consecutive: 3,
  periods: [],
  at: T0 + 40 * MIN,
};
const minutes = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => period(from + i));
const look = (
  status: 'healthy' | 'breached' | 'unverified' | 'no-data' | 'pending',
  guards = [guard(minutes(1, 20))],
) => ({
  status,
  settled: status !== 'pending',
  breaches: status === 'breached' ? [breach] : [],
  guards,
});
const plan = {
  flag: 'influxdb_traffic_percentage',
  attribute: 'percentage',
  target: 100,
  step: 25,
  waitMinutes: 15,
};
const advance = (over: Partial<Omit<AdvanceFacts, 'now'>> = {}): Omit<AdvanceFacts, 'now'> => ({
  target: pending.target,
  plan,
  current: 25,
  ladder: [0, 25, 50, 100],
  deployedAt: T0 + 5 * MIN,
  deploymentNumber: 3,
  bake: { verdict: 'healthy', until: T0 + 20 * MIN },
  bakeMinutes: 15,
  dwellMinutes: 30,
  ...over,
});

interface Case {
  name: string;
  record: ReleaseRecord;
  observation: Observation;
  now: number;
  actions: Array<Action['kind']>;
  /** Checks on the decision beyond the action kinds. */
  check?: (d: Decision) => void;
}

const CASES: Case[] = [
  {
    name: 'bake still running: nothing to do, wake at the bake’s end',
    record: pending,
    observation: { deployment: complete, look: look('pending'), bakeMinutes: 15 },
    now: T0 + 10 * MIN,
    actions: [],
    check: (d) => {
      expect(d.record.completedAt).toBe(T0 + 5 * MIN);
      expect(d.record.bake.to).toBe(T0 + 20 * MIN);
      expect(d.wakeAt).toBe(T0 + 20 * MIN);
      expect(d.record.verdict).toBe('pending');
    },
  },
  {
    name: 'deployment still in flight: watching, no verdict',
    record: pending,
    observation: {
      deployment: { state: 'DEPLOYING', startedAt: T0 },
      look: look('pending'),
      bakeMinutes: 15,
    },
    now: T0 + 2 * MIN,
    actions: [],
    check: (d) => expect(d.reason).toMatch(/^deploying/),
  },
  {
    name: 'healthy bake: healthy, the guards’ periods kept as data, the advancer woken',
    record: pending,
    observation: { deployment: complete, look: look('healthy'), bakeMinutes: 15 },
    now: T0 + 21 * MIN,
    actions: ['wake-advancer'],
    check: (d) => {
      expect(d.record.verdict).toBe('healthy');
      expect(d.record.guards['influxdb-response-time']?.periods).toHaveLength(20);
      expect(d.record.soak).toBeUndefined();
    },
  },
  {
    name: 'healthy bake with a soak owed: soaking, the advancer not woken yet',
    record: pending,
    observation: { deployment: complete, look: look('healthy'), bakeMinutes: 15, soakMinutes: 120 },
    now: T0 + 21 * MIN,
    actions: [],
    check: (d) => {
      expect(d.record.soak).toEqual({ until: T0 + 125 * MIN, through: T0 + 20 * MIN });
      expect(d.wakeAt).toBe(T0 + 21 * MIN);
    },
  },
  {
    name: 'unverified bake: no rollback, no dwell (the advancer is not woken)',
    record: pending,
    observation: { deployment: complete, look: look('unverified'), bakeMinutes: 15 },
    now: T0 + 21 * MIN,
    actions: [],
    check: (d) => expect(d.record.verdict).toBe('unverified'),
  },
  {
    name: 'breach in the bake: roll back to the earlier AppConfig version',
    record: pending,
    observation: {
      deployment: complete,
      look: look('breached'),
      bakeMinutes: 15,
      before: { source: 'appconfig', hostedVersion: 2 },
    },
    now: T0 + 12 * MIN,
    actions: ['rollback'],
    check: (d) => {
      expect(d.actions[0]).toMatchObject({
        deploymentNumber: 3,
        to: { source: 'appconfig', hostedVersion: 2 },
      });
      expect(d.record.verdict).toBe('breached');
      expect(d.record.deployed.before).toEqual({ source: 'appconfig', hostedVersion: 2 });
    },
  },
  {
    name: 'after our rollback: the revert pull request, once',
    record: breachedRecord,
    observation: {
      deployment: { ...complete, state: 'REVERTED', serving: false },
      rolledBack: { action: 'reverted', at: T0 + 13 * MIN, serving: 2 },
    },
    now: T0 + 13 * MIN,
    actions: ['open-revert'],
    check: (d) =>
      expect(d.record.rollback).toEqual({ action: 'reverted', at: T0 + 13 * MIN, by: 'flagops', serving: 2 }),
  },
  {
    name: 'revert pull request opened: recorded, the target held, nothing else to do',
    record: rolledBack,
    observation: {
      deployment: { ...complete, state: 'REVERTED', serving: false },
      revertPullRequest: { number: 12, url: 'https://x/pull/12' },
    },
    now: T0 + 31 * MIN,
    actions: [],
    check: (d) => {
      expect(d.record.revert).toEqual({ pullRequest: 12, url: 'https://x/pull/12' });
      expect(d.record.hold?.reason).toContain('#12');
    },
  },
  {
    name: 'rolled back by someone else (AppConfig’s alarm monitor): adopted, says who, no second rollback',
    record: pending,
    observation: {
      deployment: {
        state: 'ROLLED_BACK',
        startedAt: T0,
        serving: false,
        undoneBy: { by: 'CLOUDWATCH_ALARM', description: 'alarm influxdb-errors', at: T0 + 4 * MIN },
      },
      look: look('pending'),
      bakeMinutes: 15,
    },
    now: T0 + 5 * MIN,
    actions: ['open-revert'],
    check: (d) => {
      expect(d.record.rollback).toEqual({ action: 'adopted', at: T0 + 4 * MIN, by: 'CLOUDWATCH_ALARM' });
      expect(d.record.verdict).toBe('breached');
    },
  },
  {
    name: 'another job’s rollback still under way: wait for it, act on nothing',
    record: pending,
    observation: {
      deployment: { state: 'ROLLING_BACK', startedAt: T0, undoneBy: { by: 'USER' } },
      bakeMinutes: 15,
    },
    now: T0 + 5 * MIN,
    actions: [],
    check: (d) => {
      expect(d.record.rollback?.by).toBe('USER');
      expect(d.wakeAt).toBe(T0 + 6 * MIN);
    },
  },
  {
    name: 'a breached release whose deployment no longer serves (a redeploy replaced it): no second rollback',
    record: breachedRecord,
    observation: { deployment: { ...complete, serving: false } },
    now: T0 + 40 * MIN,
    actions: ['open-revert'],
    check: (d) => expect(d.record.rollback?.by).toBe('a later deployment'),
  },
  {
    name: 'revert pull request already open (another watcher opened it): adopted, no second',
    record: rolledBack,
    observation: { revertPullRequest: { number: 9 } },
    now: T0 + 40 * MIN,
    actions: [],
    check: (d) => expect(d.record.revert).toEqual({ pullRequest: 9 }),
  },
  {
    name: 'revert pull request recorded and since merged: still no second',
    record: { ...rolledBack, revert: { pullRequest: 9 } },
    observation: {},
    now: T0 + 90 * MIN,
    actions: [],
    check: (d) => expect(d.record.hold).toBeUndefined(),
  },
  {
    name: 'soak progresses: judged through the last settled period, resumed there, wake at the soak’s end',
    record: soaking,
    observation: {
      deployment: complete,
      look: look('pending', [guard([...minutes(18, 50), period(51, 'pending')], false)]),
    },
    now: T0 + 52 * MIN,
    actions: [],
    check: (d) => {
      expect(d.record.soak).toEqual({ until: T0 + 125 * MIN, through: T0 + 50 * MIN });
      expect(d.wakeAt).toBe(T0 + 125 * MIN);
      expect(lookRange(d.record, 3 * MIN)).toEqual({
        from: T0 + 47 * MIN,
        to: T0 + 125 * MIN,
        rampUntil: T0 + 5 * MIN,
      });
    },
  },
  {
    name: 'soak complete: the step is due, the advancer woken',
    record: { ...soaking, soak: { until: T0 + 125 * MIN, through: T0 + 100 * MIN } },
    observation: { deployment: complete, look: look('healthy', [guard(minutes(98, 125))]) },
    now: T0 + 127 * MIN,
    actions: ['wake-advancer'],
    check: (d) => expect(d.record.soak?.through).toBe(T0 + 125 * MIN),
  },
  {
    name: 'late breach in the soak: roll back',
    record: soaking,
    observation: {
      deployment: complete,
      look: look('breached'),
      before: { source: 'appconfig', hostedVersion: 2 },
    },
    now: T0 + 60 * MIN,
    actions: ['rollback'],
    check: (d) => expect(d.record.verdict).toBe('breached'),
  },
  {
    name: 'first deployment breaches in the soak: roll back to git’s pre-change content',
    record: soaking,
    observation: {
      deployment: complete,
      look: look('breached'),
      before: { source: 'git', commit: '0badc0de0badc0de' },
    },
    now: T0 + 60 * MIN,
    actions: ['rollback'],
    check: (d) => {
      expect(d.actions[0]).toMatchObject({ to: { source: 'git', commit: '0badc0de0badc0de' } });
      expect(d.reason).toContain("git's content from before the change");
    },
  },
  {
    name: 'first deployment undone to nothing (git had no content either): no revert pull request, fix forward',
    record: {
      ...breachedRecord,
      deployed: { ...breachedRecord.deployed, before: { source: 'none' } },
      rollback: { action: 'stopped', at: T0 + 3 * MIN, by: 'flagops' },
    },
    observation: {},
    now: T0 + 4 * MIN,
    actions: [],
    check: (d) => expect(d.reason).toContain('fix forward'),
  },
  {
    name: 'advance due: propose the next rung',
    record: healthy,
    observation: { deployment: complete, advance: advance() },
    now: T0 + 40 * MIN,
    actions: ['propose-step'],
    check: (d) => {
      expect(d.actions[0]).toMatchObject({ next: 50, finish: false });
      expect(d.record.advance).toEqual({ step: 25, proposed: 50 });
    },
  },
  {
    name: 'advance not yet due: wait, wake when the dwell ends',
    record: healthy,
    observation: { deployment: complete, advance: advance() },
    now: T0 + 25 * MIN,
    actions: [],
    check: (d) => {
      expect(d.wakeAt).toBe(T0 + 35 * MIN);
      expect(d.reason).toMatch(/^waiting until .*dwelling 30 min/);
    },
  },
  {
    name: 'held by an open revert pull request: no step proposed',
    record: healthy,
    observation: {
      deployment: complete,
      advance: advance({ hold: 'held by automatic revert pull request #4' }),
    },
    now: T0 + 90 * MIN,
    actions: [],
    check: (d) => {
      expect(d.record.hold).toEqual({ reason: 'held by automatic revert pull request #4' });
      expect(d.wakeAt).toBeUndefined();
    },
  },
  {
    name: 'clock disagreeing with the services by more than a minute: an error that says so, nothing done',
    record: pending,
    observation: {
      deployment: { ...complete, completedAt: T0 + 30 * MIN },
      look: look('healthy'),
      bakeMinutes: 15,
    },
    now: T0 + 28 * MIN,
    actions: ['error'],
    check: (d) => {
      expect(d.record).toBe(pending);
      expect((d.actions[0] as { message: string }).message).toMatch(
        /the clock disagrees with the services.*2 min in the future/,
      );
    },
  },
  {
    name: 'clock within a minute of the services: fine',
    record: pending,
    observation: {
      deployment: { ...complete, completedAt: T0 + 28.5 * MIN },
      look: look('pending'),
      bakeMinutes: 15,
    },
    now: T0 + 28 * MIN,
    actions: [],
  },
];

describe('decide: record + observation → actions', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const d = decide(c.record, c.observation, c.now);
      expect(d.actions.map((a) => a.kind)).toEqual(c.actions);
      c.check?.(d);
      expect(validate(d.record), JSON.stringify(validate.errors)).toBe(true);
    });
  }

  it('is deterministic: the same facts give the same decision', () => {
    for (const c of CASES)
      expect(decide(c.record, c.observation, c.now)).toEqual(decide(c.record, c.observation, c.now));
  });

  it('a whole breach converges in three rounds: rollback → revert → held, then nothing', () => {
    let record = pending;
    const seen: string[] = [];
    const observations: Observation[] = [
      {
        deployment: complete,
        look: look('breached'),
        bakeMinutes: 15,
        before: { source: 'appconfig', hostedVersion: 2 },
      },
      {
        deployment: { ...complete, state: 'REVERTED', serving: false },
        rolledBack: { action: 'reverted', at: T0 + 13 * MIN, serving: 2 },
      },
      { deployment: { ...complete, state: 'REVERTED', serving: false }, revertPullRequest: { number: 5 } },
      { deployment: { ...complete, state: 'REVERTED', serving: false }, revertPullRequest: { number: 5 } },
    ];
    for (const o of observations) {
      const d = decide(record, o, T0 + 13 * MIN);
      seen.push(d.actions.map((a) => a.kind).join(',') || 'none');
      record = d.record;
    }
    expect(seen).toEqual(['rollback', 'open-revert', 'none', 'none']);
    expect(record).toMatchObject({
      verdict: 'breached',
      revert: { pullRequest: 5 },
      rollback: { by: 'flagops' },
    });
  });
});

describe('rollbackMethod: the gentlest undo that works', () => {
  const now = T0 + 10 * MIN;
  it.each([
    ['ROLLED_BACK', undefined, false, 'adopt'],
    ['REVERTED', undefined, false, 'adopt'],
    ['ROLLING_BACK', undefined, false, 'wait'],
    ['BAKING', undefined, false, 'stop'],
    ['COMPLETE', T0, true, 'redeploy-git'],
    ['COMPLETE', T0, false, 'revert'],
    ['COMPLETE', T0 - 73 * 60 * MIN, false, 'redeploy'],
  ] as const)('%s completed at %s, git content %s → %s', (state, completedAt, fromGit, method) => {
    expect(
      rollbackMethod({ state, ...(completedAt !== undefined ? { completedAt } : {}) }, { fromGit }, now),
    ).toBe(method);
  });
});

describe('the schema', () => {
  it('refuses a record that is not one: a prose soak, a bad hash, an unknown verdict', () => {
    expect(validate({ ...healthy, soak: 'soak watched through 2026-06-01T13:00:00Z' })).toBe(false);
    expect(validate({ ...healthy, deployed: { contentHash: 'xyz' } })).toBe(false);
    expect(validate({ ...healthy, verdict: 'fine' })).toBe(false);
    expect(validate(healthy)).toBe(true);
  });
});
