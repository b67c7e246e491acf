/**
 * The plan action in-process on the sandbox's GitHub, as the runner would run it: the sticky plan
 * comment is created, then updated in place on a re-run (still one comment), and left alone when
 * nothing changed. Fork runs say there are no AWS credentials; runs with them compare with AppConfig.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/actions/plan.ts';
import { markerFor } from '../../src/github/sticky-comment.ts';
import { mermaidChart } from '../../src/plan-comment/chart.ts';
import { percentagesOf } from '../../src/plan-comment/history.ts';
import { APP_DIR, type Harness, REPO, startHarness } from '../github/harness.ts';
import { git } from '../helpers/git.ts';

const FILE = `${APP_DIR}/production/feature-flags.yaml`;
let h: Harness;
let pr: number;
let clone: string;
let baseSha: string;
const saved = { ...process.env };

beforeAll(async () => {
  h = await startHarness();
  const text = readFileSync(join(h.seedDir, FILE), 'utf8')
    .replace(
      'use_influxdb_for_api_queries: { enabled: false }',
      'use_influxdb_for_api_queries: { enabled: true }',
    )
    .replace('percentage: 0', 'percentage: 25');
  const pushed = h.pushBranch('plan-change', { [FILE]: text });
  clone = pushed.clone;
  baseSha = git(clone, 'rev-parse', 'origin/main');
  pr = (await h.api('alice').pulls.create({ head: 'plan-change', base: 'main', title: 'prod 25', body: '' }))
    .number;
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
});

function runner(options: { fork: boolean; aws: boolean }): { output: string; summary: string } {
  const output = join(h.tmp, `output-${Math.random().toString(36).slice(2)}`);
  const summary = join(h.tmp, `summary-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const event = join(h.tmp, 'event.json');
  writeFileSync(
    event,
    JSON.stringify({
      pull_request: {
        number: pr,
        base: { sha: baseSha },
        head: { repo: { full_name: options.fork ? 'mallory/flags' : `${REPO.owner}/${REPO.repo}` } },
      },
    }),
  );
  const env: Record<string, string | undefined> = {
    ...h.sandbox.env,
    GITHUB_EVENT_PATH: event,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    FLAGOPS_NOW: '2026-06-02T09:00:00Z',
    INPUT_TOKEN: 'sandbox-bot-flagops',
    'INPUT_WORKING-DIRECTORY': clone,
  };
  if (!options.aws) {
    env['AWS_ACCESS_KEY_ID'] = undefined;
    env['AWS_SECRET_ACCESS_KEY'] = undefined;
  }
  process.env = { ...saved };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return { output, summary };
}

async function planComments() {
  return (await h.api('flagops[bot]').comments.list(pr)).filter((c) => c.body.includes(markerFor('plan')));
}

describe('plan action', () => {
  it('creates one sticky comment with the plan, the fork note and the percentage chart', async () => {
    const files = runner({ fork: true, aws: false });
    await run();
    expect(process.exitCode).not.toBe(1);
    const comments = await planComments();
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(body).toContain('ons-data-platform-app/production/feature-flags');
    expect(body).toContain('from a fork');
    expect(body).toContain('xychart-beta');
    expect(body).toContain('line [0, 25]');
    expect(readFileSync(files.output, 'utf8')).toMatch(/comment-action<<\S+\ncreated\n/);
    expect(readFileSync(files.summary, 'utf8')).toContain('flagops plan for #');
  });

  it('updates the same comment in place on a re-run whose text changed (AWS now readable)', async () => {
    const before = await planComments();
    const files = runner({ fork: false, aws: true });
    await run();
    const after = await planComments();
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(before[0]!.id);
    expect(after[0]!.body).not.toContain('from a fork');
    // Nothing is bootstrapped on this sandbox: the comment says so rather than failing.
    expect(after[0]!.body).toContain('could not read what is deployed');
    expect(readFileSync(files.output, 'utf8')).toMatch(/comment-action<<\S+\nupdated\n/);
  });

  it('leaves the comment alone when nothing changed', async () => {
    const files = runner({ fork: false, aws: true });
    await run();
    expect(await planComments()).toHaveLength(1);
    expect(readFileSync(files.output, 'utf8')).toMatch(/comment-action<<\S+\nunchanged\n/);
  });

  it('fails the step after commenting when the plan fails', async () => {
    const text = readFileSync(join(clone, FILE), 'utf8').replace('percentage: 25', 'percentage: 90');
    writeFileSync(join(clone, FILE), text);
    try {
      runner({ fork: false, aws: false });
      await run();
      expect(process.exitCode).toBe(1);
      const [comment] = await planComments();
      expect(comment!.body).toContain('line [0, 90]');
    } finally {
      git(clone, 'checkout', '--', FILE);
    }
  });
});

describe('percentage history and chart', () => {
  it('reads percentages from values files, 0 while the flag is off', () => {
    expect(
      percentagesOf(
        'a: { enabled: true, percentage: 30 }\nb: { enabled: false, percentage: 10 }\nc: { enabled: true }\n',
      ),
    ).toEqual({
      'a.percentage': 30,
      'b.percentage': 0,
    });
    expect(percentagesOf(': : not yaml [')).toEqual({});
  });

  it('draws an xychart whose labels cannot break out of their quotes', () => {
    const chart = mermaidChart('prod "x"', {
      key: 'f.percentage',
      points: [
        { commit: 'abc1234', date: '2026-06-01', value: 25 },
        { commit: '#7"', date: 'proposed', value: 50 },
      ],
    });
    expect(chart).toContain('title "prod x"');
    expect(chart).toContain('x-axis ["abc1234 2026-06-01", "#7"]');
    expect(chart).toContain('line [25, 50]');
  });
});
