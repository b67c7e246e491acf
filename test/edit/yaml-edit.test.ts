import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EditError, flowMap, setIn } from '../../src/edit/yaml-edit.ts';
import { enableQueries, gradualRollout, setPercentage } from '../../testkit/migration-edits.ts';
import { lineDiff as changedLines } from './line-diff.ts';

const PRODUCTION = readFileSync(
  new URL('../../flags/ons-data-platform-app/production/feature-flags.yaml', import.meta.url),
  'utf8',
);

describe('setIn', () => {
  it('replaces a block scalar and keeps its comment', () => {
    const src = 'flag:\n  enabled: true\n  percentage: 0 # share\n';
    expect(setIn(src, ['flag', 'percentage'], '25')).toBe(
      'flag:\n  enabled: true\n  percentage: 25 # share\n',
    );
  });

  it('replaces a scalar inside a flow map', () => {
    expect(setIn('a: { enabled: false }\n', ['a', 'enabled'], 'true')).toBe('a: { enabled: true }\n');
  });

  it('adds a missing key to a flow map', () => {
    expect(setIn('a: { enabled: true }\n', ['a', 'percentage'], '10')).toBe(
      'a: { enabled: true, percentage: 10 }\n',
    );
  });

  it('adds a missing key to a block map at its indentation, after the last entry', () => {
    const src = 'a:\n  enabled: true # on\nb: 1\n';
    expect(setIn(src, ['a', 'percentage'], '10')).toBe('a:\n  enabled: true # on\n  percentage: 10\nb: 1\n');
  });

  it('adds a top-level key at the end of a file without a final newline', () => {
    expect(setIn('a: 1', ['b'], '2')).toBe('a: 1\nb: 2\n');
  });

  it('replaces a block collection with a one-line value', () => {
    const src = 'x: 1\nplan:\n  target: 1\n  step: 1\ny: 2\n';
    expect(parse(setIn(src, ['plan'], flowMap({ target: 50 })))).toEqual({
      x: 1,
      plan: { target: 50 },
      y: 2,
    });
  });

  it('refuses when the parent is missing or not a mapping', () => {
    expect(() => setIn('a: 1\n', ['missing', 'x'], '1')).toThrow(EditError);
    expect(() => setIn('a: 1\n', ['a', 'x'], '1')).toThrow(/a is not a mapping/);
  });

  it('refuses a file that is not valid YAML', () => {
    expect(() => setIn('a: [1\n', ['a'], '1')).toThrow(/not valid YAML/);
  });

  it('quotes strings that YAML would read as something else', () => {
    expect(flowMap({ a: 'true', b: 'plain', c: 3, d: '10' })).toBe('{ a: "true", b: plain, c: 3, d: "10" }');
  });
});

describe('operator edits on the production values file', () => {
  it('set-percentage changes exactly one line', () => {
    const after = setPercentage(PRODUCTION, 25);
    expect(changedLines(PRODUCTION, after)).toEqual({
      removed: ['  percentage: 0 # share of API queries served by InfluxDB'],
      added: ['  percentage: 25 # share of API queries served by InfluxDB'],
    });
  });

  it('enable-queries changes exactly one line, and is a no-op when already on', () => {
    const after = enableQueries(PRODUCTION);
    expect(changedLines(PRODUCTION, after)).toEqual({
      removed: ['use_influxdb_for_api_queries: { enabled: false }'],
      added: ['use_influxdb_for_api_queries: { enabled: true }'],
    });
    expect(enableQueries(after)).toBe(after);
  });

  it('set-percentage switches the traffic flag on when it was off', () => {
    const off = PRODUCTION.replace('  enabled: true\n  percentage', '  enabled: false\n  percentage');
    const after = parse(setPercentage(off, 10));
    expect(after.influxdb_traffic_percentage).toEqual({ enabled: true, percentage: 10 });
  });

  it('gradual-rollout writes the plan and takes the first step', () => {
    const after = gradualRollout(PRODUCTION, { target: 50, stepSize: 10, waitMinutes: 15 });
    expect(parse(after)._rollout).toEqual({
      flag: 'influxdb_traffic_percentage',
      attribute: 'percentage',
      target: 50,
      step: 10,
      wait_minutes: 15,
    });
    expect(parse(after).influxdb_traffic_percentage.percentage).toBe(10);
    const { removed, added } = changedLines(PRODUCTION, after);
    expect(removed).toEqual(['  percentage: 0 # share of API queries served by InfluxDB']);
    expect(added).toEqual([
      '  percentage: 10 # share of API queries served by InfluxDB',
      '_rollout: { flag: influxdb_traffic_percentage, attribute: percentage, target: 50, step: 10, wait_minutes: 15 }',
    ]);
  });

  it('gradual-rollout replaces an earlier plan instead of adding a second', () => {
    const first = gradualRollout(PRODUCTION, { target: 50, stepSize: 10, waitMinutes: 15 });
    const second = gradualRollout(first, { target: 25, stepSize: 25, waitMinutes: 5 });
    expect(second.match(/_rollout/g)).toHaveLength(1);
    expect(parse(second)._rollout.target).toBe(25);
    expect(parse(second).influxdb_traffic_percentage.percentage).toBe(25);
  });

  // Ranges (0-100) are the flag definition's, judged by validation at file:line (test/edit/generic-verbs.test.ts).
  it('refuses a rollout plan that cannot move', () => {
    expect(() => gradualRollout(PRODUCTION, { target: 50, stepSize: 0, waitMinutes: 1 })).toThrow(
      /step must be a positive number/,
    );
    expect(() => gradualRollout(PRODUCTION, { target: 0, stepSize: 10, waitMinutes: 1 })).toThrow(
      /only goes up/,
    );
  });
});
