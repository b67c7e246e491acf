/**
 * The plan action on a pull request that loosens two guards, on the sandbox with 14 days of history
 * written through PutMetricData: the one sticky plan comment carries a "Backtest" section with the
 * exact firings of the old and the new rule and a chart; without AWS credentials it says why it
 * did not run. Guard names from the pull request are escaped where they land.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/actions/plan.ts';
import type { BacktestReport } from '../../src/backtest/run.ts';
import { mdCode, mdText } from '../../src/escape/markdown.ts';
import { markerFor } from '../../src/github/sticky-comment.ts';
import { loadWorkingTree } from '../../src/model/revision.ts';
import { buildPlan } from '../../src/plan/index.ts';
import { composePlanComment } from '../../src/plan-comment/compose.ts';
import { putHistory } from '../../testkit/metric-history.ts';
import { type Harness, REPO, startHarness } from '../github/harness.ts';
import { PROJECT_ROOT } from '../helpers/cli.ts';
import { git } from '../helpers/git.ts';
import { APP_YAML, at, history, loosen } from './fixture.ts';

const DAY = 86_400_000;
const UNTIL = Math.floor(Date.now() / 300_000) * 300_000;
const FROM = UNTIL - 14 * DAY;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');

let h: Harness;
let pr: number;
let clone: string;
let baseSha: string;
const saved = { ...process.env };

beforeAll(async () => {
  h = await startHarness({ start: UNTIL });
  const pushed = h.pushBranch('loosen-guards', {
    [APP_YAML]: loosen(readFileSync(join(h.seedDir, APP_YAML), 'utf8')),
  });
  clone = pushed.clone;
  baseSha = git(clone, 'rev-parse', 'origin/main');
  pr = (
    await h
      .api('alice')
      .pulls.create({ head: 'loosen-guards', base: 'main', title: 'loosen guards', body: '' })
  ).number;
  await putHistory(h.sandbox.env, history(FROM, UNTIL));
}, 120_000);

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
});

function actionEnv(aws: boolean): void {
  const event = join(h.tmp, 'event.json');
  writeFileSync(
    event,
    JSON.stringify({
      pull_request: {
        number: pr,
        base: { sha: baseSha },
        head: { repo: { full_name: `${REPO.owner}/${REPO.repo}` } },
      },
    }),
  );
  const output = join(h.tmp, 'output');
  writeFileSync(output, '');
  const env: Record<string, string | undefined> = {
    ...h.sandbox.env,
    FLAGOPS_CLOCK_ORIGIN: `${Date.now()}:${h.sandbox.clock.now()}`,
    GITHUB_EVENT_PATH: event,
    GITHUB_OUTPUT: output,
    FLAGOPS_NOW: '2026-06-02T09:00:00Z',
    INPUT_TOKEN: 'sandbox-bot-flagops',
    'INPUT_WORKING-DIRECTORY': clone,
  };
  if (!aws) {
    env['AWS_ACCESS_KEY_ID'] = undefined;
    env['AWS_SECRET_ACCESS_KEY'] = undefined;
  }
  process.env = { ...saved };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

async function planComment(): Promise<string> {
  const comments = (await h.api('flagops[bot]').comments.list(pr)).filter((c) =>
    c.body.includes(markerFor('plan')),
  );
  expect(comments).toHaveLength(1);
  return comments[0]!.body;
}

describe('the plan comment’s Backtest section', () => {
  it('says why it did not run when the job has no AWS credentials', async () => {
    actionEnv(false);
    await run();
    const body = await planComment();
    expect(body).toContain('### Backtest');
    expect(body).toContain('Not run: no AWS credentials in this run');
    expect(body).toContain('run `flagops backtest` with CloudWatch read access');
  });

  it('gives the exact firings of the old and the new rule, with a chart, in the same comment', async () => {
    actionEnv(true);
    await run();
    const body = await planComment();
    expect(body).not.toContain('Not run:');
    const errors = body.split('\n').find((l) => l.includes('`influxdb-error-rate`'));
    const oldTimes = [at(FROM, 1, 10, 2), at(FROM, 3, 10, 2), at(FROM, 7, 10, 3), at(FROM, 9, 10, 2)].map(
      hhmm,
    );
    expect(errors).toContain(
      `old rule \`> 5 ×2 of 60 s, gate requests ≥ 20\`: fired 4× in 14 days (${oldTimes.join(', ')} UTC)`,
    );
    expect(errors).toContain(
      `new rule \`> 8 ×2 of 60 s, gate requests ≥ 20\`: fired 3× in 14 days (${oldTimes.slice(1).join(', ')} UTC)`,
    );
    expect(errors).toContain('0 min no-data · 1 min below the sample gate');
    const window = body.split('\n').find((l) => l.includes('`influxdb-connection-failures`'));
    // The window guard: the old rule fired twice, the new one once (in this order on the line).
    expect(window).toMatch(
      /old rule `> 10 per 5 min [^`]*`: fired 2× in 14 days .* · new rule `> 15 per 5 min [^`]*`: fired 1× in 14 days /,
    );
    expect(body).toMatch(/```text\nvalue +[▁▂▃▄▅▆▇█ ]{56} {2}max per 6 h/);
    expect(body).toMatch(/\nold > 5 +[·^]{56}\nnew > 8 +[·^]{56}\n/);
  });
});

describe('backtest.yml’s plan step (only-guard-changes)', () => {
  it('leaves the comment alone when the change touches no guard', async () => {
    actionEnv(true);
    const before = await planComment();
    const head = git(clone, 'rev-parse', 'HEAD');
    // The same commit as base and head: nothing changed, so no guard did.
    process.env['INPUT_BASE'] = head;
    process.env['INPUT_HEAD'] = head;
    process.env['INPUT_ONLY-GUARD-CHANGES'] = 'true';
    await run();
    expect(process.exitCode ?? 0).toBe(0);
    expect(readFileSync(join(h.tmp, 'output'), 'utf8')).toMatch(/comment-action<<.*\nskipped\n/s);
    expect(await planComment()).toBe(before);
  });
});

describe('composing the section', () => {
  it('escapes names from the pull request and keeps the comment within its limit', () => {
    const repo = loadWorkingTree(PROJECT_ROOT);
    const plan = buildPlan(repo, repo, { now: new Date('2026-06-02T09:00:00Z'), baseLabel: 'main' });
    const rule = {
      rule: { breachWhen: { op: '>' as const, threshold: 5 }, consecutive: 2, periodSeconds: 60 },
      fired: 1,
      episodes: [{ start: '2026-06-01T10:02:00.000Z', end: null }],
      noDataMinutes: 0,
      gatedMinutes: 0,
      notApplicableMinutes: null,
    };
    const guard = {
      guard: 'x`<img src=x onerror=alert(1)>`@team',
      application: 'app',
      environment: '<b>prod</b> @everyone',
      kind: 'altered' as const,
      old: rule,
      new: rule,
      notApplicableMinutes: null,
      unknownMinutes: null,
      notApplicableBecause: [],
      chart: new Array(56).fill(1),
    };
    const report: BacktestReport = {
      from: '2026-05-19T09:00:00.000Z',
      to: '2026-06-02T09:00:00.000Z',
      days: 14,
      notes: [],
      guards: Array.from({ length: 400 }, () => guard),
      reads: { calls: 1, asked: 1, cached: 0, datapoints: 1 },
    };
    const text = composePlanComment({ plan, history: new Map(), backtest: { report } });
    expect(text.length).toBeLessThanOrEqual(65_536);
    // The name stays inside one code span it cannot break out of; the environment is escaped text.
    expect(text).toContain(`**${mdText(guard.environment)} · ${mdCode(guard.guard)}**`);
    expect(mdText(guard.environment)).not.toMatch(/<b>|@everyone/);
    expect(text.replaceAll(mdCode(guard.guard), '')).not.toMatch(/<img|<b>/);
    expect(text).toContain('more guard(s): run `flagops backtest`');
  });
});
