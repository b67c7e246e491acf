/**
 * Time to 100 %: the guide's ladder 0 → 10 → 25 → 50 → 75 → 100 (Phase 1 first) driven by the advancer (every 15
 * minutes, auto_merge) on the sandbox's stepped clock, each merged step deployed with production's
 * strategy, baked and recorded (testkit/ladder.ts). Compared with the schedule's floor over the same
 * span — per step the dwell the rules demand (the longest of the plan's wait, dwell_minutes and the
 * soak, never less than the bake), then the next deployment (strategy minutes + final bake) — as a
 * ratio, in the same run. A healthy bake wakes the advancer at once, so the excess left is what
 * the cron still decides (the first step, whose soak is not a healthy bake).
 */
import { runLadder } from '../testkit/ladder.ts';
import { startPipelineHarness } from '../testkit/pipeline-harness.ts';
import type { BenchResult } from './lib.ts';

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

export async function run(): Promise<BenchResult> {
  const h = await startPipelineHarness({ stepped: true });
  const started = performance.now();
  try {
    const ladder = await runLadder(h);
    const wallMs = performance.now() - started;
    const reached = ladder.steps.map((s) => s.value).join(' → ');
    if (ladder.steps[ladder.steps.length - 1]?.value !== 100)
      throw new Error(`the ladder stopped at ${reached}`);
    const ratio = ladder.timeToTargetMs / ladder.floorMs;
    return {
      title: "Time to 100 % — the guide's ladder on the simulated clock",
      table: {
        headers: [
          'ladder',
          'time to 100 %',
          'schedule floor',
          'ratio',
          'advance runs',
          'pull requests',
          'wall',
        ],
        rows: [
          [
            reached,
            minutes(ladder.timeToTargetMs),
            minutes(ladder.floorMs),
            `${ratio.toFixed(2)}×`,
            String(ladder.advanceRuns),
            String(ladder.outcomes.filter((o) => o.action === 'merged').length),
            `${(wallMs / 1000).toFixed(1)} s`,
          ],
        ],
      },
      notes: [
        "From the Phase 1 step (queries on at 0 %) completing to the 100 % step's bake end, in simulated minutes; the floor is the sum of each step's dwell (max of bake 15, wait 15, dwell_minutes 15, soak), the next deployment (canary-10-percent: 10 + 5 min) and the last bake.",
        "The advancer runs on advance.yml's quarter-hour schedule and at once when a bake records healthy (deploy.yml's bake step dispatches advance.yml); a merge deploys at once (deploy.yml on push). Acceptance is recorded before 100 %.",
      ],
    };
  } finally {
    await h.close();
  }
}
