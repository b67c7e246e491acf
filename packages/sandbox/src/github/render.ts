/**
 * The JSON GitHub returns for each kind of object, built from the remembered records and git. Only
 * the members Octokit users read are filled in; URLs point at the sandbox.
 */
import { branchTip, type Call, type Urls } from './context.ts';
import { findFork, forkHead } from './forks.ts';
import type { CommitInfo, FileChange } from './git.ts';
import type {
  CommentRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  ForkRecord,
  LabelRecord,
  PullRecord,
  ReviewRecord,
  StatusRecord,
} from './state.ts';
import { isoTime, nodeId, userId } from './wire.ts';

/** When the sandbox's people, apps and repository were created: before any simulated clock starts. */
export const ACCOUNTS_SINCE = '2024-01-01T00:00:00Z';

/** A user as GitHub's `simple-user` (https://docs.github.com/rest/users/users): every member it requires. */
export function renderUser(urls: Urls, login: string): Record<string, unknown> {
  const isBot = login.endsWith('[bot]');
  const id = userId(login);
  const url = `${urls.api}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId(isBot ? 'Bot' : 'User', id),
    avatar_url: `${urls.web}/avatars/${encodeURIComponent(login)}`,
    gravatar_id: '',
    url,
    html_url: `${urls.web}/${isBot ? 'apps/' : ''}${encodeURIComponent(login.replace(/\[bot\]$/, ''))}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: isBot ? 'Bot' : 'User',
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The organisation owning the repository, as a `simple-user` of type Organization. */
export function renderOrganization(urls: Urls, login: string): Record<string, unknown> {
  return { ...renderUser(urls, login), type: 'Organization' };
}

/**
 * `GET /user`: the caller as GitHub's `private-user` (what an authenticated user sees of
 * themselves), with the profile members a sandbox person does not have left empty.
 */
export function renderAuthenticatedUser(urls: Urls, login: string): Record<string, unknown> {
  return {
    ...renderUser(urls, login),
    name: login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: ACCOUNTS_SINCE,
    updated_at: ACCOUNTS_SINCE,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}

/** People in the owning organisation are members; apps are not. */
export function authorAssociation(login: string): string {
  return login.endsWith('[bot]') ? 'NONE' : 'MEMBER';
}

/**
 * The repository as GitHub's `full-repository` (which also satisfies `repository` and
 * `minimal-repository` where those are embedded): every URL template GitHub lists, counts of zero
 * for what the sandbox does not keep (stars, forks, watchers).
 */
export function renderRepository(call: Call): Record<string, unknown> {
  const { world, urls } = call;
  const id = 1;
  const api = urls.repoApi;
  const pushed = isoTime(world.now());
  return {
    id,
    node_id: nodeId('Repository', id),
    name: world.name,
    full_name: `${world.owner}/${world.name}`,
    owner: renderOrganization(urls, world.owner),
    private: false,
    html_url: urls.repoWeb,
    description: 'flagops sandbox repository',
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    // Not a git:// URL as GitHub gives: the sandbox's repository is cloned from its path.
    git_url: pathUrl(world.git.path),
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: pathUrl(world.git.path),
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: world.git.path,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: urls.repoWeb,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    subscribers_count: 0,
    network_count: 0,
    size: 0,
    default_branch: 'main',
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'public',
    pushed_at: pushed,
    created_at: ACCOUNTS_SINCE,
    updated_at: pushed,
    license: null,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: false,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_forking: true,
    web_commit_signoff_required: false,
  };
}

/** A fork of the repository as GitHub shows it: the owner's, `fork: true`, cloned from its own path. */
export function renderForkRepository(call: Call, fork: ForkRecord): Record<string, unknown> {
  const { world, urls } = call;
  const api = `${urls.api}/repos/${fork.owner}/${world.name}`;
  // The parent's shape, its API links rewritten to the fork's.
  const parent = Object.fromEntries(
    Object.entries(renderRepository(call)).map(([k, v]) => [
      k,
      typeof v === 'string' && v.startsWith(urls.repoApi) ? api + v.slice(urls.repoApi.length) : v,
    ]),
  );
  return {
    ...parent,
    id: 2 + (world.state.forks ?? []).indexOf(fork),
    node_id: nodeId('Repository', 2 + (world.state.forks ?? []).indexOf(fork)),
    full_name: `${fork.owner}/${world.name}`,
    owner: renderUser(urls, fork.owner),
    html_url: `${urls.web}/${fork.owner}/${world.name}`,
    url: api,
    fork: true,
    git_url: pathUrl(fork.path),
    ssh_url: pathUrl(fork.path),
    clone_url: fork.path,
    svn_url: `${urls.web}/${fork.owner}/${world.name}`,
    permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
  };
}

/** A filesystem path as a `file:` URL, which git clones from like the path itself. */
function pathUrl(path: string): string {
  return new URL(`file://${path}`).href;
}

export function renderLabel(urls: Urls, label: LabelRecord): Record<string, unknown> {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${urls.repoApi}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: false,
    description: label.description,
  };
}

export function renderCommit(urls: Urls, commit: CommitInfo): Record<string, unknown> {
  const person = (p: CommitInfo['author']) => ({ name: p.name, email: p.email, date: isoTime(p.date) });
  return {
    sha: commit.sha,
    node_id: nodeId('Commit', commit.sha),
    url: `${urls.repoApi}/commits/${commit.sha}`,
    html_url: `${urls.repoWeb}/commit/${commit.sha}`,
    comments_url: `${urls.repoApi}/commits/${commit.sha}/comments`,
    commit: {
      author: person(commit.author),
      committer: person(commit.committer),
      message: commit.message,
      tree: { sha: commit.tree, url: `${urls.repoApi}/git/trees/${commit.tree}` },
      url: `${urls.repoApi}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${urls.repoApi}/commits/${sha}`,
      html_url: `${urls.repoWeb}/commit/${sha}`,
    })),
  };
}

export function renderFile(urls: Urls, sha: string, change: FileChange): Record<string, unknown> {
  const out: Record<string, unknown> = {
    sha: null,
    filename: change.filename,
    status: change.status,
    additions: change.additions,
    deletions: change.deletions,
    changes: change.additions + change.deletions,
    blob_url: `${urls.repoWeb}/blob/${sha}/${change.filename}`,
    raw_url: `${urls.repoWeb}/raw/${sha}/${change.filename}`,
    contents_url: `${urls.repoApi}/contents/${change.filename}?ref=${sha}`,
  };
  if (change.patch !== undefined) out['patch'] = change.patch;
  if (change.previousFilename !== undefined) out['previous_filename'] = change.previousFilename;
  return out;
}

export function renderRef(urls: Urls, ref: string, sha: string, type = 'commit'): Record<string, unknown> {
  return {
    ref,
    node_id: nodeId('Ref', ref),
    url: `${urls.repoApi}/git/${ref}`,
    object: { sha, type, url: `${urls.repoApi}/git/${type}s/${sha}` },
  };
}

/** The head commit of a pull request: its branch's tip while it exists, else the last one seen. */
export function headSha(call: Call, pull: PullRecord): string {
  return branchTip(call, pull.head) ?? pull.headSha;
}

function branchSide(call: Call, branch: string, sha: string): Record<string, unknown> {
  const { world, urls } = call;
  const fromFork = forkHead(branch);
  const fork = fromFork && findFork(world, fromFork.owner);
  if (fromFork && fork)
    return {
      label: branch,
      ref: fromFork.branch,
      sha,
      user: renderUser(urls, fork.owner),
      repo: renderForkRepository(call, fork),
    };
  return {
    label: `${world.owner}:${branch}`,
    ref: branch,
    sha,
    user: renderOrganization(urls, world.owner),
    repo: renderRepository(call),
  };
}

/** A pull request as the list endpoint returns it (no diff statistics or mergeability). */
export function renderPullSummary(call: Call, pull: PullRecord): Record<string, unknown> {
  const { world, urls } = call;
  const url = `${urls.repoApi}/pulls/${pull.number}`;
  const labels = world.state.labels
    .filter((l) => pull.labels.includes(l.name))
    .map((l) => renderLabel(urls, l));
  const baseSha = branchTip(call, pull.base) ?? '';
  const head = headSha(call, pull);
  return {
    url,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: `${urls.repoWeb}/pull/${pull.number}`,
    diff_url: `${urls.repoWeb}/pull/${pull.number}.diff`,
    patch_url: `${urls.repoWeb}/pull/${pull.number}.patch`,
    issue_url: `${urls.repoApi}/issues/${pull.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${urls.repoApi}/pulls/comments{/number}`,
    comments_url: `${urls.repoApi}/issues/${pull.number}/comments`,
    statuses_url: `${urls.repoApi}/statuses/${head}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: renderUser(urls, pull.user),
    body: pull.body,
    labels,
    milestone: null,
    active_lock_reason: null,
    created_at: isoTime(pull.createdAt),
    updated_at: isoTime(pull.updatedAt),
    closed_at: pull.closedAt === null ? null : isoTime(pull.closedAt),
    merged_at: pull.mergedAt === null ? null : isoTime(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: pull.requestedReviewers.map((login) => renderUser(urls, login)),
    requested_teams: [],
    head: branchSide(call, pull.head, head),
    base: branchSide(call, pull.base, baseSha),
    author_association: authorAssociation(pull.user),
    auto_merge: null,
    draft: pull.draft,
    _links: {
      self: { href: url },
      html: { href: `${urls.repoWeb}/pull/${pull.number}` },
      issue: { href: `${urls.repoApi}/issues/${pull.number}` },
      comments: { href: `${urls.repoApi}/issues/${pull.number}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${urls.repoApi}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${urls.repoApi}/statuses/${head}` },
    },
  };
}

/** A single pull request: the summary plus merge state and diff statistics computed from git. */
export function renderPull(call: Call, pull: PullRecord): Record<string, unknown> {
  const { world, urls } = call;
  const git = world.git;
  const head = headSha(call, pull);
  const baseSha = branchTip(call, pull.base);
  const mergeBase = baseSha ? git.mergeBase(baseSha, head) : undefined;
  const files = mergeBase ? git.diff(mergeBase, head) : [];
  let mergeable: boolean | null = null;
  let mergeableState = 'unknown';
  if (pull.state === 'open' && baseSha) {
    mergeable = git.mergeTree(baseSha, head).clean;
    mergeableState = mergeable ? (pull.draft ? 'draft' : 'clean') : 'dirty';
  }
  return {
    ...renderPullSummary(call, pull),
    merged: pull.mergedAt !== null,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: mergeableState,
    merged_by: pull.mergedBy === null ? null : renderUser(urls, pull.mergedBy),
    comments: world.state.comments.filter((c) => c.issue === pull.number).length,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: mergeBase ? git.countCommits(`${mergeBase}..${head}`) : 0,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}

/** The URL members every issue (and pull request seen as one) carries. */
export function issueUrls(urls: Urls, number: number): Record<string, string> {
  const url = `${urls.repoApi}/issues/${number}`;
  return {
    url,
    repository_url: urls.repoApi,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
  };
}

/** A pull request seen through the issues API. */
export function renderIssue(call: Call, pull: PullRecord): Record<string, unknown> {
  const { world, urls } = call;
  const summary = renderPullSummary(call, pull);
  return {
    id: pull.id,
    node_id: nodeId('Issue', pull.id),
    ...issueUrls(urls, pull.number),
    html_url: summary['html_url'],
    number: pull.number,
    state: pull.state,
    state_reason: pull.state === 'closed' ? 'completed' : null,
    title: pull.title,
    body: pull.body,
    user: summary['user'],
    labels: summary['labels'],
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: world.state.comments.filter((c) => c.issue === pull.number).length,
    created_at: summary['created_at'],
    updated_at: summary['updated_at'],
    closed_at: summary['closed_at'],
    author_association: summary['author_association'],
    draft: pull.draft,
    pull_request: {
      url: summary['url'],
      html_url: summary['html_url'],
      diff_url: summary['diff_url'],
      patch_url: summary['patch_url'],
      merged_at: summary['merged_at'],
    },
  };
}

export function renderReview(urls: Urls, review: ReviewRecord): Record<string, unknown> {
  const html = `${urls.repoWeb}/pull/${review.pull}#pullrequestreview-${review.id}`;
  const out: Record<string, unknown> = {
    id: review.id,
    node_id: nodeId('PullRequestReview', review.id),
    user: renderUser(urls, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: `${urls.repoApi}/pulls/${review.pull}`,
    author_association: authorAssociation(review.user),
    commit_id: review.commitId,
    _links: { html: { href: html }, pull_request: { href: `${urls.repoApi}/pulls/${review.pull}` } },
  };
  if (review.submittedAt !== null) out['submitted_at'] = isoTime(review.submittedAt);
  return out;
}

export function renderComment(urls: Urls, comment: CommentRecord): Record<string, unknown> {
  return {
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    url: `${urls.repoApi}/issues/comments/${comment.id}`,
    html_url: `${urls.repoWeb}/pull/${comment.issue}#issuecomment-${comment.id}`,
    issue_url: `${urls.repoApi}/issues/${comment.issue}`,
    body: comment.body,
    user: renderUser(urls, comment.user),
    created_at: isoTime(comment.createdAt),
    updated_at: isoTime(comment.updatedAt),
    author_association: authorAssociation(comment.user),
  };
}

export function renderStatus(urls: Urls, status: StatusRecord): Record<string, unknown> {
  return {
    url: `${urls.repoApi}/statuses/${status.sha}`,
    avatar_url: null,
    id: status.id,
    node_id: nodeId('StatusContext', status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: isoTime(status.createdAt),
    updated_at: isoTime(status.createdAt),
    creator: renderUser(urls, status.creator),
  };
}

export function renderDeployment(urls: Urls, deployment: DeploymentRecord): Record<string, unknown> {
  const url = `${urls.repoApi}/deployments/${deployment.id}`;
  return {
    url,
    id: deployment.id,
    node_id: nodeId('Deployment', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: renderUser(urls, deployment.creator),
    created_at: isoTime(deployment.createdAt),
    updated_at: isoTime(deployment.updatedAt),
    statuses_url: `${url}/statuses`,
    repository_url: urls.repoApi,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
  };
}

export function renderDeploymentStatus(urls: Urls, status: DeploymentStatusRecord): Record<string, unknown> {
  const deploymentUrl = `${urls.repoApi}/deployments/${status.deployment}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId('DeploymentStatus', status.id),
    state: status.state,
    creator: renderUser(urls, status.creator),
    description: status.description,
    environment: status.environment,
    target_url: status.logUrl,
    log_url: status.logUrl,
    environment_url: status.environmentUrl,
    created_at: isoTime(status.createdAt),
    updated_at: isoTime(status.createdAt),
    deployment_url: deploymentUrl,
    repository_url: urls.repoApi,
  };
}
