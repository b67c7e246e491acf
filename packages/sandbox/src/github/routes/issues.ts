/**
 * The issues API as it applies to pull requests: conversation comments and labels (adding an
 * unknown label creates it, as GitHub does). The issue view itself is plain-issues.ts's.
 */
import type { Call } from '../context.ts';
import { renderComment, renderLabel } from '../render.ts';
import type { Route } from '../router.ts';
import type { CommentRecord, LabelRecord, PullRecord } from '../state.ts';
import {
  BODY_MAX_CHARACTERS,
  bodyOf,
  json,
  noContent,
  notFound,
  optionalString,
  page,
  requiredString,
  validationFailed,
  withinLimit,
} from '../wire.ts';
import { findPull } from './pulls.ts';

const ISSUE = '/repos/:owner/:repo/issues/:issue_number';
const COMMENT = '/repos/:owner/:repo/issues/comments/:comment_id';

export const issueRoutes: Route[] = [
  // Comment routes first: `issues/comments/…` must not be read as an issue numbered "comments".
  {
    method: 'GET',
    path: '/repos/:owner/:repo/issues/comments',
    operation: 'issues.listCommentsForRepo',
    handle: listRepoComments,
  },
  {
    method: 'GET',
    path: COMMENT,
    operation: 'issues.getComment',
    handle: (call) => json(renderComment(call.urls, findComment(call))),
  },
  { method: 'PATCH', path: COMMENT, operation: 'issues.updateComment', handle: updateComment },
  { method: 'DELETE', path: COMMENT, operation: 'issues.deleteComment', handle: deleteComment },
  { method: 'GET', path: `${ISSUE}/comments`, operation: 'issues.listComments', handle: listComments },
  { method: 'POST', path: `${ISSUE}/comments`, operation: 'issues.createComment', handle: createComment },
  { method: 'GET', path: `${ISSUE}/labels`, operation: 'issues.listLabelsOnIssue', handle: listIssueLabels },
  { method: 'POST', path: `${ISSUE}/labels`, operation: 'issues.addLabels', handle: addLabels },
  { method: 'PUT', path: `${ISSUE}/labels`, operation: 'issues.setLabels', handle: setLabels },
  { method: 'DELETE', path: `${ISSUE}/labels/:name`, operation: 'issues.removeLabel', handle: removeLabel },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/labels',
    operation: 'issues.listLabelsForRepo',
    handle: listRepoLabels,
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/labels',
    operation: 'issues.createLabel',
    handle: createLabel,
  },
  { method: 'GET', path: '/repos/:owner/:repo/labels/:name', operation: 'issues.getLabel', handle: getLabel },
];

function findComment(call: Call): CommentRecord {
  const id = Number(call.params['comment_id']);
  const comment = call.world.state.comments.find((c) => c.id === id);
  if (!comment) throw notFound();
  return comment;
}

/** Comments oldest first, optionally only those updated at or after `since`. */
function commentsSince(call: Call, comments: CommentRecord[]): CommentRecord[] {
  const since = call.req.query.get('since');
  const from = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since);
  return comments.filter((c) => c.updatedAt >= from).sort((a, b) => a.id - b.id);
}

function listRepoComments(call: Call) {
  return page(call.req, commentsSince(call, [...call.world.state.comments]), (c) =>
    renderComment(call.urls, c),
  );
}

/** The number of the pull request or plain issue a conversation route names. */
function threadNumber(call: Call): number {
  const n = Number(call.params['issue_number']);
  if (call.world.state.issues.some((i) => i.number === n)) return n;
  return findPull(call).number;
}

function listComments(call: Call) {
  const number = threadNumber(call);
  const comments = commentsSince(
    call,
    call.world.state.comments.filter((c) => c.issue === number),
  );
  return page(call.req, comments, (c) => renderComment(call.urls, c));
}

function createComment(call: Call) {
  const { world } = call;
  const number = threadNumber(call);
  const text = withinLimit(
    requiredString(bodyOf(call.req), 'body', 'IssueComment'),
    BODY_MAX_CHARACTERS,
    'IssueComment',
    'body',
  );
  const now = world.now();
  const comment: CommentRecord = {
    id: world.nextId(),
    issue: number,
    user: call.actor.login,
    body: text,
    createdAt: now,
    updatedAt: now,
  };
  world.state.comments.push(comment);
  world.changed();
  return json(renderComment(call.urls, comment), 201, {
    location: `${call.urls.repoApi}/issues/comments/${comment.id}`,
  });
}

function updateComment(call: Call) {
  const comment = findComment(call);
  comment.body = withinLimit(
    requiredString(bodyOf(call.req), 'body', 'IssueComment'),
    BODY_MAX_CHARACTERS,
    'IssueComment',
    'body',
  );
  comment.updatedAt = call.world.now();
  call.world.changed();
  return json(renderComment(call.urls, comment));
}

function deleteComment(call: Call) {
  const comment = findComment(call);
  call.world.state.comments = call.world.state.comments.filter((c) => c !== comment);
  call.world.changed();
  return noContent();
}

function findLabel(call: Call, name: string): LabelRecord | undefined {
  return call.world.state.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
}

/** GitHub's default colour for labels created on the fly. */
const DEFAULT_COLOR = 'ededed';

function ensureLabel(
  call: Call,
  name: string,
  color = DEFAULT_COLOR,
  description: string | null = null,
): LabelRecord {
  const existing = findLabel(call, name);
  if (existing) return existing;
  const label: LabelRecord = { id: call.world.nextId(), name, color, description };
  call.world.state.labels.push(label);
  return label;
}

function labelsOf(call: Call, pull: PullRecord) {
  return pull.labels.map((name) => findLabel(call, name)).filter((l): l is LabelRecord => l !== undefined);
}

function listIssueLabels(call: Call) {
  const pull = findPull(call);
  return page(call.req, labelsOf(call, pull), (l) => renderLabel(call.urls, l));
}

/** `{labels: [...]}`, a bare array, or `{labels: [{name}]}` — all accepted by GitHub. */
function labelNames(call: Call): string[] {
  const parsed: unknown = bodyOf(call.req);
  const list: unknown = Array.isArray(parsed) ? parsed : (parsed as { labels?: unknown }).labels;
  if (!Array.isArray(list))
    throw validationFailed({ resource: 'Label', code: 'missing_field', field: 'labels' });
  return list.map((item) => {
    const name = typeof item === 'string' ? item : (item as { name?: unknown })?.name;
    if (typeof name !== 'string' || name.trim() === '')
      throw validationFailed({
        resource: 'Label',
        code: 'invalid',
        field: 'labels',
        message: 'label names must be non-empty strings',
      });
    return name;
  });
}

function applyLabels(call: Call, pull: PullRecord, names: string[]) {
  for (const name of names) {
    const label = ensureLabel(call, name);
    if (!pull.labels.includes(label.name)) {
      pull.labels.push(label.name);
      call.world.emit({
        name: 'pull_request',
        action: 'labeled',
        pull: pull.number,
        actor: call.actor,
        label: label.name,
      });
    }
  }
  pull.updatedAt = call.world.now();
  call.world.changed();
  return json(labelsOf(call, pull).map((l) => renderLabel(call.urls, l)));
}

function addLabels(call: Call) {
  return applyLabels(call, findPull(call), labelNames(call));
}

function setLabels(call: Call) {
  const pull = findPull(call);
  const names = labelNames(call);
  pull.labels = [];
  return applyLabels(call, pull, names);
}

function removeLabel(call: Call) {
  const pull = findPull(call);
  const label = findLabel(call, call.params['name'] ?? '');
  if (!label || !pull.labels.includes(label.name)) throw notFound('Label does not exist');
  pull.labels = pull.labels.filter((n) => n !== label.name);
  pull.updatedAt = call.world.now();
  call.world.changed();
  return json(labelsOf(call, pull).map((l) => renderLabel(call.urls, l)));
}

function listRepoLabels(call: Call) {
  return page(call.req, call.world.state.labels, (l) => renderLabel(call.urls, l));
}

function getLabel(call: Call) {
  const label = findLabel(call, call.params['name'] ?? '');
  if (!label) throw notFound();
  return json(renderLabel(call.urls, label));
}

function createLabel(call: Call) {
  const body = bodyOf(call.req);
  const name = requiredString(body, 'name', 'Label');
  const color = (optionalString(body, 'color', 'Label') ?? DEFAULT_COLOR).replace(/^#/, '');
  if (!/^[0-9a-fA-F]{6}$/.test(color))
    throw validationFailed({
      resource: 'Label',
      code: 'invalid',
      field: 'color',
      message: 'color must be 6 hex digits, e.g. d73a4a',
    });
  if (findLabel(call, name))
    throw validationFailed({ resource: 'Label', code: 'already_exists', field: 'name' });
  const label = ensureLabel(
    call,
    name,
    color.toLowerCase(),
    optionalString(body, 'description', 'Label') ?? null,
  );
  call.world.changed();
  return json(renderLabel(call.urls, label), 201);
}
