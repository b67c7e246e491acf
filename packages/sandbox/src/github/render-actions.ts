/**
 * Workflow runs, jobs and workflows as GitHub's REST API and webhooks show them: rendered from the
 * runner's records, below both the routes that list them and the payloads that carry them.
 */
import { type JobRecord, type RunRecord, workflowId } from '../actions/records.ts';
import type { Call } from './context.ts';
import { renderRepository, renderUser } from './render.ts';
import { isoTime, nodeId } from './wire.ts';

export function renderRun(call: Call, run: RunRecord): Record<string, unknown> {
  const { urls, world } = call;
  const url = `${urls.repoApi}/actions/runs/${run.id}`;
  const head = world.git.resolveCommit(run.headSha) ? world.git.commit(run.headSha) : undefined;
  const repository = renderRepository(call);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('WorkflowRun', run.id),
    check_suite_id: run.id,
    check_suite_node_id: nodeId('CheckSuite', run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    display_title: run.displayTitle,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url,
    html_url: `${urls.repoWeb}/actions/runs/${run.id}`,
    pull_requests: run.pullRequests.flatMap((n) => {
      // GitHub's pull-request-minimal: the pull request's two ends, each with its repository.
      const pull = world.state.pulls.find((p) => p.number === n);
      if (!pull) return [];
      const repo = { id: repository['id'], url: urls.repoApi, name: world.name };
      const end = (ref: string, sha: string) => ({ ref, sha, repo });
      return [
        {
          id: pull.id,
          number: n,
          url: `${urls.repoApi}/pulls/${n}`,
          head: end(pull.head, world.git.branchSha(pull.head) ?? run.headSha),
          base: end(pull.base, world.git.branchSha(pull.base) ?? ''),
        },
      ];
    }),
    created_at: isoTime(run.createdAt),
    updated_at: isoTime(run.updatedAt),
    run_started_at: isoTime(run.startedAt ?? run.createdAt),
    actor: renderUser(urls, run.actor),
    triggering_actor: renderUser(urls, run.actor),
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${urls.repoApi}/check-suites/${run.id}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    workflow_url: `${urls.repoApi}/actions/workflows/${run.workflowId}`,
    head_commit: head
      ? {
          id: head.sha,
          tree_id: head.tree,
          message: head.message,
          timestamp: isoTime(head.committer.date),
          author: { name: head.author.name, email: head.author.email },
          committer: { name: head.committer.name, email: head.committer.email },
        }
      : null,
    repository,
    head_repository: repository,
  };
}

export function renderJob(call: Call, job: JobRecord): Record<string, unknown> {
  const { urls } = call;
  const run = call.world.state.workflowRuns.find((r) => r.id === job.runId);
  return {
    id: job.id,
    run_id: job.runId,
    run_url: `${urls.repoApi}/actions/runs/${job.runId}`,
    run_attempt: 1,
    node_id: nodeId('CheckRun', job.id),
    head_sha: job.headSha,
    head_branch: job.headBranch,
    url: `${urls.repoApi}/actions/jobs/${job.id}`,
    html_url: `${urls.repoWeb}/actions/runs/${job.runId}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: isoTime(job.createdAt),
    started_at: isoTime(job.startedAt ?? job.createdAt),
    completed_at: job.completedAt === null ? null : isoTime(job.completedAt),
    name: job.name,
    steps: job.steps.map((s) => ({
      name: s.name,
      status: s.status,
      conclusion: s.conclusion,
      number: s.number,
      started_at: s.startedAt === null ? null : isoTime(s.startedAt),
      completed_at: s.completedAt === null ? null : isoTime(s.completedAt),
    })),
    check_run_url: `${urls.repoApi}/check-runs/${job.checkRunId ?? job.id}`,
    labels: job.labels,
    runner_id: job.startedAt === null ? null : 1,
    runner_name: job.startedAt === null ? null : 'sandbox',
    runner_group_id: job.startedAt === null ? null : 1,
    runner_group_name: job.startedAt === null ? null : 'sandbox',
    workflow_name: run?.name ?? null,
  };
}

/** A workflow as GitHub's REST API and webhooks show it. */
export function renderWorkflow(call: Call, path: string, name?: string): Record<string, unknown> {
  const file = path.split('/').pop();
  return {
    id: workflowId(path),
    node_id: nodeId('Workflow', path),
    name: name ?? file,
    path,
    state: 'active',
    created_at: isoTime(0),
    updated_at: isoTime(0),
    url: `${call.urls.repoApi}/actions/workflows/${file}`,
    html_url: `${call.urls.repoWeb}/blob/main/${path}`,
    badge_url: `${call.urls.repoWeb}/workflows/${file}/badge.svg`,
  };
}
