/**
 * What an event raised by the sandbox's GitHub means for a run: the webhook payload (the shape of
 * GitHub's webhooks, rendered from the same records as the REST API) and the commit and ref the
 * workflow file is read from, per GitHub's table of events
 * (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows):
 * pull_request and pull_request_review from the pull request's merge commit (refs/pull/N/merge),
 * pull_request_target and workflow_run from the default branch's latest commit, push from the pushed
 * commit, workflow_dispatch from the ref asked for, schedule from the default branch.
 */
import { type Call, type GitHubWorld, urlsFor } from '../github/context.ts';
import type { RaisedEvent } from '../github/events.ts';
import { forkHead, headBranch } from '../github/forks.ts';
import { SANDBOX_IDENTITY } from '../github/git.ts';
import type { Caller } from '../github/identity.ts';
import {
  headSha,
  renderCommit,
  renderPull,
  renderRepository,
  renderReview,
  renderUser,
} from '../github/render.ts';
import { renderRun, renderWorkflow } from '../github/render-actions.ts';
import type { Json } from './expressions.ts';
import type { TriggerEvent } from './workflows.ts';

export interface BuiltEvent {
  payload: Record<string, unknown>;
  /** Where the workflow files are read from: GITHUB_SHA / GITHUB_REF. */
  sha: string;
  ref: string;
  /** The run's head commit and branch (a pull request's head, not its merge commit). */
  headSha: string;
  headBranch: string | null;
  headRef?: string;
  baseRef?: string;
  pullNumber?: number;
  /**
   * A fork pull request's own workflows (`pull_request`, `pull_request_review`): GitHub gives them
   * a read-only GITHUB_TOKEN and no secrets (runner.ts). `pull_request_target` runs as the base.
   */
  fromFork?: boolean;
  title: string;
  inputs: Record<string, Json>;
  trigger: TriggerEvent;
}

const ZERO = '0000000000000000000000000000000000000000';

function callFor(world: GitHubWorld, baseUrl: string, actor: Caller): Call {
  const req = {
    method: 'GET',
    path: '/',
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    baseUrl,
  };
  return { world, req, params: {}, actor, urls: urlsFor(req, world) };
}

/** The merge commit GitHub tests a pull request with, kept at refs/pull/N/merge; undefined on conflict. */
function testMerge(world: GitHubWorld, number: number, head: string, base: string): string | undefined {
  world.git.updateRef(`refs/pull/${number}/head`, head);
  const merged = world.git.mergeTree(base, head);
  if (!merged.clean) return undefined;
  const now = world.now();
  const sha = world.git.commitTree({
    tree: merged.tree,
    parents: [base, head],
    message: `Merge ${head} into ${base}\n`,
    author: { ...SANDBOX_IDENTITY, date: now },
    committer: { ...SANDBOX_IDENTITY, date: now },
  });
  world.git.updateRef(`refs/pull/${number}/merge`, sha);
  return sha;
}

/** `defaultSha`: the default branch's commit the event is about (schedule: the minute it fired). */
export function buildPayload(
  world: GitHubWorld,
  baseUrl: string,
  event: RaisedEvent,
  defaultSha?: string,
): BuiltEvent | undefined {
  const call = callFor(world, baseUrl, event.actor);
  // Webhooks show a repository's custom properties (none here) and the owning organisation.
  const repository = { ...renderRepository(call), custom_properties: {} };
  const sender = renderUser(call.urls, event.actor.login);
  const base = { repository, sender, organization: webhookOrganization(call, world.owner) };
  const defaultTip = defaultSha ?? world.git.branchSha('main') ?? '';

  if (
    event.name === 'pull_request' ||
    event.name === 'pull_request_target' ||
    event.name === 'pull_request_review'
  ) {
    const pull = world.state.pulls.find((p) => p.number === event.pull);
    if (!pull) return undefined;
    const head = headSha(call, pull);
    const baseSha = pull.mergeCommitSha
      ? (world.git.commit(pull.mergeCommitSha).parents[0] ?? '')
      : (world.git.branchSha(pull.base) ?? '');
    const rendered = renderPull(call, pull) as Record<string, Record<string, unknown>>;
    for (const end of ['head', 'base'])
      if (rendered[end]?.['repo'])
        rendered[end]['repo'] = { ...rendered[end]['repo'], custom_properties: {} };
    const payload: Record<string, unknown> = {
      action: event.action,
      number: pull.number,
      pull_request: rendered,
      ...(event.name !== 'pull_request_review' && event.changes ? { changes: event.changes } : {}),
      ...base,
    };
    if (event.name === 'pull_request_review') {
      const review = world.state.reviews.find((r) => r.id === event.review);
      if (review) payload['review'] = renderReview(call.urls, review);
      delete payload['number'];
    }
    if ('label' in event && event.label) payload['label'] = { name: event.label };
    const changedFiles = () => {
      const mb = world.git.mergeBase(baseSha, head);
      return mb ? world.git.diff(mb, head).map((f) => f.filename) : [];
    };
    const common = {
      headSha: head,
      headBranch: headBranch(pull.head),
      headRef: headBranch(pull.head),
      baseRef: pull.base,
      pullNumber: pull.number,
      title: pull.title,
      inputs: {},
      payload,
    };
    // GitHub (since 2025-12-08): pull_request_target runs the default branch's latest workflow,
    // whatever the base, with GITHUB_REF/GITHUB_SHA the default branch and its latest commit
    // (https://github.blog/changelog/2025-11-07-actions-pull_request_target-and-environment-branch-protections-changes).
    if (event.name === 'pull_request_target')
      return {
        ...common,
        fromFork: false,
        sha: defaultTip,
        ref: 'refs/heads/main',
        trigger: { name: event.name, action: event.action, branch: pull.base, changedFiles },
      };
    // A closed pull request's "merge commit" is the merge itself (or the last head when unmerged).
    const sha =
      pull.state === 'closed' ? (pull.mergeCommitSha ?? head) : testMerge(world, pull.number, head, baseSha);
    if (!sha) return undefined;
    return {
      ...common,
      fromFork: forkHead(pull.head) !== undefined,
      sha,
      ref: `refs/pull/${pull.number}/merge`,
      trigger: { name: event.name, action: event.action, branch: pull.base, changedFiles },
    };
  }

  if (event.name === 'push') {
    if (event.after === ZERO) return undefined;
    const range =
      event.before === ZERO ? [event.after, '--max-count=20'] : [`${event.before}..${event.after}`];
    const commits = world.git.commits(['--reverse', ...range]).map((c) => {
      const r = renderCommit(call.urls, c) as {
        commit: { message: string; author: unknown; committer: unknown };
      };
      return {
        id: c.sha,
        tree_id: c.tree,
        distinct: true,
        message: c.message,
        timestamp: new Date(c.committer.date).toISOString(),
        url: `${call.urls.repoWeb}/commit/${c.sha}`,
        // Push payloads name a commit's people with their login as `username`.
        author: { ...(r.commit.author as object), username: c.author.name },
        committer: { ...(r.commit.committer as object), username: c.committer.name },
        added: [],
        removed: [],
        modified: [],
      };
    });
    const branch = event.ref.replace(/^refs\/heads\//, '');
    const changedFiles = () =>
      (event.before === ZERO
        ? world.git.diff(`${event.after}^`, event.after)
        : world.git.diff(event.before, event.after)
      ).map((f) => f.filename);
    const head = world.git.commit(event.after);
    return {
      payload: {
        ref: event.ref,
        before: event.before,
        after: event.after,
        created: event.before === ZERO,
        deleted: false,
        forced: false,
        base_ref: null,
        compare: `${call.urls.repoWeb}/compare/${event.before.slice(0, 12)}...${event.after.slice(0, 12)}`,
        commits,
        head_commit: commits.at(-1) ?? null,
        pusher: { name: event.actor.login, email: `${event.actor.login}@users.noreply.flagops.invalid` },
        ...base,
        repository: pushRepository(repository),
      },
      sha: event.after,
      ref: event.ref,
      headSha: event.after,
      headBranch: branch,
      title: head.message.split('\n')[0] ?? '',
      inputs: {},
      trigger: { name: 'push', branch, changedFiles },
    };
  }

  if (event.name === 'workflow_dispatch') {
    const ref = event.ref.startsWith('refs/') ? event.ref : `refs/heads/${event.ref}`;
    const sha = world.git.resolveCommit(ref);
    if (!sha) return undefined;
    return {
      payload: { inputs: event.inputs, ref, workflow: event.workflowPath, ...base },
      sha,
      ref,
      headSha: sha,
      headBranch: ref.replace(/^refs\/heads\//, ''),
      title: event.workflowPath.split('/').pop() ?? event.workflowPath,
      inputs: event.inputs,
      trigger: { name: 'workflow_dispatch' },
    };
  }

  if (event.name === 'schedule')
    return {
      payload: { schedule: event.cron, workflow: event.workflowPath, ...base },
      sha: defaultTip,
      ref: 'refs/heads/main',
      headSha: defaultTip,
      headBranch: 'main',
      title: event.cron,
      inputs: {},
      trigger: { name: 'schedule' },
    };

  if (event.name !== 'workflow_run') return undefined;
  const run = world.state.workflowRuns.find((r) => r.id === event.runId);
  if (!run) return undefined;
  return {
    payload: {
      action: event.action,
      workflow_run: { ...renderRun(call, run), previous_attempt_url: null },
      workflow: renderWorkflow(call, run.path, run.name),
      ...base,
    },
    sha: defaultTip,
    ref: 'refs/heads/main',
    headSha: defaultTip,
    headBranch: 'main',
    title: run.name,
    inputs: {},
    trigger: {
      name: 'workflow_run',
      action: event.action,
      workflowName: run.name,
      ...(run.headBranch ? { branch: run.headBranch } : {}),
    },
  };
}

/** The organisation as webhooks show it (a shorter object than the REST API's). */
function webhookOrganization(call: Call, login: string): Record<string, unknown> {
  const user = renderUser(call.urls, login) as { id: number; node_id: string; avatar_url: string };
  const url = call.urls.api.replace(/\/$/, '');
  const org = `${url}/orgs/${login}`;
  return {
    login,
    id: user.id,
    node_id: user.node_id,
    url: org,
    repos_url: `${org}/repos`,
    events_url: `${org}/events`,
    hooks_url: `${org}/hooks`,
    issues_url: `${org}/issues`,
    members_url: `${org}/members{/member}`,
    public_members_url: `${org}/public_members{/member}`,
    avatar_url: user.avatar_url,
    description: null,
  };
}

/**
 * GitHub's push payloads keep an older repository shape: times as Unix seconds, the owner with
 * `name` and `email`, `stargazers` and `master_branch`.
 */
function pushRepository(repository: Record<string, unknown>): Record<string, unknown> {
  const seconds = (iso: unknown) => Math.floor(Date.parse(String(iso)) / 1000);
  const owner = repository['owner'] as Record<string, unknown>;
  return {
    ...repository,
    owner: { ...owner, name: owner['login'], email: null },
    created_at: seconds(repository['created_at']),
    pushed_at: seconds(repository['pushed_at']),
    stargazers: repository['stargazers_count'] ?? 0,
    master_branch: repository['default_branch'] ?? 'main',
  };
}
