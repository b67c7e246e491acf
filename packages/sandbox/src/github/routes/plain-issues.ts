/**
 * Issues that are not pull requests: create, list (pull requests included, as GitHub lists them,
 * filtered by state and labels), read and edit (title, body, state, labels). Comments and label
 * routes live in issues.ts, which the router tries first (`issues/comments` is not an issue); the
 * issue view here also answers for pull requests, which are issues too.
 */
import type { Call } from '../context.ts';
import { issueUrls, renderIssue, renderLabel, renderUser } from '../render.ts';
import type { Route } from '../router.ts';
import type { IssueRecord, LabelRecord } from '../state.ts';
import {
  BODY_MAX_CHARACTERS,
  bodyOf,
  json,
  nodeId,
  notFound,
  optionalString,
  page,
  requiredString,
  validationFailed,
  withinLimit,
} from '../wire.ts';

const ISSUES = '/repos/:owner/:repo/issues';

export const plainIssueRoutes: Route[] = [
  { method: 'POST', path: ISSUES, operation: 'issues.create', handle: createIssue },
  { method: 'GET', path: ISSUES, operation: 'issues.listForRepo', handle: listIssues },
  {
    method: 'GET',
    path: `${ISSUES}/:issue_number`,
    operation: 'issues.get',
    handle: (call) => {
      const issue = findIssue(call);
      if (issue) return json(renderPlainIssue(call, issue));
      const pull = call.world.state.pulls.find((p) => p.number === Number(call.params['issue_number']));
      if (!pull) throw notFound();
      return json(renderIssue(call, pull));
    },
  },
  { method: 'PATCH', path: `${ISSUES}/:issue_number`, operation: 'issues.update', handle: updateIssue },
];

function findIssue(call: Call): IssueRecord | undefined {
  const n = Number(call.params['issue_number']);
  return call.world.state.issues.find((i) => i.number === n);
}

function renderPlainIssue(call: Call, issue: IssueRecord): Record<string, unknown> {
  const { urls, world } = call;
  const labels = issue.labels
    .map((name) => world.state.labels.find((l) => l.name === name))
    .filter((l): l is LabelRecord => l !== undefined)
    .map((l) => renderLabel(urls, l));
  return {
    id: issue.id,
    node_id: nodeId('Issue', issue.id),
    ...issueUrls(urls, issue.number),
    html_url: `${urls.repoWeb}/issues/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.state === 'closed' ? 'completed' : null,
    title: issue.title,
    body: issue.body,
    user: renderUser(urls, issue.user),
    labels,
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: world.state.comments.filter((c) => c.issue === issue.number).length,
    created_at: new Date(issue.createdAt).toISOString(),
    updated_at: new Date(issue.updatedAt).toISOString(),
    closed_at: issue.closedAt === null ? null : new Date(issue.closedAt).toISOString(),
  };
}

function labelList(call: Call, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw validationFailed({ resource: 'Issue', code: 'invalid', field: 'labels' });
  const names = value.map((item) => (typeof item === 'string' ? item : (item as { name?: unknown })?.name));
  for (const name of names) {
    if (typeof name !== 'string' || name === '')
      throw validationFailed({ resource: 'Issue', code: 'invalid', field: 'labels' });
    if (!call.world.state.labels.some((l) => l.name === name))
      call.world.state.labels.push({ id: call.world.nextId(), name, color: 'ededed', description: null });
  }
  return names as string[];
}

function createIssue(call: Call) {
  const { world } = call;
  const body = bodyOf(call.req);
  const now = world.now();
  const issue: IssueRecord = {
    number: world.nextNumber(),
    id: world.nextId(),
    title: requiredString(body, 'title', 'Issue'),
    body: withinLimit(optionalString(body, 'body', 'Issue'), BODY_MAX_CHARACTERS, 'Issue', 'body') ?? null,
    user: call.actor.login,
    state: 'open',
    labels: labelList(call, body['labels']),
    createdAt: now,
    updatedAt: now,
    closedAt: null,
  };
  world.state.issues.push(issue);
  world.changed();
  return json(renderPlainIssue(call, issue), 201, {
    location: `${call.urls.repoApi}/issues/${issue.number}`,
  });
}

function updateIssue(call: Call) {
  const issue = findIssue(call);
  if (!issue) throw notFound();
  const body = bodyOf(call.req);
  const title = optionalString(body, 'title', 'Issue');
  if (title !== undefined) issue.title = title;
  if (typeof body['body'] === 'string' || body['body'] === null)
    issue.body = withinLimit(body['body'] as string | null, BODY_MAX_CHARACTERS, 'Issue', 'body');
  const state = optionalString(body, 'state', 'Issue');
  if (state !== undefined) {
    if (state !== 'open' && state !== 'closed')
      throw validationFailed({ resource: 'Issue', code: 'invalid', field: 'state' });
    if (state !== issue.state) issue.closedAt = state === 'closed' ? call.world.now() : null;
    issue.state = state;
  }
  if (body['labels'] !== undefined) issue.labels = labelList(call, body['labels']);
  issue.updatedAt = call.world.now();
  call.world.changed();
  return json(renderPlainIssue(call, issue));
}

/** GitHub lists pull requests among issues; `state` (default open) and `labels` (all of them) filter. */
function listIssues(call: Call) {
  const q = call.req.query;
  const state = q.get('state') ?? 'open';
  const wanted = (q.get('labels') ?? '')
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const keep = (s: string, labels: string[]) =>
    (state === 'all' || s === state) && wanted.every((w) => labels.includes(w));
  const issues = call.world.state.issues
    .filter((i) => keep(i.state, i.labels))
    .map((i) => ({ number: i.number, render: () => renderPlainIssue(call, i) }));
  const pulls = call.world.state.pulls
    .filter((p) => keep(p.state, p.labels))
    .map((p) => ({ number: p.number, render: () => renderIssue(call, p) }));
  const all = [...issues, ...pulls].sort((a, b) => b.number - a.number);
  return page(call.req, all, (item) => item.render());
}
