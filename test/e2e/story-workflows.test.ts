/**
 * The whole story through this repository's own workflows, as `npm start` tells it
 * (src/demo/workflow-story.ts, shared with the demo): people push branches, run
 * `flagops set-percentage --pr`, review and merge through the GitHub REST API; the sandbox runs
 * `.github/workflows/` on what they do; AppConfigData through the SDK says what is served.
 *
 * The workflows' processes follow the sandbox's free-running clock, so flagops' guard or the
 * CloudWatch alarm on the same error rate may see the overload first, and AppConfig may or may not
 * have completed the deployment by then: every assertion here holds in each of those interleavings
 * (a rollback happened, by whichever; the revert pull request carries its evidence), never which
 * detector won or how many looks it took.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedFirings } from '../../packages/sandbox/demo/history.ts';
import type { RunView } from '../../packages/sandbox/demo/people.ts';
import {
  APP,
  LOOSENED_GUARD,
  type StoryRecord,
  startStorySandbox,
  tellStory,
} from '../../packages/sandbox/demo/workflow-story.ts';
import type { Sandbox } from '../../packages/sandbox/src/index.ts';

let sandbox: Sandbox;
let story: StoryRecord;

const DEPLOY_JOB = `deploy ${APP}/production`;
const job = (run: RunView | undefined, name: string) => run?.jobs.find((j) => j.name === name);
const step = (run: RunView | undefined, jobName: string, stepName: string) =>
  job(run, jobName)?.steps.find((s) => s.name === stepName)?.conclusion;

beforeAll(async () => {
  sandbox = await startStorySandbox({ speed: 600 });
  story = await tellStory(sandbox);
}, 900_000);

afterAll(async () => {
  await sandbox?.close();
});

describe('the story through the workflows', () => {
  it('production reaches 25 % (development 50 %) through a reviewed pull request and deploy.yml', () => {
    expect(story.setup.merge, JSON.stringify(story.setup.merge)).toMatchObject({ merged: true });
    const deploy = story.setup.runs.find((r) => r.path === '.github/workflows/deploy.yml');
    expect(deploy?.event).toBe('push');
    expect(deploy?.conclusion).toBe('success');
    expect(step(deploy, DEPLOY_JOB, 'Bake feature-flags')).toBe('success');
    expect(story.setup.served).toEqual({ development: 50, production: 25 });
  });

  it('the pull request to 50 % gets the plan comment and the App’s change-control status from the workflows', () => {
    expect(story.raise.cli.code).toBe(0);
    expect(story.raise.pull.author).toBe('alice');
    const onPull = story.raise.runs.filter((r) => r.pullRequests.includes(story.raise.pull.number));
    expect(onPull.find((r) => r.path === '.github/workflows/pull-request.yml')?.conclusion).toBe('success');
    expect(onPull.find((r) => r.path === '.github/workflows/change-control.yml')?.conclusion).toBe('success');
    expect(story.raise.planComments).toHaveLength(1);
    expect(story.raise.planComments[0]).toContain('production');
    const status = story.raise.statusBefore['flagops/change-control'];
    expect(status?.creator).toBe('flagops[bot]');
    expect(status?.state).toBe('failure');
    expect(status?.description).toMatch(/production needs 2 approvals?, has 0/);
  });

  it('branch protection refuses the merge before the approvals, and allows it after', () => {
    expect(story.raise.earlyMerge).toMatchObject({ merged: false, status: 405 });
    expect(story.raise.merge, JSON.stringify(story.raise.merge)).toMatchObject({ merged: true });
  });

  it('deploy.yml breaches under the overload, rolls back and opens the revert pull request with the App’s token', async () => {
    expect(story.raise.deploy?.conclusion).toBe('failure');
    expect(step(story.raise.deploy, DEPLOY_JOB, 'GitHub App token for the revert pull request')).toBe(
      'success',
    );
    expect(step(story.raise.deploy, DEPLOY_JOB, 'Revert feature-flags')).toBe('success');
    expect(story.raise.served).toBe(25);
    const revert = story.raise.revert;
    expect(revert?.author).toBe('flagops[bot]');
    expect(revert?.labels).toEqual(expect.arrayContaining(['flagops:revert', 'flagops:automatic']));
    // The bad version names the merge commit it came from; the rollback has its time, not "—".
    const sha12 = story.raise.merge.merged ? story.raise.merge.sha.slice(0, 12) : 'none';
    expect(revert?.body).toMatch(
      new RegExp(
        `\\| Rolled back \\| deployment \\d+: version \\d+ \\(\`flagops\\.${sha12}\\.[0-9a-f]+\`\\)`,
      ),
    );
    expect(revert?.body).toMatch(/\| Rollback \| [^|—]+ at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \|/);
    expect(revert?.body).toContain(`#${story.raise.pull.number} by @alice`);
    expect(revert?.body).toContain('influxdb_traffic_percentage.percentage 50 → 25');
  });

  it('the revert pull request gets its checks: it was opened with a token that starts workflows', () => {
    const paths = story.raise.revertRuns.map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining(['.github/workflows/pull-request.yml', '.github/workflows/change-control.yml']),
    );
    for (const run of story.raise.revertRuns) expect(run.conclusion, run.path).toBe('success');
  });

  it('the held target refuses a workflow_dispatch deploy while the revert pull request is open', () => {
    expect(story.hold.dispatch?.conclusion).toBe('failure');
    expect(story.hold.log).toContain(
      `is held by automatic revert pull request #${story.raise.revert?.number}`,
    );
    expect(story.hold.served).toBe(25);
  });

  it('merging the approved revert makes the deploy a no-op', () => {
    expect(story.revert.merge, JSON.stringify(story.revert.merge)).toMatchObject({ merged: true });
    expect(story.revert.deploy?.conclusion).toBe('success');
    expect(step(story.revert.deploy, DEPLOY_JOB, 'Deploy feature-flags')).toBe('success');
    // Nothing changed, so nothing baked.
    expect(step(story.revert.deploy, DEPLOY_JOB, 'Bake feature-flags')).toBe('skipped');
    expect(story.revert.served).toBe(25);
  });

  it('the hold is released: a new legal change deploys', () => {
    expect(story.release.cli.code, story.release.cli.stderr).toBe(0);
    expect(story.release.merge, JSON.stringify(story.release.merge)).toMatchObject({ merged: true });
    expect(story.release.deploy?.conclusion).toBe('success');
    expect(step(story.release.deploy, DEPLOY_JOB, 'Bake feature-flags')).toBe('success');
    expect(story.release.served).toBe(10);
  });

  it('the guard change gets its backtest in the plan comment: the exact firings of the old and the new rule', () => {
    const g = story.guard;
    expect(g.history.calls).toBeGreaterThan(14);
    const backtestRun = g.runs.find((r) => r.path === '.github/workflows/backtest.yml');
    expect(backtestRun?.conclusion).toBe('success');
    expect(g.planComments).toHaveLength(1);
    expect(g.backtest).toBeDefined();
    expect(g.planComments[0]).toContain(g.backtest!);
    const line = g.backtest!.split('\n').find((l) => l.includes('`influxdb-error-rate`'))!;
    const [oldPart, rest] = line.split(' · new rule ') as [string, string];
    const newPart = rest.split(' · ')[0]!;
    const firings = (part: string, threshold: number) => {
      expect(part).toContain(`\`> ${threshold} ×2 of 60 s, gate requests ≥ 20\``);
      const fired = Number(/fired (\d+)× in 14 days/.exec(part)?.[1]);
      const times = part.match(/\d\d-\d\d \d\d:\d\d/g) ?? [];
      // Every firing is listed (at most five are), so the count and the times agree.
      expect(times).toHaveLength(fired);
      return times;
    };
    const minute = (ms: number) => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');
    const seededUntil = minute(g.history.to);
    const seeded = (times: string[]) => times.filter((t) => t < seededUntil);
    const live = (times: string[]) => times.filter((t) => t >= seededUntil);
    const oldTimes = firings(oldPart, LOOSENED_GUARD.from);
    const newTimes = firings(newPart, LOOSENED_GUARD.to);
    // The seeded history: the moderate spells trip > 5 only, the severe one both, the spike neither.
    expect(seeded(oldTimes)).toEqual(expectedFirings(g.history.from, 5, 2).map(minute));
    expect(seeded(newTimes)).toEqual(expectedFirings(g.history.from, 8, 2).map(minute));
    expect(seeded(oldTimes)).toHaveLength(3);
    expect(seeded(newTimes)).toHaveLength(1);
    // The story's own rollback (12 % errors at 50 %) is recorded too, and trips both rules alike.
    expect(live(oldTimes).length).toBeGreaterThanOrEqual(1);
    expect(live(newTimes)).toEqual(live(oldTimes));
    // applies_when judged on what AppConfig deployed during the story, not "not reconstructed".
    expect(line).toMatch(/ \d+ min not applicable/);
    expect(g.backtest).not.toContain('not reconstructed');
    expect(g.backtest).toMatch(/\nold > 5 +[·^]+\nnew > 8 +[·^]+\n/);
  });

  it('the guard change’s pull request page shows the Backtest section', async () => {
    const html = await (await fetch(story.guard.pull.url)).text();
    expect(html).toMatch(/<h3[^>]*>Backtest<\/h3>/);
    expect(html).toMatch(/fired \d+× in 14 days/);
  });
});
