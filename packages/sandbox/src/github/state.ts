import type { JobRecord, PendingDeploymentRecord, RunRecord } from '../actions/records.ts';
import type { AppIdentity, TokenRecord } from './identity.ts';
import type { RepoSettings } from './settings.ts';

/**
 * Everything the emulated GitHub remembers besides git itself (refs and commits live in the bare
 * repository). Plain data, so `dump()`/`load()` are JSON round trips.
 */

export interface PullRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  /** Branch names in this repository; `owner:branch` for a fork's branch (forks.ts). */
  head: string;
  base: string;
  user: string;
  state: 'open' | 'closed';
  draft: boolean;
  maintainerCanModify: boolean;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  mergedAt: number | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  /** Head commit when last seen (kept so a merged PR still names it after its branch is deleted). */
  headSha: string;
  requestedReviewers: string[];
  labels: string[];
  /** Who pushed the head last (require_last_push_approval); absent: the author's own push. */
  lastPushedBy?: string;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

/** An issue that is not a pull request (pull requests are issues too, but live in `pulls`). */
export interface IssueRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  user: string;
  state: 'open' | 'closed';
  labels: string[];
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
}

export interface ReviewRecord {
  id: number;
  pull: number;
  user: string;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt: number | null;
}

export interface CommentRecord {
  id: number;
  issue: number;
  user: string;
  body: string;
  createdAt: number;
  updatedAt: number;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface StatusRecord {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  /** The app whose token posted it (installation or workflow token); absent for people. */
  appId?: number;
  createdAt: number;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  payload: unknown;
  creator: string;
  createdAt: number;
  updatedAt: number;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
}

export type DeploymentState =
  | 'error'
  | 'failure'
  | 'inactive'
  | 'in_progress'
  | 'queued'
  | 'pending'
  | 'success';

export interface DeploymentStatusRecord {
  id: number;
  deployment: number;
  state: DeploymentState;
  description: string;
  environment: string;
  environmentUrl: string;
  logUrl: string;
  creator: string;
  createdAt: number;
}

export interface CheckRunRecord {
  id: number;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion:
    | 'success'
    | 'failure'
    | 'neutral'
    | 'cancelled'
    | 'skipped'
    | 'timed_out'
    | 'action_required'
    | null;
  startedAt: number;
  completedAt: number | null;
  app: AppIdentity;
  title: string | null;
  summary: string | null;
  text: string | null;
  detailsUrl: string | null;
  externalId: string | null;
}

export interface GitHubState {
  /** Next id for any object (ids are unique across kinds, like GitHub's are large and distinct). */
  nextId: number;
  /** Next issue/pull request number. */
  nextNumber: number;
  pulls: PullRecord[];
  issues: IssueRecord[];
  reviews: ReviewRecord[];
  comments: CommentRecord[];
  labels: LabelRecord[];
  statuses: StatusRecord[];
  deployments: DeploymentRecord[];
  deploymentStatuses: DeploymentStatusRecord[];
  checkRuns: CheckRunRecord[];
  settings: RepoSettings;
  tokens: TokenRecord[];
  workflowRuns: RunRecord[];
  workflowJobs: JobRecord[];
  /** Jobs held by environment protection rules, and how each hold ended. */
  pendingDeployments: PendingDeploymentRecord[];
  /** Forks of the repository, one per account (forks.ts). */
  forks: ForkRecord[];
}

/** A fork: its owner's login and its bare repository, which its owner pushes to. */
export interface ForkRecord {
  owner: string;
  path: string;
}

export function emptyState(settings: RepoSettings): GitHubState {
  return {
    nextId: 1001,
    nextNumber: 1,
    pulls: [],
    issues: [],
    reviews: [],
    comments: [],
    labels: [],
    statuses: [],
    deployments: [],
    deploymentStatuses: [],
    checkRuns: [],
    settings,
    tokens: [],
    workflowRuns: [],
    workflowJobs: [],
    pendingDeployments: [],
    forks: [],
  };
}

/** Accept a dump from this version; anything missing falls back to empty, so old files still load. */
export function restoreState(data: unknown, settings: RepoSettings): GitHubState {
  // A private copy: the caller's object must not change as the sandbox goes on.
  const saved = structuredClone(data ?? {}) as Partial<GitHubState>;
  return { ...emptyState(settings), ...saved };
}
