/**
 * Environment protection rules hold a job before it starts, as GitHub documents
 * (https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/reviewing-deployments,
 * https://docs.github.com/en/actions/reference/workflows-and-actions/deployments-and-environments#deployment-protection-rules):
 *
 * - A job that references an environment with required reviewers waits, with the status
 *   `waiting`, until one reviewer approves; `GET …/runs/{id}/pending_deployments` lists what waits
 *   and `POST` to it approves or rejects by environment id
 *   (https://docs.github.com/en/rest/actions/workflow-runs#review-pending-deployments-for-a-workflow-run).
 * - "If a job is rejected, the workflow will fail." Only a required reviewer may review, and with
 *   prevent_self_review not the person who started the run.
 * - A wait timer delays the job N minutes after it is triggered (here on the simulated clock).
 * - The answers are the shapes GitHub's REST description documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubDescription } from '../helpers/github-openapi.ts';
import { type Harness, REPO, startHarness } from './runner-harness.ts';

const gated = (environment: string) => `name: ${environment}
on: workflow_dispatch
jobs:
  deploy:
    runs-on: ubuntu-24.04
    environment: ${environment}
    steps:
      - run: echo "deployed to $(echo ${environment})"
`;

const PENDING = '/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments';

let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    {
      'README.md': '# x\n',
      '.github/workflows/production.yml': gated('production'),
      '.github/workflows/development.yml': gated('development'),
    },
    { speed: 60 },
  );
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function dispatch(as: string, workflow: string): Promise<number> {
  const before = new Set((await h.runs()).map((r) => r['id']));
  await h.user(as).rest.actions.createWorkflowDispatch({ ...REPO, workflow_id: workflow, ref: 'main' });
  for (let i = 0; i < 300; i++) {
    const run = (await h.runs()).find((r) => !before.has(r['id']));
    if (run) return Number(run['id']);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no run started');
}

async function untilStatus(runId: number, status: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { data } = await h.user('alice').rest.actions.getWorkflowRun({ ...REPO, run_id: runId });
    if (data.status === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} never became ${status}`);
}

async function onlyJob(runId: number) {
  const [job] = await h.jobs(runId);
  if (!job) throw new Error('no job');
  return {
    status: String(job['status']),
    conclusion: job.conclusion,
    startedAt: String(job['started_at']),
    log: await h.log(Number(job['id'])),
  };
}

/** The documented shape of a pending_deployments answer; [] when it matches. */
function shapeProblems(method: string, status: number, data: unknown): string[] {
  return githubDescription().check(method, PENDING, status, data).errors ?? [];
}

describe('required reviewers', () => {
  let bobId: number;
  let teamId: number;

  beforeAll(async () => {
    const admin = h.user('olivia');
    const { data: people } = await admin.rest.repos.listCollaborators({ ...REPO });
    bobId = people.find((p) => p.login === 'bob')?.id ?? 0;
    const { data: teams } = await admin.rest.repos.listTeams({ ...REPO });
    teamId = teams.find((t) => t.slug === 'platform-leads')?.id ?? 0;
    const { data: env } = await admin.rest.repos.createOrUpdateEnvironment({
      ...REPO,
      environment_name: 'production',
      reviewers: [{ type: 'User', id: bobId }],
    });
    expect(env.protection_rules?.map((r) => r.type)).toEqual(['required_reviewers', 'branch_policy']);
  });

  it('holds the job as waiting until a reviewer approves; others cannot', async () => {
    const runId = await dispatch('alice', 'production.yml');
    await untilStatus(runId, 'waiting');
    expect((await onlyJob(runId)).status).toBe('waiting');

    const seen = await h.user('alice').request(`GET ${PENDING}`, { ...REPO, run_id: runId });
    expect(shapeProblems('get', seen.status, seen.data)).toEqual([]);
    const [pending] = seen.data as Array<{
      environment: { id: number; name: string };
      current_user_can_approve: boolean;
      reviewers: Array<{ type: string; reviewer: { login?: string } }>;
    }>;
    expect(pending?.environment.name).toBe('production');
    expect(pending?.current_user_can_approve).toBe(false);
    expect(pending?.reviewers.map((r) => r.reviewer.login)).toEqual(['bob']);

    const body = {
      environment_ids: [pending?.environment.id ?? 0],
      state: 'approved' as const,
      comment: 'ok',
    };
    await expect(
      h.user('alice').rest.actions.reviewPendingDeploymentsForRun({ ...REPO, run_id: runId, ...body }),
    ).rejects.toMatchObject({ status: 422 });
    // Still waiting: a refused review changes nothing.
    expect((await onlyJob(runId)).status).toBe('waiting');

    const approved = await h.user('BOB').request(`POST ${PENDING}`, { ...REPO, run_id: runId, ...body });
    expect(shapeProblems('post', approved.status, approved.data)).toEqual([]);
    await h.idle();
    const job = await onlyJob(runId);
    expect(job.conclusion).toBe('success');
    expect(job.log).toContain('deployed to production');
    const after = await h.user('alice').rest.actions.getPendingDeploymentsForRun({ ...REPO, run_id: runId });
    expect(after.data).toEqual([]);
  }, 120_000);

  it('a rejection fails the job and the run; with prevent_self_review the run’s actor cannot review', async () => {
    await h.user('olivia').rest.repos.createOrUpdateEnvironment({
      ...REPO,
      environment_name: 'production',
      reviewers: [{ type: 'Team', id: teamId }],
      prevent_self_review: true,
    });
    const runId = await dispatch('bob', 'production.yml');
    await untilStatus(runId, 'waiting');
    const { data: pending } = await h
      .user('bob')
      .rest.actions.getPendingDeploymentsForRun({ ...REPO, run_id: runId });
    expect(pending.map((p) => p.current_user_can_approve)).toEqual([false]);
    const body = {
      environment_ids: pending.map((p) => p.environment.id ?? 0),
      state: 'rejected' as const,
      comment: 'not now',
    };
    await expect(
      h.user('bob').rest.actions.reviewPendingDeploymentsForRun({ ...REPO, run_id: runId, ...body }),
    ).rejects.toMatchObject({ status: 422 });
    await h.user('carol').rest.actions.reviewPendingDeploymentsForRun({ ...REPO, run_id: runId, ...body });
    await h.idle();
    const job = await onlyJob(runId);
    expect(job.conclusion).toBe('failure');
    expect(job.log).not.toContain('deployed to production');
    expect(job.log).toContain('rejected by carol');
    const { data: run } = await h.user('alice').rest.actions.getWorkflowRun({ ...REPO, run_id: runId });
    expect(run.conclusion).toBe('failure');
  }, 120_000);
});

describe('wait timer', () => {
  it('starts the job no sooner than the timer’s minutes after it was triggered', async () => {
    const { data: env } = await h.user('olivia').rest.repos.createOrUpdateEnvironment({
      ...REPO,
      environment_name: 'development',
      wait_timer: 3,
    });
    expect(env.protection_rules?.find((r) => r.type === 'wait_timer')).toMatchObject({ wait_timer: 3 });
    const runId = await dispatch('alice', 'development.yml');
    await untilStatus(runId, 'waiting');
    const { data: pending } = await h
      .user('alice')
      .rest.actions.getPendingDeploymentsForRun({ ...REPO, run_id: runId });
    expect(pending.map((p) => [p.environment.name, p.wait_timer, p.reviewers])).toEqual([
      ['development', 3, []],
    ]);
    await h.idle();
    const job = await onlyJob(runId);
    expect(job.conclusion).toBe('success');
    const { data: run } = await h.user('alice').rest.actions.getWorkflowRun({ ...REPO, run_id: runId });
    const waited = Date.parse(job.startedAt) - Date.parse(run.created_at);
    expect(waited).toBeGreaterThanOrEqual(3 * 60_000);
  }, 120_000);

  it('refuses a timer over 43,200 minutes', async () => {
    await expect(
      h.user('olivia').rest.repos.createOrUpdateEnvironment({
        ...REPO,
        environment_name: 'development',
        wait_timer: 50_000,
      }),
    ).rejects.toMatchObject({ status: 422 });
  });
});
