/**
 * The sandbox's runner keeps GitHub's semantics: which commit's workflow file runs per event, path
 * and branch filters, matrices (fromJSON) and `needs` outputs, `if: always()` after a failure,
 * concurrency queueing, masks, each job's GITHUB_TOKEN limited to its `permissions:` (GitHub's
 * 403), a missing stand-in, and webhook-shaped event payloads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, REPO, startHarness } from './runner-harness.ts';

const WHICH = (label: string) => `name: which
on:
  pull_request:
    paths: ["flags/**"]
  push:
    branches: [main]
    paths: ["flags/**"]
jobs:
  say:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "workflow file from ${label} for \${{ github.event_name }} at \${{ github.sha }}"
`;

const SEMANTICS = `name: semantics
on:
  workflow_dispatch:
    inputs:
      secret: { type: string, required: false }
permissions:
  contents: read
env:
  LEVEL: workflow
jobs:
  targets:
    runs-on: ubuntu-24.04
    outputs:
      matrix: \${{ steps.m.outputs.matrix }}
    steps:
      - id: m
        run: echo 'matrix={"env":["dev","prod"]}' >> "$GITHUB_OUTPUT"
  each:
    needs: targets
    runs-on: ubuntu-24.04
    strategy:
      matrix: \${{ fromJSON(needs.targets.outputs.matrix) }}
    name: each \${{ matrix.env }}
    env:
      LEVEL: job
    steps:
      - run: echo "level=$LEVEL env=\${{ matrix.env }}"
      - run: echo "::add-mask::\${{ inputs.secret }}" && echo "the secret is \${{ inputs.secret }}"
      - run: exit 3
      - if: always()
        run: echo "cleanup ran"
      - run: echo "never runs"
  forbidden:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
        with:
          persist-credentials: false
      - uses: ./actions/comment
  missing:
    runs-on: ubuntu-24.04
    steps:
      - uses: someone/unknown-action@v1
  unbuilt:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
        with:
          persist-credentials: false
      - uses: ./actions/unbuilt
`;

// An action whose bundle was never built (dist/ is not committed).
const UNBUILT_ACTION = `name: unbuilt
runs:
  using: node24
  main: ../../dist/actions/unbuilt/index.mjs
`;

const COMMENT_ACTION = `name: comment
runs:
  using: node24
  main: index.mjs
inputs:
  token:
    default: \${{ github.token }}
`;

// A node action calling the REST API with its token, as the project's actions do.
const COMMENT_MAIN = `
const res = await fetch(process.env.GITHUB_API_URL + '/repos/' + process.env.GITHUB_REPOSITORY + '/statuses/' + process.env.GITHUB_SHA, {
  method: 'POST',
  headers: { authorization: 'token ' + process.env.INPUT_TOKEN, 'content-type': 'application/json' },
  body: JSON.stringify({ state: 'success', context: 'x' }),
});
const body = await res.json();
if (!res.ok) { console.log('::error::' + res.status + ' ' + body.message); process.exit(1); }
`;

const QUEUE = `name: queue
on:
  push:
    branches: [main]
    paths: ["deploy/**"]
concurrency:
  group: deploy
  cancel-in-progress: false
jobs:
  deploy:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
        with:
          ref: main
      - run: cat deploy/n.txt && sleep 10
`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    'README.md': '# x\n',
    'flags/a.txt': 'a\n',
    '.github/workflows/which.yml': WHICH('main'),
    '.github/workflows/semantics.yml': SEMANTICS,
    '.github/workflows/queue.yml': QUEUE,
    'actions/comment/action.yml': COMMENT_ACTION,
    'actions/comment/index.mjs': COMMENT_MAIN,
    'actions/unbuilt/action.yml': UNBUILT_ACTION,
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function jobsByName(runId: number) {
  return Object.fromEntries((await h.jobs(runId)).map((j) => [j.name, j]));
}

describe('events and filters', () => {
  it('runs the pull request’s own workflow file from its merge commit, and main’s on push', async () => {
    // Not under flags/: the path filter keeps the workflow from running.
    h.push('docs', { 'docs.md': 'x\n' });
    await h.user('alice').rest.pulls.create({ ...REPO, title: 'docs', head: 'docs', base: 'main' });
    // Under flags/, and the branch changes the workflow itself.
    h.push('change', { 'flags/a.txt': 'b\n', '.github/workflows/which.yml': WHICH('the branch') });
    const pr = await h
      .user('alice')
      .rest.pulls.create({ ...REPO, title: 'change', head: 'change', base: 'main' });
    await h.idle();
    const runs = await h.runs({ event: 'pull_request' });
    expect(runs.map((r) => r['display_title'])).toEqual(['change']);
    expect(runs[0]).toMatchObject({
      name: 'which',
      status: 'completed',
      conclusion: 'success',
      head_sha: pr.data.head.sha,
      head_branch: 'change',
    });
    const [job] = await h.jobs(runs[0]!['id'] as number);
    const merge = (await h.user('alice').rest.git.getRef({ ...REPO, ref: 'pull/2/merge' })).data.object.sha;
    expect(await h.log(job!.id as number)).toContain(
      `workflow file from the branch for pull_request at ${merge}`,
    );
    // The job is a check run of the github-actions app on the pull request's head.
    const checks = await h.user('alice').rest.checks.listForRef({ ...REPO, ref: pr.data.head.sha });
    expect(checks.data.check_runs.map((c) => [c.name, c.conclusion, c.app?.slug])).toEqual([
      ['say', 'success', 'github-actions'],
    ]);

    await h.user('bob').rest.pulls.merge({ ...REPO, pull_number: pr.data.number });
    await h.idle();
    const pushes = await h.runs({ event: 'push' });
    expect(pushes).toHaveLength(1);
    const [pushJob] = await h.jobs(pushes[0]!['id'] as number);
    expect(await h.log(pushJob!.id as number)).toMatch(
      /workflow file from the branch for push at [0-9a-f]{40}/,
    );
  }, 120_000);
});

describe('jobs and steps', () => {
  let jobs: Awaited<ReturnType<typeof jobsByName>>;

  beforeAll(async () => {
    await h.user('alice').rest.actions.createWorkflowDispatch({
      ...REPO,
      workflow_id: 'semantics.yml',
      ref: 'main',
      inputs: { secret: 'hunter2-s3cret' },
    });
    await h.idle();
    const [run] = await h.runs({ event: 'workflow_dispatch' });
    expect(run).toMatchObject({
      name: 'semantics',
      conclusion: 'failure',
      path: '.github/workflows/semantics.yml',
    });
    jobs = await jobsByName(run!['id'] as number);
  }, 120_000);

  it('expands a matrix from a needed job’s output (fromJSON), with env at every level', async () => {
    expect(Object.keys(jobs).sort()).toEqual([
      'each dev',
      'each prod',
      'forbidden',
      'missing',
      'targets',
      'unbuilt',
    ]);
    const log = await h.log(jobs['each prod']!.id as number);
    expect(log).toContain('level=job env=prod');
  });

  it('runs if: always() after a failure and skips the rest', () => {
    expect(jobs['each dev']!.steps.map((s) => s.conclusion)).toEqual([
      'success',
      'success',
      'success',
      'failure',
      'success',
      'skipped',
      'success',
    ]);
  });

  it('masks values passed to ::add-mask:: in every later line', async () => {
    const log = await h.log(jobs['each dev']!.id as number);
    expect(log).toContain('the secret is ***');
    expect(log).not.toContain('hunter2-s3cret');
  });

  it('gives each job a GITHUB_TOKEN with exactly its permissions: 403 outside them', async () => {
    expect(jobs['forbidden']!.conclusion).toBe('failure');
    expect(await h.log(jobs['forbidden']!.id as number)).toContain(
      '403 Resource not accessible by integration',
    );
  });

  it('fails a job using an action the sandbox has no stand-in for', async () => {
    expect(jobs['missing']!.conclusion).toBe('failure');
    expect(await h.log(jobs['missing']!.id as number)).toContain(
      'the sandbox has no stand-in for someone/unknown-action',
    );
  });

  it('fails a local action whose bundle is missing with one line saying what to run', async () => {
    expect(jobs['unbuilt']!.conclusion).toBe('failure');
    const log = await h.log(jobs['unbuilt']!.id as number);
    expect(log).toContain(
      './actions/unbuilt: its bundle dist/actions/unbuilt/index.mjs is not in the checkout; run `npm run build`',
    );
    expect(log).not.toContain('ERR_MODULE_NOT_FOUND');
  });
});

describe('concurrency', () => {
  async function queueRuns() {
    return (await h.runs({ event: 'push' })).filter((r) => r['name'] === 'queue');
  }
  async function until(check: (runs: Array<Record<string, unknown>>) => boolean | Promise<boolean>) {
    for (let i = 0; i < 300; i++) {
      if (await check(await queueRuns())) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('timed out waiting for the queue runs');
  }

  it('queues a newer run behind the running one, replaces a waiting one, and the queued run deploys the newest main', async () => {
    h.push('main', { 'deploy/n.txt': 'first\n' });
    // Running, and past its checkout of main (which runs alongside everything else, as on GitHub).
    await until(async (runs) => {
      if (runs[0]?.['status'] !== 'in_progress') return false;
      const [job] = await h.jobs(runs[0]['id'] as number);
      return (
        job?.steps.some((s) => s.name.includes('actions/checkout') && s.conclusion === 'success') ?? false
      );
    });
    h.push('main', { 'deploy/n.txt': 'second\n' });
    await until((runs) => runs.length === 2 && runs[0]?.['status'] === 'pending');
    h.push('main', { 'deploy/n.txt': 'third\n' });
    await until((runs) => runs.length === 3);
    await h.idle();
    const done = await queueRuns();
    // Newest first: the waiting run was replaced by the newer one, which deployed "third".
    expect(done.map((r) => r['conclusion'])).toEqual(['success', 'cancelled', 'success']);
    const log = async (r: Record<string, unknown>) =>
      h.log((await h.jobs(r['id'] as number))[0]!.id as number);
    expect(/Z (first|second|third)$/m.exec(await log(done[0]!))?.[1]).toBe('third');
    expect(/Z (first|second|third)$/m.exec(await log(done[2]!))?.[1]).toBe('first');
  }, 120_000);
});
