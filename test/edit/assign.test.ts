/**
 * The generic edit under `flagops set`: one line per assignment, in the file's own style, and a flag
 * missing from the file added on one line.
 */
import { describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/edit/assign.ts';
import { rolloutStep } from '../../src/edit/rollout-plan.ts';
import { lineDiff } from './line-diff.ts';

const FILE = [
  '# payments',
  'new_provider_ready: { enabled: false }',
  'new_provider_share:',
  '  enabled: false',
  '  percentage: 0 # share',
  '',
].join('\n');

describe('applyAssignments', () => {
  it('changes one line per assignment, block and flow alike, comments kept', () => {
    const after = applyAssignments(FILE, [
      { flag: 'new_provider_ready', attribute: 'enabled', value: true },
      { flag: 'new_provider_share', attribute: 'percentage', value: 20 },
    ]);
    expect(lineDiff(FILE, after)).toEqual({
      removed: ['new_provider_ready: { enabled: false }', '  percentage: 0 # share'],
      added: ['new_provider_ready: { enabled: true }', '  percentage: 20 # share'],
    });
  });

  it('adds a flag the file lacks on one line, off unless switched on', () => {
    const attribute = applyAssignments(FILE, [{ flag: 'retry_policy', attribute: 'mode', value: 'none' }]);
    expect(lineDiff(FILE, attribute).added).toEqual(['retry_policy: { enabled: false, mode: none }']);
    const on = applyAssignments(FILE, [{ flag: 'retry_policy', attribute: 'enabled', value: true }]);
    expect(lineDiff(FILE, on).added).toEqual(['retry_policy: { enabled: true }']);
  });

  it('quotes a string YAML would read as something else', () => {
    const after = applyAssignments(FILE, [
      { flag: 'retry_policy', attribute: 'mode', value: 'true' },
      { flag: 'retry_policy', attribute: 'code', value: '10' },
    ]);
    expect(after).toContain('retry_policy: { enabled: false, mode: "true", code: "10" }');
  });

  it('a rollout step switches its flag on with the value', () => {
    const after = rolloutStep(FILE, 'new_provider_share', 'percentage', 10);
    expect(lineDiff(FILE, after)).toEqual({
      removed: ['  enabled: false', '  percentage: 0 # share'],
      added: ['  enabled: true', '  percentage: 10 # share'],
    });
  });
});
