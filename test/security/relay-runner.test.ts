/**
 * change-control.yml's own findings (issue 24), through the workflows as the sandbox runs them:
 * - `workflow_run: workflows: [review submitted]` matches by name, so a branch that adds a workflow
 *   named "review submitted" (run by a push) starts change control too; the job runs only for the
 *   real relay, review-submitted.yml run for a review.
 * - a run after a push (pull_request_target) and a recount after a review (workflow_run) for one
 *   pull request share one concurrency group, so they never run at once.
 *
 * GitHub: "workflow_run … workflows: the name of the workflow" (docs.github.com, "Events that
 * trigger workflows", workflow_run) and "Using concurrency" (a group holds at most one running and
 * one pending run).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { git } from '../helpers/git.ts';

const REPO = { owner: 'ons', repo: 'flags' };
const DEVELOPMENT = 'flags/ons-data-platform-app/development/feature-flags.yaml';

const IMPOSTOR = `name: review submitted
on: push
permissions: {}
jobs:
  relay:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "not a review"
`;

let tmp: string;
let sandbox: Sandbox;
const user = (login: string) =>
  getOctokit(`sandbox-user-${login}`, { baseUrl: sandbox.env['GITHUB_API_URL']! });

async function idle(): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/workflows/idle?timeout_ms=240000`);
  expect(((await res.json()) as { idle: boolean }).idle).toBe(true);
}

function push(branch: string, files: Record<string, string>): string {
  const clone = join(tmp, `clone-${branch}`);
  git(tmp, 'clone', '--quiet', sandbox.gitRemote, clone);
  git(clone, 'checkout', '--quiet', '-b', branch);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(clone, path), text);
  git(clone, 'add', '--all');
  git(clone, 'commit', '--quiet', '-m', `Change ${Object.keys(files).join(', ')}`);
  git(clone, 'push', '--quiet', 'origin', branch);
  return git(clone, 'rev-parse', 'HEAD');
}

/** change-control.yml's runs with their event, concurrency group and the job's conclusion. */
async function changeControlRuns() {
  const { data } = await user('alice').rest.actions.listWorkflowRunsForRepo({ ...REPO, per_page: 100 });
  const runs = data.workflow_runs.filter((r) => r.path === '.github/workflows/change-control.yml');
  return Promise.all(
    runs.map(async (r) => {
      const { data: jobs } = await user('alice').rest.actions.listJobsForWorkflowRun({
        ...REPO,
        run_id: r.id,
      });
      const record = sandbox.github.world.state.workflowRuns.find((w) => w.id === r.id);
      return { id: r.id, event: r.event, group: record?.concurrencyGroup, job: jobs.jobs[0]?.conclusion };
    }),
  );
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-relay-'));
  sandbox = await startSandbox({ workDir: join(tmp, 'work'), speed: 1, workflows: true, protectMain: false });
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('change control is started only by the real relay, one group per pull request', () => {
  it('a same-named workflow on a branch starts change control, whose job does not run', async () => {
    const text = readFileSync(join(PROJECT_ROOT, DEVELOPMENT), 'utf8');
    push('feature', { [DEVELOPMENT]: `${text}# a change\n` });
    const pr = (
      await user('alice').rest.pulls.create({ ...REPO, title: 'change', head: 'feature', base: 'main' })
    ).data.number;
    await idle();
    const before = await changeControlRuns();
    expect(before.filter((r) => r.event === 'workflow_run')).toEqual([]);

    push('impostor', { '.github/workflows/impostor.yml': IMPOSTOR });
    await idle();
    const impostorRuns = (await changeControlRuns()).filter((r) => r.event === 'workflow_run');
    // GitHub starts change control for it (the name matches) …
    expect(impostorRuns.length).toBeGreaterThan(0);
    // … and the job's condition (the relay's path and event) keeps it from judging anything.
    for (const r of impostorRuns) expect(r.job).toBe('skipped');

    // The real relay, for a review, is counted: its recount runs, in the pull request's group.
    await user('bob').rest.pulls.createReview({ ...REPO, pull_number: pr, event: 'APPROVE' });
    await idle();
    const after = await changeControlRuns();
    const recount = after.find((r) => r.event === 'workflow_run' && !impostorRuns.some((i) => i.id === r.id));
    expect(recount?.job).toBe('success');
    const onPush = after.find((r) => r.event === 'pull_request_target');
    expect(onPush?.job).toBe('success');
    expect(recount?.group).toBe('change-control-ons/flags:feature');
    expect(onPush?.group).toBe(recount?.group);
  }, 600_000);
});
