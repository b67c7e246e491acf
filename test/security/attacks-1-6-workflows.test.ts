/**
 * Attacks 1 and 6, on the workflow design as GitHub runs it, read from the YAML (fast, and the
 * reason each rule holds). attacks-1-6-runner.test.ts runs the same attacks through the workflows
 * on the sandbox.
 * 1. The PR supplied the workflow that judged it: change-control.yml ran on pull_request /
 *    pull_request_review (GitHub runs the PR's merge-commit copy), and any PR workflow with
 *    `statuses: write` could post `flagops/change-control: success`.
 * 6. The plan job ran the PR's own actions/plan code with AWS credentials, id-token and
 *    pull-requests: write.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkWorkflow } from '../workflows/workflow-checks.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const workflow = (name: string) => parse(readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8'));

type Step = { uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> };
const steps = (wf: { jobs: Record<string, { steps: Step[] }> }) =>
  Object.values(wf.jobs).flatMap((j) => j.steps);

describe('attack 1: the verdict comes from the default branch’s workflow and the App', () => {
  const cc = workflow('change-control.yml');
  const job = cc.jobs['change-control'];

  it('runs only on triggers whose workflow file is the default branch’s', () => {
    // pull_request and pull_request_review run the pull request's own copy of the file.
    expect(Object.keys(cc.on).sort()).toEqual(['pull_request_target', 'workflow_run']);
    expect(cc.on.workflow_run.workflows).toEqual([workflow('review-submitted.yml').name]);
  });

  it('never checks out, installs or runs the pull request’s code', () => {
    for (const step of job.steps as Step[]) {
      expect(step.run, 'no shell steps').toBeUndefined();
      if (step.uses?.startsWith('actions/checkout@')) expect(step.with?.['ref']).toBeUndefined();
    }
    expect(checkWorkflow(readFileSync(join(ROOT, '.github/workflows/change-control.yml'), 'utf8'))).toEqual(
      [],
    );
  });

  it('posts with the App’s token from an environment restricted to main, not with GITHUB_TOKEN', () => {
    expect(job.environment).toBe('change-control');
    const app = (job.steps as Step[]).find((s) => s.uses?.startsWith('actions/create-github-app-token@'));
    expect(app?.with?.['private-key']).toBe('${{ secrets.FLAGOPS_APP_PRIVATE_KEY }}');
    expect(app?.with?.['permission-statuses']).toBe('write');
    const gate = (job.steps as Step[]).find((s) => s.uses === './actions/change-control');
    expect(gate?.with?.['token']).toBe('${{ steps.app-token.outputs.token }}');
    // The job's own GITHUB_TOKEN cannot post statuses at all.
    expect(job.permissions.statuses).toBeUndefined();
  });

  it('the review relay holds nothing: no permissions, no checkout, no secrets', () => {
    const relay = workflow('review-submitted.yml');
    expect(relay.permissions).toEqual({});
    const all = JSON.stringify(relay.jobs);
    expect(all).not.toMatch(/secrets\.|uses|permissions/);
  });

  it('no pull_request workflow can post the status: none grants statuses: write', () => {
    for (const name of ['pull-request.yml', 'ci.yml', 'review-submitted.yml']) {
      const wf = workflow(name);
      const grants = [
        wf.permissions,
        ...Object.values(wf.jobs).map((j) => (j as { permissions?: unknown }).permissions),
      ];
      expect(JSON.stringify(grants), name).not.toContain('statuses');
    }
  });

  it('a workflow on pull_request_target that checks out the head is reported', () => {
    const hostile = `
on: pull_request_target
permissions: { contents: read }
jobs:
  j:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - run: npm ci && npm test
`;
    expect(checkWorkflow(hostile).map((f) => f.rule)).toEqual(['pull-request-target']);
  });
});

describe('attack 6: the plan job treats the pull request as data', () => {
  const pr = workflow('pull-request.yml');
  const job = pr.jobs.plan;

  it('checks out the base commit and runs the base’s plan action on the head read from git', () => {
    const checkout = (job.steps as Step[]).find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['ref']).toBe('${{ github.event.pull_request.base.sha }}');
    const plan = (job.steps as Step[]).find((s) => s.uses === './actions/plan');
    expect(plan?.with?.['head']).toBe('${{ github.event.pull_request.head.sha }}');
  });

  it('installs nothing and holds no credentials beyond its own token', () => {
    const all = JSON.stringify(steps(pr));
    expect(all).not.toMatch(/npm (ci|install)|setup-node|configure-aws-credentials|secrets\./);
    expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', deployments: 'read' });
    expect(JSON.stringify(pr.permissions)).not.toContain('id-token');
  });

  it('the head is fetched as objects only, its values passed through env', () => {
    const fetch = (job.steps as Step[]).find((s) => s.run?.includes('git'));
    expect(fetch?.run).toContain('fetch --no-tags');
    expect(fetch?.run).not.toMatch(/checkout|\$\{\{/);
    expect(fetch?.env?.['HEAD_SHA']).toBe('${{ github.event.pull_request.head.sha }}');
  });
});

describe('attack 6, the backtest: AWS access only in a default-branch workflow that reads the head as data', () => {
  const bt = workflow('backtest.yml');
  const job = bt.jobs.backtest;
  const roles = JSON.parse(readFileSync(join(ROOT, 'aws', 'iam-roles.json'), 'utf8')) as {
    roles: Array<{
      Variable: string;
      Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: string[] }> } }>;
    }>;
  };

  it('runs on workflow_run after "pull request" only, and only for pull-request.yml’s own runs on a pull request', () => {
    // workflow_run runs the default branch's copy of this file, never the pull request's.
    expect(Object.keys(bt.on)).toEqual(['workflow_run']);
    expect(bt.on.workflow_run.workflows).toEqual([workflow('pull-request.yml').name]);
    // `workflows:` matches by name: a branch's same-named workflow must not start the job.
    expect(job.if).toContain("github.event.workflow_run.path == '.github/workflows/pull-request.yml'");
    expect(job.if).toContain("github.event.workflow_run.event == 'pull_request'");
  });

  it('checks out the default branch, runs no shell, and lets the plan action fetch the head as objects', () => {
    for (const step of job.steps as Step[]) {
      expect(step.run, 'no shell steps').toBeUndefined();
      if (step.uses?.startsWith('actions/checkout@')) expect(step.with?.['ref']).toBeUndefined();
    }
    const plan = (job.steps as Step[]).find((s) => s.uses === './actions/plan');
    expect(plan?.with).toMatchObject({
      'fetch-head': true,
      head: '${{ github.event.workflow_run.head_sha }}',
      'only-guard-changes': true,
    });
    expect(JSON.stringify(steps(bt))).not.toMatch(/npm (ci|install)|setup-node|secrets\./);
    expect(checkWorkflow(readFileSync(join(ROOT, '.github/workflows/backtest.yml'), 'utf8'))).toEqual([]);
  });

  it('assumes the read-only role, whose policy allows no write', () => {
    const aws = (job.steps as Step[]).find((s) =>
      s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );
    expect(aws?.with?.['role-to-assume']).toBe('${{ vars.FLAGOPS_READ_ROLE_ARN }}');
    const read = roles.roles.find((r) => r.Variable === 'FLAGOPS_READ_ROLE_ARN')!;
    const actions = read.Policies.flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => s.Action));
    for (const action of actions) expect(action).toMatch(/:(List|Get|Describe|StartConfigurationSession)/);
    expect(job.permissions).toEqual({
      contents: 'read',
      'pull-requests': 'write',
      deployments: 'read',
      'id-token': 'write',
    });
  });
});
