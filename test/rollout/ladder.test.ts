/**
 * The guide's whole ladder on the sandbox with the simulated clock: production enables queries at
 * 0 % (Phase 1) with the plan `--target 100 --step-size 10` and `auto_merge: true`; the advancer
 * (every 15 minutes) proposes and merges each step only after the previous step's recorded healthy
 * bake and dwell, the deploy bakes and records it, and the acceptance check is recorded before
 * 100 %. No person acts after Phase 1: the 0 % bake (no InfluxDB guard applies), the 10 % bake
 * (its canary's first minutes below the sample gate) and the 100 % bake (no Timestream to compare
 * with) are all healthy. Exactly one pull request per step, in the guide's order, and the plan is
 * gone at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LadderRun, runLadder } from '../../testkit/ladder.ts';
import { type PipelineHarness, startPipelineHarness } from '../../testkit/pipeline-harness.ts';

let h: PipelineHarness;
let run: LadderRun;

beforeAll(async () => {
  h = await startPipelineHarness({ stepped: true });
  run = await runLadder(h);
}, 120_000);
afterAll(async () => {
  run?.close();
  await h?.close();
});

describe('the ladder 0 → 100 through the advancer (auto_merge)', () => {
  it('walks 0 → 10 → 25 → 50 → 75 → 100, one merged pull request per step, and removes the plan', () => {
    expect(run.steps.map((s) => s.value)).toEqual([0, 10, 25, 50, 75, 100]);
    const merged = run.outcomes.filter((o) => o.action === 'merged');
    expect(merged).toHaveLength(5);
    expect(new Set(merged.map((o) => o.pullRequest!.number)).size).toBe(5);
    expect(run.steps.slice(1).map((s) => s.pullRequest)).toEqual(merged.map((o) => o.pullRequest!.number));
    expect(run.planRemoved).toBe(true);
  });

  it('records every bake healthy, the 0 %, 10 % and 100 % ones included', () => {
    expect(run.steps.map((s) => `${s.value}:${s.verdict}`)).toEqual(
      [0, 10, 25, 50, 75, 100].map((v) => `${v}:healthy`),
    );
  });

  it('never proposes a step before the previous one baked healthy (recorded) and dwelt', () => {
    for (let i = 1; i < run.steps.length; i++) {
      const before = run.steps[i - 1]!;
      expect(before.verdict).toBe('healthy');
      // The next deployment starts only after the bake and the 15-minute dwell of the one before.
      expect(run.steps[i]!.startedAt).toBeGreaterThanOrEqual(before.completedAt + 15 * 60_000);
    }
    // Every run that proposed nothing said what it waited for.
    for (const o of run.outcomes.filter((x) => x.action === 'none'))
      expect(o.message).toMatch(/^waiting( until \S+Z)?: /);
  });

  it('never beats the schedule: the run takes at least its floor (the bench reports the ratio)', () => {
    expect(run.timeToTargetMs).toBeGreaterThanOrEqual(run.floorMs);
  });
});
