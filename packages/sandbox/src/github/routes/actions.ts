/**
 * Workflow runs, jobs and logs, with GitHub's routes and field names, and workflow_dispatch.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { JobRecord, RunRecord } from '../../actions/records.ts';
import { type Reply, ServiceError } from '../../core.ts';
import type { Call, GitHubWorld } from '../context.ts';
import { renderJob, renderRun, renderWorkflow } from '../render-actions.ts';
import type { Route } from '../router.ts';
import { bodyOf, isoTime, json, noContent, notFound, requiredString, validationFailed } from '../wire.ts';

const REPO = '/repos/:owner/:repo';

export const actionRoutes: Route[] = [
  {
    method: 'GET',
    path: `${REPO}/actions/runs`,
    operation: 'actions.listWorkflowRunsForRepo',
    handle: listRuns,
  },
  {
    method: 'GET',
    path: `${REPO}/actions/runs/:run_id`,
    operation: 'actions.getWorkflowRun',
    handle: (c) => json(renderRun(c, findRun(c))),
  },
  {
    method: 'GET',
    path: `${REPO}/actions/runs/:run_id/jobs`,
    operation: 'actions.listJobsForWorkflowRun',
    handle: listJobs,
  },
  {
    method: 'GET',
    path: `${REPO}/actions/jobs/:job_id`,
    operation: 'actions.getJobForWorkflowRun',
    handle: (c) => json(renderJob(c, findJob(c))),
  },
  {
    method: 'GET',
    path: `${REPO}/actions/jobs/:job_id/logs`,
    operation: 'actions.downloadJobLogsForWorkflowRun',
    handle: jobLogs,
  },
  {
    method: 'GET',
    path: `${REPO}/actions/workflows`,
    operation: 'actions.listRepoWorkflows',
    handle: listWorkflows,
  },
  {
    method: 'POST',
    path: `${REPO}/actions/workflows/:workflow_id/dispatches`,
    operation: 'actions.createWorkflowDispatch',
    handle: dispatch,
  },
];

function findRun(call: Call): RunRecord {
  const run = call.world.state.workflowRuns.find((r) => r.id === Number(call.params['run_id']));
  if (!run) throw notFound();
  return run;
}

function findJob(call: Call): JobRecord {
  const job = call.world.state.workflowJobs.find((j) => j.id === Number(call.params['job_id']));
  if (!job) throw notFound();
  return job;
}

function listRuns(call: Call) {
  const q = call.req.query;
  const filters: Array<[string, (r: RunRecord) => string | null]> = [
    ['event', (r) => r.event],
    ['head_sha', (r) => r.headSha],
    ['branch', (r) => r.headBranch],
    ['status', (r) => r.status],
    ['actor', (r) => r.actor],
  ];
  const runs = call.world.state.workflowRuns
    .filter((r) =>
      filters.every(([name, get]) => {
        const want = q.get(name);
        if (want === null) return true;
        // `status` also accepts a conclusion, as GitHub's filter does.
        if (name === 'status') return r.status === want || r.conclusion === want;
        return get(r) === want;
      }),
    )
    .sort((a, b) => b.id - a.id);
  const perPage = Math.min(100, Math.max(1, Number(q.get('per_page') ?? 30) || 30));
  const current = Math.max(1, Number(q.get('page') ?? 1) || 1);
  return json({
    total_count: runs.length,
    workflow_runs: runs.slice((current - 1) * perPage, current * perPage).map((r) => renderRun(call, r)),
  });
}

function listJobs(call: Call) {
  const run = findRun(call);
  const jobs = call.world.state.workflowJobs.filter((j) => j.runId === run.id).sort((a, b) => a.id - b.id);
  return json({ total_count: jobs.length, jobs: jobs.map((j) => renderJob(call, j)) });
}

/**
 * GitHub answers 302 with a short-lived signed link to the plain-text log
 * (https://docs.github.com/rest/actions/workflow-jobs#download-job-logs-for-a-workflow-run); the
 * sandbox's link is signed the same way (no token needed to follow it) but does not expire.
 */
function jobLogs(call: Call) {
  const job = findJob(call);
  return { status: 302, headers: { location: `${call.req.baseUrl}${jobLogPath(job.id)}` } };
}

/** Where a job's log is downloaded from: outside the API, as GitHub's blob links are. */
export const JOB_LOG_PREFIX = '/github-logs/jobs/';
const LOG_KEY = randomBytes(32);

function jobLogPath(jobId: number): string {
  return `${JOB_LOG_PREFIX}${jobId}?sig=${signature(jobId)}`;
}

function signature(jobId: number): string {
  return createHmac('sha256', LOG_KEY).update(String(jobId)).digest('hex');
}

/** The download behind the redirect: the log text for a correctly signed link, else 404. */
export function downloadJobLog(world: GitHubWorld, path: string, sig: string | null): Reply {
  const jobId = Number(path.slice(JOB_LOG_PREFIX.length));
  const job = world.state.workflowJobs.find((j) => j.id === jobId);
  const expected = Buffer.from(signature(jobId));
  const given = Buffer.from(sig ?? '');
  if (!job || given.length !== expected.length || !timingSafeEqual(given, expected))
    return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found\n' };
  const stamp = isoTime(job.startedAt ?? job.createdAt).replace('Z', '.0000000Z');
  return {
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: job.log.map((l) => `${stamp} ${l}`).join('\n') + '\n',
  };
}

function workflowFiles(call: Call): string[] {
  return call.world.git
    .tryGit(['ls-tree', '--name-only', 'refs/heads/main:.github/workflows'])
    .stdout.split('\n')
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `.github/workflows/${f}`);
}

function listWorkflows(call: Call) {
  const workflows = workflowFiles(call).map((path) => renderWorkflow(call, path));
  return json({ total_count: workflows.length, workflows });
}

function dispatch(call: Call) {
  const id = call.params['workflow_id'] ?? '';
  const path = workflowFiles(call).find((p) => p.endsWith(`/${id}`));
  if (!path) throw notFound();
  const body = bodyOf(call.req);
  const ref = requiredString(body, 'ref', 'WorkflowDispatch');
  const sha = call.world.git.resolveCommit(ref.startsWith('refs/') ? ref : `refs/heads/${ref}`);
  if (!sha)
    throw validationFailed({
      resource: 'WorkflowDispatch',
      code: 'invalid',
      field: 'ref',
      message: `No ref found for: ${ref}`,
    });
  const raw = body['inputs'] ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw validationFailed({ resource: 'WorkflowDispatch', code: 'invalid', field: 'inputs' });
  const given = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
  const inputs = dispatchInputs(call.world.git.tryGit(['show', `${sha}:${path}`]).stdout, given);
  call.world.emit({ name: 'workflow_dispatch', workflowPath: path, ref, inputs, actor: call.actor });
  return noContent();
}

/**
 * The inputs a dispatch runs with, as GitHub checks them against the workflow file at the ref: 422
 * when the file has no `workflow_dispatch` trigger, when an input is not declared or a required one
 * is missing; declared defaults fill what was not given
 * (https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event).
 */
function dispatchInputs(text: string, given: Record<string, string>): Record<string, string> {
  let on: unknown;
  try {
    on = (parseYaml(text) as { on?: unknown } | null)?.on;
  } catch {
    on = undefined;
  }
  const trigger =
    on === 'workflow_dispatch' || (Array.isArray(on) && on.includes('workflow_dispatch'))
      ? {}
      : on && typeof on === 'object' && !Array.isArray(on) && 'workflow_dispatch' in on
        ? ((on as Record<string, unknown>)['workflow_dispatch'] ?? {})
        : undefined;
  if (trigger === undefined) throw unprocessableMessage("Workflow does not have 'workflow_dispatch' trigger");
  const declared = ((trigger as { inputs?: unknown }).inputs ?? {}) as Record<
    string,
    { default?: unknown; required?: unknown } | null
  >;
  const unexpected = Object.keys(given).filter((k) => !(k in declared));
  if (unexpected.length > 0)
    throw unprocessableMessage(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    if (name in given) inputs[name] = given[name] ?? '';
    else if (spec?.default !== undefined && spec.default !== null) inputs[name] = String(spec.default);
    else if (spec?.required === true) throw unprocessableMessage(`Required input '${name}' not provided`);
  }
  return inputs;
}

function unprocessableMessage(message: string): ServiceError {
  return new ServiceError(422, 'Unprocessable', message);
}
