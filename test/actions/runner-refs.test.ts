/**
 * Which commit a run reads and checks out, and which pushes start workflows, as GitHub documents:
 *
 * - `pull_request_target` runs the workflow file of the default branch's latest commit, whatever the
 *   pull request's base, and GITHUB_REF/GITHUB_SHA are the default branch and that commit
 *   (https://github.blog/changelog/2025-11-07-actions-pull_request_target-and-environment-branch-protections-changes,
 *   https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows#pull_request_target).
 * - actions/checkout without a `ref` input checks out the commit that triggered the run
 *   (GITHUB_SHA), not the branch's tip when the step runs; with `ref`, that ref
 *   (https://github.com/actions/checkout#usage: "ref: … Otherwise, uses the default branch" /
 *   "the ref or SHA for that event").
 * - A push made with a job's GITHUB_TOKEN starts no workflow; one made with a GitHub App's
 *   installation token, or a person's, does
 *   (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/triggering-a-workflow#triggering-a-workflow-from-a-workflow).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GIT_ENV, git } from '../helpers/git.ts';
import { type Harness, REPO, startHarness } from './runner-harness.ts';

const targetWorkflow = (from: string) => `name: target
on:
  pull_request_target:
    types: [opened]
jobs:
  say:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "workflow of ${from} ran at $GITHUB_SHA on $GITHUB_REF"
`;

const PINNED = `name: pinned
on: workflow_dispatch
jobs:
  wait:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "waiting" && sleep 4
  look:
    needs: wait
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
      - run: echo "checked out $(git rev-parse HEAD) on $(git rev-parse --abbrev-ref HEAD)"
      - uses: actions/checkout@0000000000000000000000000000000000000000
        with:
          ref: main
          path: tip
      - run: echo "the ref input got $(git -C tip rev-parse HEAD)"
`;

const ON_PUSH = `name: on-push
on:
  push:
    branches: [by-app, by-job]
jobs:
  say:
    runs-on: ubuntu-24.04
    steps:
      - run: echo pushed
`;

const JOB_PUSH = `name: job-push
on: workflow_dispatch
permissions:
  contents: write
jobs:
  push:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
      - run: git -c user.name=job -c user.email=job@example.invalid commit --quiet --allow-empty -m job && git push --quiet origin HEAD:refs/heads/by-job
`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    'README.md': '# x\n',
    '.github/workflows/target.yml': targetWorkflow('main'),
    '.github/workflows/pinned.yml': PINNED,
    '.github/workflows/on-push.yml': ON_PUSH,
    '.github/workflows/job-push.yml': JOB_PUSH,
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function logsOf(path: string, event: string): Promise<string[]> {
  const runs = (await h.runs({ event })).filter((r) => r['path'] === `.github/workflows/${path}`);
  const logs: string[] = [];
  for (const run of runs)
    for (const job of await h.jobs(Number(run['id']))) logs.push(await h.log(Number(job['id'])));
  return logs;
}

describe('pull_request_target', () => {
  it('runs the default branch’s latest workflow, on the default branch’s latest commit, not the base’s', async () => {
    h.push('release', { '.github/workflows/target.yml': targetWorkflow('release') });
    h.push('feature', { 'notes/f.txt': 'f\n' }, 'release');
    const main = h.push('main', { 'notes/main.txt': 'newer main\n' });
    await h.idle();
    await h
      .user('alice')
      .rest.pulls.create({ ...REPO, head: 'feature', base: 'release', title: 'to release' });
    await h.idle();
    const logs = await logsOf('target.yml', 'pull_request_target');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(`workflow of main ran at ${main} on refs/heads/main`);
    expect(logs[0]).not.toContain('workflow of release');
  }, 120_000);
});

describe('actions/checkout', () => {
  it('checks out the run’s commit although the branch moved on; ref: main gets the tip', async () => {
    const before = h.sandbox.github.world.git.branchSha('main') ?? '';
    await h
      .user('alice')
      .rest.actions.createWorkflowDispatch({ ...REPO, workflow_id: 'pinned.yml', ref: 'main' });
    // Move main while the first job waits, before the second job checks out.
    for (let i = 0; i < 300; i++) {
      const [run] = (await h.runs({ event: 'workflow_dispatch' })).filter(
        (r) => r['path'] === '.github/workflows/pinned.yml',
      );
      const [job] = run ? await h.jobs(Number(run['id'])) : [];
      if (job?.steps.some((s) => (s as { status?: string }).status === 'in_progress')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const after = h.push('main', { 'notes/moved.txt': 'moved\n' });
    await h.idle();
    const logs = (await logsOf('pinned.yml', 'workflow_dispatch')).join('\n');
    expect(after).not.toBe(before);
    expect(logs).toContain(`checked out ${before} on main`);
    expect(logs).toContain(`the ref input got ${after}`);
  }, 120_000);
});

describe('which pushes start workflows', () => {
  it('a push with the App’s installation token does; one with a job’s GITHUB_TOKEN does not', async () => {
    const dir = `${h.tmp}/app-push`;
    git(h.tmp, 'clone', '--quiet', h.sandbox.gitRemote, dir);
    git(dir, 'commit', '--quiet', '--allow-empty', '-m', 'by the app');
    const token = h.sandbox.github.installationToken({ contents: 'write' });
    execFileSync('git', ['push', '--quiet', 'origin', 'HEAD:refs/heads/by-app'], {
      cwd: dir,
      env: { ...GIT_ENV, GITHUB_TOKEN: token },
    });
    await h
      .user('alice')
      .rest.actions.createWorkflowDispatch({ ...REPO, workflow_id: 'job-push.yml', ref: 'main' });
    await h.idle();
    expect(h.sandbox.github.world.git.branchSha('by-job')).toBeDefined();
    expect((await h.runs({ branch: 'by-app', event: 'push' })).length).toBe(1);
    expect(await h.runs({ branch: 'by-job', event: 'push' })).toEqual([]);
  }, 120_000);
});
