/**
 * Workflow runs and jobs as the sandbox's GitHub remembers them (plain data in its state), in the
 * shape GitHub's REST API names them once rendered (sandbox/github/render-actions.ts).
 */
export type RunStatus = 'queued' | 'pending' | 'waiting' | 'in_progress' | 'completed';
export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out' | 'neutral';

export interface StepRecord {
  number: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: Conclusion | null;
  startedAt: number | null;
  completedAt: number | null;
}

export interface JobRecord {
  id: number;
  runId: number;
  /** The job's key in the workflow (`deploy`). */
  key: string;
  /** Display name, matrix values substituted (`deploy ons-data-platform-app/production`). */
  name: string;
  status: RunStatus;
  conclusion: Conclusion | null;
  headSha: string;
  headBranch: string | null;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  steps: StepRecord[];
  labels: string[];
  checkRunId: number | null;
  /** The job's log, masked, one line per line. */
  log: string[];
  /** What the steps wrote to GITHUB_STEP_SUMMARY, in order. */
  summary: string;
  /** `::error` and `::warning` lines the steps printed, masked. */
  annotations: Array<{ level: 'error' | 'warning' | 'notice'; message: string; title?: string }>;
}

export interface RunRecord {
  id: number;
  runNumber: number;
  /** The workflow's `name:` (or its path). */
  name: string;
  /** `.github/workflows/deploy.yml` */
  path: string;
  workflowId: number;
  event: string;
  displayTitle: string;
  status: RunStatus;
  conclusion: Conclusion | null;
  /** The commit the run is for (a pull request's head, not its merge commit). */
  headSha: string;
  headBranch: string | null;
  /** GITHUB_SHA and GITHUB_REF: the commit and ref the workflow file was read from. */
  sha: string;
  ref: string;
  actor: string;
  pullRequests: number[];
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  concurrencyGroup: string | null;
}

/** A workflow's id, stable per path: runs' `workflow_id` and `GET /actions/workflows` agree on it. */
export function workflowId(path: string): number {
  let h = 17;
  for (const ch of path) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 10_000_000;
  return 1_000_000 + h;
}

/**
 * A job held by its environment's protection rules (required reviewers, wait timer) until they
 * pass: what `GET …/runs/{id}/pending_deployments` lists while `state` is `waiting`.
 */
export interface PendingDeploymentRecord {
  runId: number;
  jobId: number;
  environmentId: number;
  environment: string;
  /** Simulated ms the job reached the environment: the wait timer's start. */
  since: number;
  waitTimer: number;
  state: 'waiting' | 'approved' | 'rejected' | 'cancelled' | 'started';
  /** Who approved or rejected it, with their comment. */
  reviewedBy: string | null;
  comment: string | null;
}
