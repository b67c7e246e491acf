/** Pure logic of the sandbox's CloudWatch: metric math, alarm rules, statistics and alarm evaluation. */
import { describe, expect, it } from 'vitest';
import {
  evaluateRule,
  parseAlarmRule,
  ruleChildren,
} from '../../packages/sandbox/src/cloudwatch/alarm-rule.ts';
import { type Datapoint, evaluateAlarm } from '../../packages/sandbox/src/cloudwatch/evaluation.ts';
import {
  evaluate,
  parseExpression,
  referencedIds,
  type Series,
} from '../../packages/sandbox/src/cloudwatch/math.ts';
import { MetricStore } from '../../packages/sandbox/src/cloudwatch/metric-store.ts';
import { percentile } from '../../packages/sandbox/src/cloudwatch/statistics.ts';
import type { AlarmStateValue } from '../../packages/sandbox/src/core.ts';

describe('metric math', () => {
  const series = (entries: Array<[number, number]>): Series => new Map(entries);
  const calc = (text: string, vars: Record<string, Series | number> = {}) =>
    evaluate(parseExpression(text), (id) => {
      const v = vars[id];
      if (v === undefined) throw new Error(`no ${id}`);
      return v;
    });

  it('follows precedence, parentheses and unary minus', () => {
    expect(calc('1 + 2 * 3')).toBe(7);
    expect(calc('(1 + 2) * 3')).toBe(9);
    expect(calc('-(2 - 5)')).toBe(3);
    expect(calc('10 / 4 - -1')).toBe(3.5);
    expect(calc('2 * -3')).toBe(-6);
    expect(calc('1.5e2 + .5')).toBe(150.5);
  });

  it('combines timeseries on shared timestamps and drops the rest', () => {
    const errors = series([
      [0, 1],
      [60, 2],
      [120, 5],
    ]);
    const requests = series([
      [0, 10],
      [120, 0],
      [180, 7],
    ]);
    // t=60 lacks requests, t=180 lacks errors, t=120 divides by zero.
    expect([...(calc('100 * errors / requests', { errors, requests }) as Series)]).toEqual([[0, 10]]);
  });

  it('applies scalars to every point', () => {
    const a = series([
      [0, 3000],
      [60, 5000],
    ]);
    const b = series([
      [0, 1000],
      [60, 1000],
    ]);
    expect([...(calc('(a - b) / 1000', { a, b }) as Series)]).toEqual([
      [0, 2],
      [60, 4],
    ]);
  });

  it('lists the ids an expression reads', () => {
    expect(referencedIds(parseExpression('100 * errors / (requests + errors)'))).toEqual([
      'errors',
      'requests',
    ]);
  });

  it.each([
    ['', 'it is empty'],
    ['a +', 'it ends where a value was expected'],
    ['(a + b', 'missing ")"'],
    ['a b', 'unexpected "b"'],
    ['a % b', 'unexpected "%"'],
    ['STDDEV(a)', 'function STDDEV is not supported'],
    ['IF(a)', 'IF takes 2 to 3 arguments, got 1'],
    ['FILL(a, 0', 'missing ")"'],
  ])('rejects %j with a message naming the problem', (text, message) => {
    expect(() => parseExpression(text)).toThrow(message);
  });
});

describe('metric math functions, as CloudWatch defines them', () => {
  const grid = [0, 60, 120, 180];
  const vars: Record<string, Series> = {
    errors: new Map([[60, 12]]),
    requests: new Map([
      [0, 300],
      [60, 300],
      [120, 5],
    ]),
  };
  const run = (text: string) =>
    evaluate(
      parseExpression(text),
      (id) => {
        const v = vars[id];
        if (!v) throw new Error(`no ${id}`);
        return v;
      },
      {
        grid: () => grid,
        metrics: (filter) =>
          Object.entries(vars)
            .filter(([id]) => filter === undefined || id.includes(filter))
            .map(([, s]) => s),
      },
    );
  const points = (v: unknown) => [...(v as Series)];

  it('FILL gives every period of the range a value, keeping real ones; REPEAT carries the last', () => {
    expect(points(run('FILL(errors, 0)'))).toEqual([
      [0, 0],
      [60, 12],
      [120, 0],
      [180, 0],
    ]);
    expect(points(run('FILL(requests, REPEAT)'))).toEqual([
      [0, 300],
      [60, 300],
      [120, 5],
      [180, 5],
    ]);
    // A filled numerator and a real denominator: 0 % where errors were not published.
    expect(points(run('100 * FILL(errors, 0) / requests'))).toEqual([
      [0, 0],
      [60, 4],
      [120, 0],
    ]);
  });

  it('IF keeps the true branch where the condition holds and drops the point without a false branch', () => {
    expect(points(run('IF(requests >= 20, 100 * FILL(errors, 0) / requests)'))).toEqual([
      [0, 0],
      [60, 4],
    ]);
    expect(points(run('IF(requests >= 20, 1, -1)'))).toEqual([
      [0, 1],
      [60, 1],
      [120, -1],
    ]);
  });

  it('comparisons and logic yield 1 or 0 per point', () => {
    expect(points(run('requests > 10 AND requests < 301'))).toEqual([
      [0, 1],
      [60, 1],
      [120, 0],
    ]);
    expect(points(run('requests == 5 || NOT (requests != 300)'))).toEqual([
      [0, 1],
      [60, 1],
      [120, 1],
    ]);
    expect(run('2 <= 1')).toBe(0);
    expect(run('!0')).toBe(1);
  });

  it('SUM, AVG, MAX and MIN reduce one series to a number and an array point by point', () => {
    expect(run('SUM(requests)')).toBe(605);
    expect(run('AVG(requests)')).toBeCloseTo(605 / 3);
    expect(run('MAX(requests)')).toBe(300);
    expect(run('MIN(requests)')).toBe(5);
    expect(points(run('SUM(METRICS())'))).toEqual([
      [0, 300],
      [60, 312],
      [120, 5],
    ]);
    expect(points(run("MAX(METRICS('err'))"))).toEqual([[60, 12]]);
  });
});

describe('composite alarm rules', () => {
  const states: Record<string, AlarmStateValue> = { a: 'ALARM', b: 'OK', c: 'INSUFFICIENT_DATA' };
  const check = (rule: string) => evaluateRule(parseAlarmRule(rule), (n) => states[n]);

  it('evaluates state functions with quoted and bare names', () => {
    expect(check('ALARM("a")')).toBe(true);
    expect(check('ALARM(b)')).toBe(false);
    expect(check('OK(b)')).toBe(true);
    expect(check("INSUFFICIENT_DATA('c')")).toBe(true);
    expect(check('ALARM(missing)')).toBe(false);
  });

  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    expect(check('ALARM(b) AND ALARM(b) OR TRUE')).toBe(true);
    expect(check('TRUE OR ALARM(b) AND FALSE')).toBe(true);
    expect(check('NOT ALARM(a) OR OK(b)')).toBe(true);
    expect(check('NOT (ALARM(a) OR OK(b))')).toBe(false);
    expect(check('FALSE')).toBe(false);
  });

  it('names its children, ARNs included', () => {
    const arn = 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:x';
    expect(ruleChildren(parseAlarmRule(`ALARM(a) OR (OK("b") AND NOT ALARM("${arn}"))`))).toEqual([
      'a',
      'b',
      arn,
    ]);
  });

  it.each([['ALARM()'], ['ALARM(a) AND'], ['ALARM(a) XOR OK(b)'], ['(TRUE'], ['ALARM("a)']])(
    'rejects %j',
    (rule) => {
      expect(() => parseAlarmRule(rule)).toThrow(/Invalid AlarmRule/);
    },
  );
});

describe('statistics', () => {
  it('takes nearest-rank percentiles over weighted values', () => {
    const values: Array<[number, number]> = [
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [100, 1],
    ];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 80)).toBe(4);
    expect(percentile(values, 81)).toBe(100);
    expect(percentile(values, 100)).toBe(100);
    expect(
      percentile(
        [
          [7, 9],
          [1, 1],
        ],
        50,
      ),
    ).toBe(7);
  });

  it('buckets samples by aligned period, end exclusive', () => {
    const store = new MetricStore();
    const id = { namespace: 'N', name: 'M', dimensions: { B: 'x' } };
    for (const [t, v] of [
      [10_000, 1],
      [59_000, 2],
      [60_000, 4],
      [119_999, 8],
    ]) {
      store.put(id, {
        t: t as number,
        count: 1,
        sum: v as number,
        min: v as number,
        max: v as number,
        values: [v as number],
      });
    }
    const buckets = store.buckets(id, 0, 119_000, 60_000);
    expect([...buckets.keys()]).toEqual([0, 60_000]);
    expect(buckets.get(0)?.sum).toBe(3);
    expect(buckets.get(60_000)?.sum).toBe(4);
    // A different dimension set is a different metric.
    expect(store.buckets({ ...id, dimensions: {} }, 0, 120_000, 60_000).size).toBe(0);
  });
});

describe('alarm evaluation', () => {
  const points = (...values: Array<number | undefined>): Datapoint[] =>
    values.map((value, i) =>
      value === undefined ? { timestamp: i * 60_000 } : { timestamp: i * 60_000, value },
    );
  const base = {
    threshold: 5,
    comparison: 'GreaterThanThreshold' as const,
    datapointsToAlarm: 2,
    treatMissingData: 'missing' as const,
    currentState: 'OK' as AlarmStateValue,
  };

  it('alarms when at least M of N datapoints breach', () => {
    expect(evaluateAlarm({ ...base, datapoints: points(6, 1, 7) }).state).toBe('ALARM');
    expect(evaluateAlarm({ ...base, datapoints: points(1, 1, 7) }).state).toBe('OK');
  });

  it('compares with each operator', () => {
    const one = (
      comparison:
        | typeof base.comparison
        | 'GreaterThanOrEqualToThreshold'
        | 'LessThanThreshold'
        | 'LessThanOrEqualToThreshold',
      v: number,
    ) => evaluateAlarm({ ...base, comparison, datapointsToAlarm: 1, datapoints: points(v) }).state;
    expect(one('GreaterThanThreshold', 5)).toBe('OK');
    expect(one('GreaterThanOrEqualToThreshold', 5)).toBe('ALARM');
    expect(one('LessThanThreshold', 5)).toBe('OK');
    expect(one('LessThanThreshold', 4.9)).toBe('ALARM');
    expect(one('LessThanOrEqualToThreshold', 5)).toBe('ALARM');
  });

  it('treats a period without any data by the TreatMissingData rule', () => {
    const none = points(undefined, undefined, undefined);
    const state = (treatMissingData: 'missing' | 'ignore' | 'breaching' | 'notBreaching') =>
      evaluateAlarm({ ...base, treatMissingData, currentState: 'ALARM', datapoints: none }).state;
    expect(state('missing')).toBe('INSUFFICIENT_DATA');
    expect(state('ignore')).toBe('ALARM');
    expect(state('breaching')).toBe('ALARM');
    expect(state('notBreaching')).toBe('OK');
  });

  it('fills gaps as breaching or not breaching, and judges real datapoints alone otherwise', () => {
    const gaps = points(undefined, 1, undefined);
    expect(evaluateAlarm({ ...base, treatMissingData: 'breaching', datapoints: gaps }).state).toBe('ALARM');
    expect(
      evaluateAlarm({
        ...base,
        treatMissingData: 'notBreaching',
        datapoints: points(undefined, 9, undefined),
      }).state,
    ).toBe('OK');
    expect(
      evaluateAlarm({ ...base, treatMissingData: 'missing', datapoints: points(undefined, 9, undefined) })
        .state,
    ).toBe('ALARM');
    expect(evaluateAlarm({ ...base, treatMissingData: 'ignore', datapoints: gaps }).state).toBe('OK');
  });

  it('explains the transition the way CloudWatch does', () => {
    const outcome = evaluateAlarm({ ...base, datapoints: points(6, 1, 7) });
    expect(outcome.reason).toMatch(
      /^Threshold Crossed: 2 out of the last 3 datapoints \[7\.0 \(.+\), 6\.0 \(.+\)\] were greater than the threshold \(5\.0\)/,
    );
  });
});
