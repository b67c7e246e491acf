/**
 * Pull requests over real branches: open, read, list, edit, diff, request reviewers and merge with a
 * real merge commit made by git plumbing (no work tree), guarded by a compare-and-swap on the base.
 */
import { ServiceError } from '../../core.ts';
import type { Call } from '../context.ts';
import { fetchForkBranch, findFork } from '../forks.ts';
import { SANDBOX_IDENTITY } from '../git.ts';
import { headSha, renderCommit, renderFile, renderPull, renderPullSummary, renderUser } from '../render.ts';
import type { Route } from '../router.ts';
import type { PullRecord } from '../state.ts';
import {
  BODY_MAX_CHARACTERS,
  bodyOf,
  json,
  noContent,
  notFound,
  optionalString,
  page,
  requiredString,
  sameLogin,
  unprocessable,
  validationFailed,
  withinLimit,
} from '../wire.ts';
import { enforceProtection } from './protection.ts';

const PULL = '/repos/:owner/:repo/pulls/:pull_number';

export const pullRoutes: Route[] = [
  { method: 'POST', path: '/repos/:owner/:repo/pulls', operation: 'pulls.create', handle: createPull },
  { method: 'GET', path: '/repos/:owner/:repo/pulls', operation: 'pulls.list', handle: listPulls },
  {
    method: 'GET',
    path: PULL,
    operation: 'pulls.get',
    handle: (call) => json(renderPull(call, findPull(call))),
  },
  { method: 'PATCH', path: PULL, operation: 'pulls.update', handle: updatePull },
  { method: 'GET', path: `${PULL}/files`, operation: 'pulls.listFiles', handle: listFiles },
  { method: 'GET', path: `${PULL}/commits`, operation: 'pulls.listCommits', handle: listCommits },
  { method: 'GET', path: `${PULL}/merge`, operation: 'pulls.checkIfMerged', handle: checkIfMerged },
  { method: 'PUT', path: `${PULL}/merge`, operation: 'pulls.merge', handle: mergePull },
  {
    method: 'GET',
    path: `${PULL}/requested_reviewers`,
    operation: 'pulls.listRequestedReviewers',
    handle: listRequestedReviewers,
  },
  {
    method: 'POST',
    path: `${PULL}/requested_reviewers`,
    operation: 'pulls.requestReviewers',
    handle: requestReviewers,
  },
  {
    method: 'DELETE',
    path: `${PULL}/requested_reviewers`,
    operation: 'pulls.removeRequestedReviewers',
    handle: removeRequestedReviewers,
  },
];

/** The pull request a path names (`:pull_number` or `:issue_number`), or 404. */
export function findPull(call: Call): PullRecord {
  const n = Number(call.params['pull_number'] ?? call.params['issue_number']);
  const pull = call.world.state.pulls.find((p) => p.number === n);
  if (!pull) throw notFound();
  return pull;
}

/**
 * `owner:branch` or `branch`. Another owner's branch is their fork's, fetched here as the pull
 * request's head (`owner:branch`, forks.ts); an owner without a fork names no branch.
 */
function branchName(call: Call, spec: string, fromFork = false): string {
  const colon = spec.indexOf(':');
  if (colon < 0) return spec;
  const owner = spec.slice(0, colon);
  const branch = spec.slice(colon + 1);
  if (owner.toLowerCase() === call.world.owner.toLowerCase()) return branch;
  const fork = fromFork ? findFork(call.world, owner) : undefined;
  if (fork && fetchForkBranch(call.world, fork, branch)) return `${fork.owner}:${branch}`;
  return `\0${spec}`;
}

function openDuplicate(call: Call, head: string, base: string, except?: number): PullRecord | undefined {
  return call.world.state.pulls.find(
    (p) => p.state === 'open' && p.head === head && p.base === base && p.number !== except,
  );
}

function createPull(call: Call) {
  const { world, actor } = call;
  const body = bodyOf(call.req);
  const title = requiredString(body, 'title', 'PullRequest');
  const head = branchName(call, requiredString(body, 'head', 'PullRequest'), true);
  const base = branchName(call, requiredString(body, 'base', 'PullRequest'));
  const headCommit = world.git.branchSha(head);
  const baseCommit = world.git.branchSha(base);
  if (!headCommit) throw validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'head' });
  if (!baseCommit) throw validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'base' });
  if (openDuplicate(call, head, base))
    throw validationFailed({
      resource: 'PullRequest',
      code: 'custom',
      message: `A pull request already exists for ${world.owner}:${head}.`,
    });
  if (world.git.isAncestor(headCommit, baseCommit))
    throw validationFailed({
      resource: 'PullRequest',
      code: 'custom',
      message: `No commits between ${base} and ${head}`,
    });
  const now = world.now();
  const pull: PullRecord = {
    number: world.nextNumber(),
    id: world.nextId(),
    title,
    body:
      withinLimit(optionalString(body, 'body', 'PullRequest'), BODY_MAX_CHARACTERS, 'PullRequest', 'body') ??
      null,
    head,
    base,
    user: actor.login,
    state: 'open',
    draft: body['draft'] === true,
    maintainerCanModify: body['maintainer_can_modify'] !== false,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    mergedAt: null,
    mergedBy: null,
    mergeCommitSha: null,
    headSha: headCommit,
    requestedReviewers: [],
    labels: [],
  };
  world.state.pulls.push(pull);
  world.changed();
  world.emit({ name: 'pull_request', action: 'opened', pull: pull.number, actor });
  return json(renderPull(call, pull), 201, { location: `${call.urls.repoApi}/pulls/${pull.number}` });
}

function listPulls(call: Call) {
  const q = call.req.query;
  const state = q.get('state') ?? 'open';
  const head = q.get('head');
  const base = q.get('base');
  const sort = q.get('sort') ?? 'created';
  // GitHub's default: newest first when sorting by creation, otherwise ascending.
  const direction = q.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
  if (!['open', 'closed', 'all'].includes(state))
    throw validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'state' });
  const key = (p: PullRecord) => (sort === 'updated' ? p.updatedAt : p.createdAt);
  const pulls = call.world.state.pulls
    .filter((p) => state === 'all' || p.state === state)
    .filter((p) => head === null || p.head === branchName(call, head))
    .filter((p) => base === null || p.base === base)
    .sort((a, b) => (key(a) - key(b) || a.number - b.number) * (direction === 'asc' ? 1 : -1));
  return page(call.req, pulls, (p) => renderPullSummary(call, p));
}

function updatePull(call: Call) {
  const { world } = call;
  const pull = findPull(call);
  const body = bodyOf(call.req);
  const title = optionalString(body, 'title', 'PullRequest');
  const text = withinLimit(
    optionalString(body, 'body', 'PullRequest'),
    BODY_MAX_CHARACTERS,
    'PullRequest',
    'body',
  );
  const state = optionalString(body, 'state', 'PullRequest');
  const base = optionalString(body, 'base', 'PullRequest');
  if (state !== undefined && state !== 'open' && state !== 'closed')
    throw validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'state' });
  if (base !== undefined && !world.git.branchSha(base))
    throw validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'base' });
  if (pull.mergedAt !== null && (state === 'open' || base !== undefined))
    throw unprocessable('Cannot change the state or base of a merged pull request');
  if (state === 'open' && pull.state === 'closed') {
    if (!world.git.branchSha(pull.head))
      throw validationFailed({
        resource: 'PullRequest',
        code: 'custom',
        message: 'The head branch no longer exists',
      });
    if (openDuplicate(call, pull.head, base ?? pull.base, pull.number))
      throw validationFailed({
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for ${world.owner}:${pull.head}.`,
      });
  }
  const now = world.now();
  const changes = editedChanges(call, pull, { title, body: text, base });
  if (title !== undefined) pull.title = title;
  if (text !== undefined) pull.body = text;
  if (base !== undefined) pull.base = base;
  const changedState = state !== undefined && state !== pull.state;
  if (state !== undefined && state !== pull.state) {
    pull.headSha = headSha(call, pull);
    pull.state = state;
    pull.closedAt = state === 'closed' ? now : null;
  }
  pull.updatedAt = now;
  world.changed();
  if (state !== undefined && changedState)
    world.emit({
      name: 'pull_request',
      action: state === 'closed' ? 'closed' : 'reopened',
      pull: pull.number,
      actor: call.actor,
    });
  // GitHub raises `edited` when an open pull request's title, body or base changes.
  if (changes && pull.state === 'open')
    world.emit({ name: 'pull_request', action: 'edited', pull: pull.number, actor: call.actor, changes });
  return json(renderPull(call, pull));
}

/** The webhook's `changes` for an edit (previous values), or undefined when nothing changes. */
function editedChanges(
  call: Call,
  pull: PullRecord,
  next: { title: string | undefined; body: string | undefined; base: string | undefined },
): Record<string, unknown> | undefined {
  const changes: Record<string, unknown> = {};
  if (next.title !== undefined && next.title !== pull.title) changes['title'] = { from: pull.title };
  if (next.body !== undefined && next.body !== pull.body) changes['body'] = { from: pull.body ?? '' };
  if (next.base !== undefined && next.base !== pull.base)
    changes['base'] = {
      ref: { from: pull.base },
      sha: { from: call.world.git.branchSha(pull.base) ?? '' },
    };
  return Object.keys(changes).length > 0 ? changes : undefined;
}

function diffBase(call: Call, pull: PullRecord): { head: string; mergeBase: string | undefined } {
  const head = headSha(call, pull);
  // A merged pull request keeps showing what it merged: diff against the first parent of its merge.
  const base =
    pull.mergeCommitSha !== null
      ? call.world.git.commit(pull.mergeCommitSha).parents[0]
      : call.world.git.branchSha(pull.base);
  return { head, mergeBase: base ? call.world.git.mergeBase(base, head) : undefined };
}

/** GitHub: "Responses include a maximum of 3000 files" (pulls.listFiles); changed_files counts all. */
export const LIST_FILES_MAX = 3000;

function listFiles(call: Call) {
  const pull = findPull(call);
  const { head, mergeBase } = diffBase(call, pull);
  const files = mergeBase ? call.world.git.diff(mergeBase, head) : [];
  return page(call.req, files.slice(0, LIST_FILES_MAX), (f) => renderFile(call.urls, head, f));
}

function listCommits(call: Call) {
  const pull = findPull(call);
  const { head, mergeBase } = diffBase(call, pull);
  const range = mergeBase ? `${mergeBase}..${head}` : head;
  const commits = call.world.git.commits(['--reverse', range]);
  return page(call.req, commits, (c) => renderCommit(call.urls, c));
}

function checkIfMerged(call: Call) {
  if (findPull(call).mergedAt === null) throw notFound();
  return noContent();
}

function notMergeable(reason: string): ServiceError {
  return new ServiceError(405, 'NotMergeable', `Pull Request is not mergeable: ${reason}`);
}

function mergePull(call: Call) {
  const { world, actor } = call;
  const pull = findPull(call);
  const body = bodyOf(call.req);
  const method = optionalString(body, 'merge_method', 'PullRequest') ?? 'merge';
  if (method !== 'merge' && method !== 'squash')
    throw validationFailed({
      resource: 'PullRequest',
      code: 'invalid',
      field: 'merge_method',
      message: `merge_method ${method} is not supported by the sandbox; use merge or squash`,
    });
  if (pull.mergedAt !== null) throw notMergeable('it is already merged');
  if (pull.state !== 'open') throw notMergeable('it is closed');
  if (pull.draft) throw notMergeable('it is a draft');
  const git = world.git;
  const head = git.branchSha(pull.head);
  const base = git.branchSha(pull.base);
  if (!head) throw notMergeable(`its head branch ${pull.head} no longer exists`);
  if (!base) throw notMergeable(`its base branch ${pull.base} no longer exists`);
  const expected = optionalString(body, 'sha', 'PullRequest');
  if (expected !== undefined && expected !== head)
    throw new ServiceError(409, 'Conflict', 'Head branch was modified. Review and try the merge again.');
  enforceProtection(call, pull, head, base);
  const merged = git.mergeTree(base, head);
  if (!merged.clean) throw notMergeable('merging it would conflict with its base branch');

  const now = world.now();
  const title =
    optionalString(body, 'commit_title', 'PullRequest') ??
    (method === 'squash'
      ? `${pull.title} (#${pull.number})`
      : `Merge pull request #${pull.number} from ${pull.head.includes(':') ? pull.head.replace(':', '/') : `${world.owner}/${pull.head}`}`);
  const details =
    optionalString(body, 'commit_message', 'PullRequest') ?? (method === 'squash' ? '' : pull.title);
  const mergeCommit = git.commitTree({
    tree: merged.tree,
    parents: method === 'squash' ? [base] : [base, head],
    message: details === '' ? `${title}\n` : `${title}\n\n${details}\n`,
    author: { name: actor.login, email: `${actor.login}@users.noreply.flagops.invalid`, date: now },
    committer: { ...SANDBOX_IDENTITY, date: now },
  });
  // Someone may push to the base between our read and this write; never overwrite their commit.
  if (!git.updateRef(`refs/heads/${pull.base}`, mergeCommit, base))
    throw new ServiceError(409, 'Conflict', 'Base branch was modified. Review and try the merge again.');

  pull.state = 'closed';
  pull.mergedAt = now;
  pull.closedAt = now;
  pull.updatedAt = now;
  pull.mergedBy = actor.login;
  pull.mergeCommitSha = mergeCommit;
  pull.headSha = head;
  world.changed();
  world.emit({ name: 'push', ref: `refs/heads/${pull.base}`, before: base, after: mergeCommit, actor });
  world.emit({ name: 'pull_request', action: 'closed', pull: pull.number, actor });
  return json({ sha: mergeCommit, merged: true, message: 'Pull Request successfully merged' });
}

function listRequestedReviewers(call: Call) {
  const pull = findPull(call);
  return json({ users: pull.requestedReviewers.map((login) => renderUser(call.urls, login)), teams: [] });
}

function reviewerList(call: Call): string[] {
  const reviewers = bodyOf(call.req)['reviewers'] ?? [];
  if (!Array.isArray(reviewers) || !reviewers.every((r) => typeof r === 'string'))
    throw validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'reviewers' });
  return reviewers as string[];
}

function requestReviewers(call: Call) {
  const pull = findPull(call);
  const reviewers = reviewerList(call);
  if (reviewers.some((r) => r.toLowerCase() === pull.user.toLowerCase()))
    throw unprocessable('Review cannot be requested from pull request author.');
  for (const login of reviewers)
    if (!pull.requestedReviewers.some((r) => sameLogin(r, login))) pull.requestedReviewers.push(login);
  pull.updatedAt = call.world.now();
  call.world.changed();
  return json(renderPullSummary(call, pull), 201);
}

function removeRequestedReviewers(call: Call) {
  const pull = findPull(call);
  const reviewers = reviewerList(call);
  pull.requestedReviewers = pull.requestedReviewers.filter(
    (login) => !reviewers.some((r) => sameLogin(r, login)),
  );
  pull.updatedAt = call.world.now();
  call.world.changed();
  return json(renderPullSummary(call, pull));
}
