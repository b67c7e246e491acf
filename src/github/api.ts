/**
 * Small interfaces over the GitHub REST calls flagops makes, so the pipeline, the actions and the
 * CLI take exactly what they use and tests inject an emulator-backed implementation. Every list is
 * paginated to the end.
 */
import type { Permission, ReviewRecord, ReviewState } from '../approvals/count.ts';
import { fitBody, fitDescription } from './limits.ts';
import type { Octokit } from './octokit.ts';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface PullRequest {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged: boolean;
  author: string;
  headSha: string;
  headRef: string;
  /** `owner/repo` the head branch lives in (another one for a fork); empty when GitHub omits it. */
  headRepository: string;
  baseRef: string;
  labels: string[];
  url: string;
  /** GitHub's own count of changed files (the files list stops at 3,000). */
  changedFiles?: number;
}

export interface NewPullRequest {
  head: string;
  base: string;
  title: string;
  body: string;
}

export interface PullsApi {
  get(number: number): Promise<PullRequest>;
  /** Paths changed by the pull request (renames report both sides). */
  listFiles(number: number): Promise<string[]>;
  /** Oldest first. */
  listReviews(number: number): Promise<ReviewRecord[]>;
  /** The open pull request from `head` (a branch of this repository), if any. */
  findOpenByHead(head: string): Promise<PullRequest | undefined>;
  /** Every open pull request (holds look for open revert pull requests). */
  listOpen(): Promise<PullRequest[]>;
  create(input: NewPullRequest): Promise<PullRequest>;
  update(number: number, change: { title?: string; body?: string }): Promise<PullRequest>;
  requestReviewers(number: number, logins: readonly string[]): Promise<void>;
}

export interface IssueComment {
  id: number;
  author: string;
  body: string;
}

export interface CommentsApi {
  /** Every comment on the issue or pull request, oldest first. */
  list(issue: number): Promise<IssueComment[]>;
  create(issue: number, body: string): Promise<IssueComment>;
  update(id: number, body: string): Promise<IssueComment>;
}

export type CommitState = 'success' | 'failure' | 'pending' | 'error';

export interface CommitStatus {
  state: CommitState;
  context: string;
  description: string;
  targetUrl?: string;
}

export interface StatusesApi {
  create(sha: string, status: CommitStatus): Promise<void>;
  /** The statuses of one context on a commit, newest first (`GET /repos/{o}/{r}/commits/{ref}/statuses`). */
  list(sha: string, context: string): Promise<CommitStatus[]>;
}

export interface LabelsApi {
  add(issue: number, labels: readonly string[]): Promise<void>;
}

/** Who may do what in the repository: what change control asks before counting a review. */
export interface AccessApi {
  /** `permission` of `GET /repos/{owner}/{repo}/collaborators/{user}/permission`; `none` when not a collaborator. */
  permission(login: string): Promise<Permission>;
  /** Logins of a team's members (`GET /orgs/{org}/teams/{team_slug}/members`). */
  teamMembers(org: string, team: string): Promise<string[]>;
  /** A file's bytes at a ref, or undefined when it does not exist there (or is not a file). */
  fileAt(path: string, ref: string): Promise<Buffer | undefined>;
}

export interface GitHubApi {
  repo: RepoRef;
  pulls: PullsApi;
  comments: CommentsApi;
  statuses: StatusesApi;
  labels: LabelsApi;
  access: AccessApi;
}

export function parseRepository(value: string | undefined): RepoRef | undefined {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(value ?? '');
  return match ? { owner: match[1]!, repo: match[2]! } : undefined;
}

interface RawUser {
  login: string;
  type?: string;
}

type RawPull = Awaited<ReturnType<Octokit['rest']['pulls']['get']>>['data'];

function toPullRequest(p: RawPull): PullRequest {
  return {
    number: p.number,
    title: p.title,
    body: p.body ?? '',
    state: p.state === 'open' ? 'open' : 'closed',
    merged: p.merged ?? p.merged_at != null,
    author: p.user?.login ?? '',
    headSha: p.head.sha,
    headRef: p.head.ref,
    headRepository: p.head.repo?.full_name ?? '',
    baseRef: p.base.ref,
    labels: p.labels.map((l) => l.name ?? '').filter((n) => n !== ''),
    url: p.html_url,
    ...(typeof p.changed_files === 'number' ? { changedFiles: p.changed_files } : {}),
  };
}

function isBot(user: RawUser | null | undefined): boolean {
  return user?.type === 'Bot' || (user?.login ?? '').endsWith('[bot]');
}

export function createGitHubApi(octokit: Octokit, repo: RepoRef): GitHubApi {
  const base = { owner: repo.owner, repo: repo.repo };

  const pulls: PullsApi = {
    async get(number) {
      const { data } = await octokit.rest.pulls.get({ ...base, pull_number: number });
      return toPullRequest(data);
    },
    async listFiles(number) {
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
        ...base,
        pull_number: number,
        per_page: 100,
      });
      return files.flatMap((f) => (f.previous_filename ? [f.previous_filename, f.filename] : [f.filename]));
    },
    async listReviews(number) {
      const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
        ...base,
        pull_number: number,
        per_page: 100,
      });
      return reviews.map((r) => ({
        user: r.user?.login ?? '',
        isBot: isBot(r.user),
        state: r.state as ReviewState,
        commitId: r.commit_id ?? '',
        ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}),
      }));
    },
    async findOpenByHead(head) {
      const open = await octokit.paginate(octokit.rest.pulls.list, {
        ...base,
        state: 'open',
        head: `${repo.owner}:${head}`,
        per_page: 100,
      });
      // Filter again: a server that ignores `head` must not make us update someone else's PR.
      const match = open.find((p) => p.head.ref === head);
      return match ? toPullRequest(match as RawPull) : undefined;
    },
    async listOpen() {
      const open = await octokit.paginate(octokit.rest.pulls.list, { ...base, state: 'open', per_page: 100 });
      return open.map((p) => toPullRequest(p as RawPull));
    },
    async create(input) {
      const { data } = await octokit.rest.pulls.create({ ...base, ...input, body: fitBody(input.body) });
      return toPullRequest(data);
    },
    async update(number, change) {
      const { data } = await octokit.rest.pulls.update({
        ...base,
        pull_number: number,
        ...change,
        ...(change.body !== undefined ? { body: fitBody(change.body) } : {}),
      });
      return toPullRequest(data);
    },
    async requestReviewers(number, logins) {
      if (logins.length === 0) return;
      await octokit.rest.pulls.requestReviewers({ ...base, pull_number: number, reviewers: [...logins] });
    },
  };

  const comments: CommentsApi = {
    async list(issue) {
      const all = await octokit.paginate(octokit.rest.issues.listComments, {
        ...base,
        issue_number: issue,
        per_page: 100,
      });
      return all.map((c) => ({ id: c.id, author: c.user?.login ?? '', body: c.body ?? '' }));
    },
    async create(issue, body) {
      const { data } = await octokit.rest.issues.createComment({
        ...base,
        issue_number: issue,
        body: fitBody(body),
      });
      return { id: data.id, author: data.user?.login ?? '', body: data.body ?? '' };
    },
    async update(id, body) {
      const { data } = await octokit.rest.issues.updateComment({
        ...base,
        comment_id: id,
        body: fitBody(body),
      });
      return { id: data.id, author: data.user?.login ?? '', body: data.body ?? '' };
    },
  };

  const statuses: StatusesApi = {
    async create(sha, status) {
      await octokit.rest.repos.createCommitStatus({
        ...base,
        sha,
        state: status.state,
        context: status.context,
        description: fitDescription(status.description),
        ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
      });
    },
    async list(sha, context) {
      // One page is enough: the newest come first, and only the newest is asked about.
      const { data } = await octokit.rest.repos.listCommitStatusesForRef({
        ...base,
        ref: sha,
        per_page: 100,
      });
      return data
        .filter((s) => s.context === context)
        .map((s) => ({
          state: s.state as CommitState,
          context: s.context,
          description: s.description ?? '',
          ...(s.target_url ? { targetUrl: s.target_url } : {}),
        }));
    },
  };

  const labels: LabelsApi = {
    async add(issue, names) {
      if (names.length === 0) return;
      await octokit.rest.issues.addLabels({ ...base, issue_number: issue, labels: [...names] });
    },
  };

  const access: AccessApi = {
    async permission(login) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
          ...base,
          username: login,
        });
        const p = data.permission;
        return p === 'admin' || p === 'write' || p === 'read' ? p : 'none';
      } catch (error) {
        // 404: not a collaborator (or no such user): no access. Anything else is not an answer.
        if ((error as { status?: number }).status === 404) return 'none';
        throw error;
      }
    },
    async teamMembers(org, team) {
      const members = await octokit.paginate(octokit.rest.teams.listMembersInOrg, {
        org,
        team_slug: team,
        per_page: 100,
      });
      return members.map((m) => m.login);
    },
    async fileAt(path, ref) {
      try {
        const { data } = await octokit.rest.repos.getContent({ ...base, path, ref });
        if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
        return Buffer.from(data.content, 'base64');
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    },
  };

  return { repo, pulls, comments, statuses, labels, access };
}
