/**
 * `flagops demo --full` run in-process on the sandbox's stepped clock: the guide's Phase 1 → 3 with
 * the advancer proposing each rung, sandbox users approving, the acceptance criteria verified
 * before 100 %, and a breach that starts after the 100 % bake's job ended caught by `watch`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FullDemoResult, runFullDemo } from '../../packages/sandbox/demo/full.ts';

let text = '';
let result: FullDemoResult;

beforeAll(async () => {
  result = await runFullDemo({
    stdout: (t) => {
      text += t;
    },
  });
}, 240_000);
afterAll(() => {
  text = '';
});

describe('flagops demo --full', () => {
  it('walks 0 → 10 → 25 → 50 → 75 → 100, every bake recorded healthy', () => {
    expect(result.exitCode).toBe(0);
    expect(result.steps.map((s) => `${s.value}:${s.verdict}`)).toEqual(
      [0, 10, 25, 50, 75, 100].map((v) => `${v}:healthy`),
    );
  });

  it('the advancer proposes each rung once, and bob and carol approve it before it merges', () => {
    expect(result.proposals.map((p) => p.value)).toEqual([10, 25, 50, 75, 100]);
    expect(new Set(result.proposals.map((p) => p.number)).size).toBe(5);
    for (const p of result.proposals) expect(p.approvedBy).toEqual(['bob', 'carol']);
    // Each deployed rung came from the advancer's pull request for it.
    expect(result.steps.slice(1).map((s) => s.pullRequest)).toEqual(result.proposals.map((p) => p.number));
  });

  it('says what the advancer waits for between the rungs', () => {
    // A scheduled run while a step still bakes: what it waits for and until when.
    expect(text).toMatch(/advance \(scheduled, while the job bakes\): waiting until \S+Z: baking/);
  });

  it('verifies the acceptance criteria before 100 % and passes', () => {
    expect(result.verification).toEqual({ passed: true });
    expect(text.indexOf('verification PASSED')).toBeLessThan(text.indexOf('— opened pull request #6'));
    expect(text).toMatch(/proposing 100 \(the target; the plan is removed\): .* — opened pull request #6/);
  });

  it('catches the soak breach with watch after the job ended, reverts to 75 % and opens the revert PR', () => {
    expect(result.soak?.status).toBe('breached');
    expect(result.soak?.message).toMatch(/influxdb-response-time/);
    expect(result.soak?.revertPullRequest).toBeGreaterThan(result.proposals.at(-1)!.number);
    expect(result.soak?.servedAfter).toBe(75);
    // A whole day's rollout and soak, on the simulated clock.
    expect(result.simulatedMs).toBeGreaterThan(5 * 60 * 60_000);
  });
});
