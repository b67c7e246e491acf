/**
 * `on.schedule` on the simulated clock, with GitHub's semantics: UTC crons fire at the minutes they
 * name, once per minute, only from the default branch's latest commit (a cron on another branch
 * never fires; one removed from main stops), with `schedule` in the payload; schedules can be
 * turned off. The clock stands still (speed 0) and the test moves it, so every count is exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCron } from '../../packages/sandbox/src/actions/cron.ts';
import { type Harness, startHarness } from './runner-harness.ts';

const scheduled = (name: string, crons: string[]) => `name: ${name}
on:
  schedule:
${crons.map((c) => `    - cron: "${c}"`).join('\n')}
  workflow_dispatch:
jobs:
  tick:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "cron=\${{ github.event.schedule }} event=$GITHUB_EVENT_NAME ref=$GITHUB_REF sha=$GITHUB_SHA"
`;

// 10:00:30 UTC on a Monday.
const START = Date.UTC(2026, 0, 5, 10, 0, 30);

let h: Harness;

async function advance(seconds: number): Promise<void> {
  const res = await fetch(`${h.sandbox.url}/_sandbox/clock`, {
    method: 'POST',
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  expect(res.status).toBe(200);
  await h.idle();
}

async function schedules(enabled: boolean): Promise<void> {
  const res = await fetch(`${h.sandbox.url}/_sandbox/workflows/schedules`, {
    method: 'POST',
    body: JSON.stringify({ enabled }),
  });
  expect(await res.json()).toEqual({ enabled });
}

/** Scheduled runs so far, oldest first, as `path cron` (the payload's schedule, from the log). */
async function scheduledRuns(): Promise<string[]> {
  const runs = (await h.runs({ event: 'schedule', per_page: '100' })).reverse();
  const out: string[] = [];
  for (const run of runs) {
    expect(run['conclusion']).toBe('success');
    const [job] = await h.jobs(run['id'] as number);
    const log = await h.log(job!['id'] as number);
    const cron = /cron=(\S+(?: \S+){4}) event=schedule ref=refs\/heads\/main/.exec(log)?.[1];
    out.push(`${String(run['path']).replace('.github/workflows/', '')} ${cron}`);
  }
  return out;
}

beforeAll(async () => {
  h = await startHarness(
    {
      '.github/workflows/quarter.yml': scheduled('quarter', ['*/5 * * * *', '2 10 * * MON']),
      '.github/workflows/never.yml': scheduled('never', ['0 3 1 1 *']),
      'README.md': 'seed\n',
    },
    { speed: 0, start: START, schedules: true },
  );
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('on.schedule on the simulated clock', () => {
  it('fires each cron at the UTC minutes it names, once per minute, from main with schedule in the payload', async () => {
    await advance(60); // 10:01:30
    expect(await scheduledRuns()).toEqual([]);
    await advance(60); // 10:02:30
    expect(await scheduledRuns()).toEqual(['quarter.yml 2 10 * * MON']);
    await advance(150); // exactly 10:05:00
    await advance(30); // 10:05:30: the same minute again fires nothing
    await advance(29); // 10:05:59
    expect(await scheduledRuns()).toEqual(['quarter.yml 2 10 * * MON', 'quarter.yml */5 * * * *']);
    const [run] = await h.runs({ event: 'schedule', per_page: '1' });
    const main = (await h.user('alice').rest.repos.getBranch({ owner: 'ons', repo: 'flags', branch: 'main' }))
      .data.commit.sha;
    expect(run).toMatchObject({ event: 'schedule', head_branch: 'main', head_sha: main });
  }, 60_000);

  it('never fires a cron that exists only on another branch, and stops one removed from main', async () => {
    const before = (await scheduledRuns()).length;
    h.push('feature', { '.github/workflows/branchy.yml': scheduled('branchy', ['* * * * *']) });
    h.push('main', { '.github/workflows/quarter.yml': scheduled('quarter', ['3 * * * *']) });
    await h.idle();
    await advance(300); // 10:10:59: crosses 10:06 … 10:10
    expect((await scheduledRuns()).slice(before)).toEqual([]);
  }, 60_000);

  it('a cron added to main fires from the next minute; turned off, minutes pass unfired and are not caught up', async () => {
    const before = (await scheduledRuns()).length;
    h.push('main', { '.github/workflows/every.yml': scheduled('every', ['*/2 * * * *']) });
    await h.idle();
    await advance(60); // 10:11:59: 10:11 is odd
    await advance(60); // 10:12:59
    expect((await scheduledRuns()).slice(before)).toEqual(['every.yml */2 * * * *']);
    await schedules(false);
    await advance(600); // 10:22:59
    expect((await scheduledRuns()).slice(before)).toHaveLength(1);
    await schedules(true);
    await advance(60); // 10:23:59: odd, nothing due
    await advance(60); // 10:24:59
    expect((await scheduledRuns()).slice(before)).toEqual(['every.yml */2 * * * *', 'every.yml */2 * * * *']);
  }, 60_000);
});

describe('cron expressions', () => {
  const at = (iso: string) => Date.parse(iso);
  it('reads steps, ranges, lists, names and the either-day rule, in UTC', () => {
    const weekdays = parseCron('30 9-17/4 * * MON-FRI');
    expect(weekdays.matches(at('2026-01-05T09:30:00Z'))).toBe(true);
    expect(weekdays.matches(at('2026-01-05T13:30:00Z'))).toBe(true);
    expect(weekdays.matches(at('2026-01-05T11:30:00Z'))).toBe(false);
    expect(weekdays.matches(at('2026-01-04T09:30:00Z'))).toBe(false); // Sunday
    const either = parseCron('0 0 1 * 7'); // the 1st, or any Sunday
    expect(either.matches(at('2026-02-01T00:00:00Z'))).toBe(true);
    expect(either.matches(at('2026-01-11T00:00:00Z'))).toBe(true);
    expect(either.matches(at('2026-01-12T00:00:00Z'))).toBe(false);
    expect(parseCron('7,22,37,52 * * * *').matches(at('2026-01-05T03:37:00Z'))).toBe(true);
    expect(parseCron('0 0 * JAN,jul *').matches(at('2026-07-09T00:00:00Z'))).toBe(true);
  });

  it('refuses what is not a five-field cron, naming the field', () => {
    expect(() => parseCron('@daily')).toThrow(/five/);
    expect(() => parseCron('60 * * * *')).toThrow(/minute "60" is not a value from 0 to 59/);
    expect(() => parseCron('*/0 * * * *')).toThrow(/step "0"/);
    expect(() => parseCron('* 5-1 * * *')).toThrow(/runs backwards/);
  });
});
