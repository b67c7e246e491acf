/**
 * Where the runner follows GitHub's documented behaviour that it used to miss:
 *
 * - Concurrency with `cancel-in-progress: true` cancels the running run: its current step stops,
 *   `always()` and `cancelled()` steps still run, jobs not yet started are cancelled and the run
 *   ends `cancelled`
 *   (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/control-the-concurrency-of-workflows-and-jobs,
 *   https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions#status-check-functions).
 *   The workflow below is pull-request.yml's own trigger and concurrency, with a step slow enough
 *   to be cancelled in.
 * - A job's `failure()` is true when any ancestor job failed, not only a direct `needs`
 *   (same status-check functions page).
 * - `workflow_dispatch` fills declared input defaults, and answers 422 to undeclared inputs, to a
 *   missing required input and to a workflow without the trigger
 *   (https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event).
 * - Editing an open pull request's title, body or base raises `pull_request` `edited` with the
 *   previous values in `changes` (same webhook page).
 * - Moving a pull request's branch through the REST API raises `pull_request` `synchronize`, as a
 *   push does (https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../packages/sandbox/src/index.ts';
import { git } from '../helpers/git.ts';
import { type Harness, REPO, startHarness } from './runner-harness.ts';

// Step output is checked with words the command line does not contain (the log shows both).

/** pull-request.yml up to its jobs: name, triggers, permissions and concurrency as shipped. */
const PULL_REQUEST_HEADER = readFileSync(
  join(PROJECT_ROOT, '.github/workflows/pull-request.yml'),
  'utf8',
).split(/^jobs:/m)[0];

const PLAN = `${PULL_REQUEST_HEADER}jobs:
  plan:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
      - run: echo "started" && sleep "$(cat flags/sleep.txt)" && echo "finished the $(echo slow) step"
      - if: always()
        run: echo "always() cleanup ran"
      - if: cancelled()
        run: echo "cancelled() was true"
      - run: echo "a plain step after the $(echo cancel)"
  after:
    needs: plan
    if: always()
    runs-on: ubuntu-24.04
    steps:
      - run: echo "after ran"
  later:
    needs: plan
    runs-on: ubuntu-24.04
    steps:
      - run: echo "later ran"
`;

const ANCESTORS = `name: ancestors
on: workflow_dispatch
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - run: exit 1
  b:
    needs: a
    runs-on: ubuntu-24.04
    steps:
      - run: echo b
  c:
    needs: b
    if: failure()
    runs-on: ubuntu-24.04
    steps:
      - run: echo "c saw an ancestor fail"
`;

const INPUTS = `name: inputs
on:
  workflow_dispatch:
    inputs:
      level:
        type: string
        default: gentle
      target:
        type: string
        required: true
jobs:
  say:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "level=\${{ inputs.level }} target=\${{ inputs.target }} event=\${{ github.event.inputs.level }}"
`;

const PUSH_ONLY = `name: push-only
on:
  push:
    branches: [nothing]
jobs:
  say:
    runs-on: ubuntu-24.04
    steps:
      - run: echo push
`;

const SYNC = `name: sync
on:
  pull_request:
    types: [synchronize]
    paths: ["notes/**"]
jobs:
  say:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "synchronize at \${{ github.event.pull_request.head.sha }}"
`;

const EDITED = `name: edited
on:
  pull_request:
    types: [edited]
jobs:
  say:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "edited from \${{ github.event.changes.title.from }} to \${{ github.event.pull_request.title }}"
`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    'README.md': '# x\n',
    'flags/sleep.txt': '1\n',
    '.github/workflows/pull-request.yml': PLAN,
    '.github/workflows/ancestors.yml': ANCESTORS,
    '.github/workflows/inputs.yml': INPUTS,
    '.github/workflows/push-only.yml': PUSH_ONLY,
    '.github/workflows/sync.yml': SYNC,
    '.github/workflows/edited.yml': EDITED,
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function jobsOf(runId: number) {
  const out: Record<
    string,
    { conclusion: string | null; log: string; steps: Array<{ name: string; conclusion: string | null }> }
  > = {};
  for (const job of await h.jobs(runId))
    out[job.name] = { conclusion: job.conclusion, log: await h.log(Number(job['id'])), steps: job.steps };
  return out;
}

/** One more commit on an existing branch, pushed as alice. */
function pushOnto(branch: string, files: Record<string, string>): string {
  const clone = join(h.tmp, `onto-${branch}-${Date.now()}`);
  git(h.tmp, 'clone', '--quiet', '--branch', branch, h.sandbox.gitRemote, clone);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(clone, path), text);
  git(clone, 'commit', '--quiet', '-am', 'next');
  git(clone, 'push', '--quiet', 'origin', branch);
  return git(clone, 'rev-parse', 'HEAD');
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('cancel-in-progress cancels the running run of pull-request.yml', () => {
  it('a second push to the pull request stops the first run mid-step; always() and cancelled() steps run', async () => {
    h.push('slow-plan', { 'flags/sleep.txt': '60\n' });
    const { data: pr } = await h
      .user('alice')
      .rest.pulls.create({ ...REPO, head: 'slow-plan', base: 'main', title: 'slow' });
    const first = await until('the first run’s slow step', async () => {
      const [run] = await h.runs({ event: 'pull_request' });
      if (!run) return undefined;
      const [job] = await h.jobs(Number(run['id']));
      const step = job?.steps.find((s) => s.name.includes('sleep'));
      return (step as { status?: string } | undefined)?.status === 'in_progress'
        ? Number(run['id'])
        : undefined;
    });
    pushOnto('slow-plan', { 'flags/sleep.txt': '2\n' });
    await h.idle();
    const runs = await h.runs({ event: 'pull_request' });
    expect(runs.map((r) => r['conclusion'])).toEqual(['success', 'cancelled']);
    const jobs = await jobsOf(first);
    expect(jobs['plan']?.conclusion).toBe('cancelled');
    expect(jobs['plan']?.log).toContain('started');
    expect(jobs['plan']?.log).not.toContain('finished the slow step');
    expect(jobs['plan']?.log).toContain('always() cleanup ran');
    expect(jobs['plan']?.log).toContain('cancelled() was true');
    expect(jobs['plan']?.log).not.toContain('a plain step after the cancel');
    expect(jobs['after']?.log).toContain('after ran');
    expect(jobs['later']?.conclusion).toBe('cancelled');
    const second = await jobsOf(Number(runs[0]?.['id']));
    expect(second['plan']?.log).toContain('finished the slow step');
    expect(pr.number).toBeGreaterThan(0);
  }, 180_000);
});

describe('job status functions', () => {
  it('failure() of a job is true when an ancestor two levels up failed', async () => {
    await h
      .user('alice')
      .rest.actions.createWorkflowDispatch({ ...REPO, workflow_id: 'ancestors.yml', ref: 'main' });
    await h.idle();
    const [run] = await h.runs({ event: 'workflow_dispatch' });
    const jobs = await jobsOf(Number(run?.['id']));
    expect(jobs['b']?.conclusion).toBe('skipped');
    expect(jobs['c']?.conclusion).toBe('success');
    expect(jobs['c']?.log).toContain('c saw an ancestor fail');
  }, 120_000);
});

describe('workflow_dispatch checks inputs against the workflow file', () => {
  const dispatch = (workflow_id: string, inputs: Record<string, string>) =>
    h.user('alice').rest.actions.createWorkflowDispatch({ ...REPO, workflow_id, ref: 'main', inputs });

  it('fills declared defaults', async () => {
    await dispatch('inputs.yml', { target: 'production' });
    await h.idle();
    const run = (await h.runs({ event: 'workflow_dispatch' })).find(
      (r) => r['path'] === '.github/workflows/inputs.yml',
    );
    const jobs = await jobsOf(Number(run?.['id']));
    expect(jobs['say']?.log).toContain('level=gentle target=production event=gentle');
  }, 120_000);

  it('is 422 for an undeclared input, a missing required one and a workflow without the trigger', async () => {
    await expect(dispatch('inputs.yml', { target: 'x', colour: 'red' })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('Unexpected inputs provided: ["colour"]'),
    });
    await expect(dispatch('inputs.yml', {})).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Required input 'target' not provided"),
    });
    await expect(dispatch('push-only.yml', {})).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Workflow does not have 'workflow_dispatch' trigger"),
    });
  });
});

describe('the REST API moving a pull request’s branch', () => {
  it('raises synchronize, and the pull request’s head follows', async () => {
    const first = h.push('rest-moved', { 'notes/a.txt': 'a\n' });
    const { data: pr } = await h
      .user('alice')
      .rest.pulls.create({ ...REPO, head: 'rest-moved', base: 'main', title: 'rest' });
    const second = h.push('rest-moved-next', { 'notes/a.txt': 'b\n' }, 'rest-moved');
    expect(second).not.toBe(first);
    await h.user('alice').rest.git.updateRef({ ...REPO, ref: 'heads/rest-moved', sha: second });
    await h.idle();
    const runs = (await h.runs({ event: 'pull_request' })).filter(
      (r) => r['path'] === '.github/workflows/sync.yml',
    );
    expect(runs.map((r) => r['head_sha'])).toEqual([second]);
    const { data } = await h.user('alice').rest.pulls.get({ ...REPO, pull_number: pr.number });
    expect(data.head.sha).toBe(second);
  }, 120_000);
});

describe('editing a pull request', () => {
  it('raises edited, with the old title in changes', async () => {
    h.push('to-edit', { 'notes/e.txt': 'e\n' });
    const { data: pr } = await h
      .user('alice')
      .rest.pulls.create({ ...REPO, head: 'to-edit', base: 'main', title: 'before' });
    await h.user('alice').rest.pulls.update({ ...REPO, pull_number: pr.number, title: 'after' });
    await h.idle();
    const [run] = (await h.runs()).filter((r) => r['path'] === '.github/workflows/edited.yml');
    const jobs = await jobsOf(Number(run?.['id']));
    expect(jobs['say']?.log).toContain('edited from before to after');
  }, 120_000);
});
