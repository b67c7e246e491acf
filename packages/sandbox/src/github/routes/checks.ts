/**
 * Check runs: created by apps only (a workflow job's check run is created by the `github-actions`
 * app), listed per commit with the newest run of each name by default, as GitHub's `filter=latest`.
 */
import { ServiceError } from '../../core.ts';
import type { Call, GitHubWorld, Urls } from '../context.ts';
import type { AppIdentity } from '../identity.ts';
import { renderOrganization } from '../render.ts';
import type { Route } from '../router.ts';
import type { CheckRunRecord } from '../state.ts';
import {
  bodyOf,
  isoTime,
  json,
  nodeId,
  notFound,
  optionalString,
  requiredString,
  validationFailed,
} from '../wire.ts';

export const checkRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/:owner/:repo/check-runs',
    operation: 'checks.create',
    handle: createCheckRun,
  },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/check-runs/:check_run_id',
    operation: 'checks.update',
    handle: updateCheckRun,
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/check-runs/:check_run_id',
    operation: 'checks.get',
    handle: (call) => json(renderCheckRun(call.urls, findCheckRun(call))),
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/commits/:ref*/check-runs',
    operation: 'checks.listForRef',
    handle: listForRef,
  },
];

export function renderApp(urls: Urls, app: AppIdentity, owner: string): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('Integration', app.id),
    owner: renderOrganization(urls, owner),
    name: app.name,
    description: null,
    external_url: `${urls.web}/apps/${app.slug}`,
    html_url: `${urls.web}/apps/${app.slug}`,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    permissions: {},
    events: [],
  };
}

export function renderCheckRun(urls: Urls, run: CheckRunRecord, owner = 'ons'): Record<string, unknown> {
  const url = `${urls.repoApi}/check-runs/${run.id}`;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId('CheckRun', run.id),
    external_id: run.externalId,
    url,
    html_url: `${urls.repoWeb}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: isoTime(run.startedAt),
    completed_at: run.completedAt === null ? null : isoTime(run.completedAt),
    output: {
      title: run.title,
      summary: run.summary,
      text: run.text,
      annotations_count: 0,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id },
    app: renderApp(urls, run.app, owner),
    pull_requests: [],
  };
}

/** Also what the runner calls for each job it starts. */
export function addCheckRun(
  world: GitHubWorld,
  fields: Pick<CheckRunRecord, 'headSha' | 'name' | 'app'> & Partial<CheckRunRecord>,
): CheckRunRecord {
  const run: CheckRunRecord = {
    id: world.nextId(),
    status: 'queued',
    conclusion: null,
    startedAt: world.now(),
    completedAt: null,
    title: null,
    summary: null,
    text: null,
    detailsUrl: null,
    externalId: null,
    ...fields,
  };
  world.state.checkRuns.push(run);
  world.changed();
  return run;
}

const STATUSES = ['queued', 'in_progress', 'completed'];
const CONCLUSIONS = ['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required'];

function apply(call: Call, run: CheckRunRecord, body: Record<string, unknown>): void {
  const status = optionalString(body, 'status', 'CheckRun');
  const conclusion = optionalString(body, 'conclusion', 'CheckRun');
  if (status !== undefined && !STATUSES.includes(status))
    throw validationFailed({ resource: 'CheckRun', code: 'invalid', field: 'status' });
  if (conclusion !== undefined && !CONCLUSIONS.includes(conclusion))
    throw validationFailed({ resource: 'CheckRun', code: 'invalid', field: 'conclusion' });
  if (status !== undefined) run.status = status as CheckRunRecord['status'];
  if (conclusion !== undefined) {
    run.conclusion = conclusion as CheckRunRecord['conclusion'];
    run.status = 'completed';
  }
  if (run.status === 'completed' && run.conclusion === null)
    throw validationFailed({ resource: 'CheckRun', code: 'missing_field', field: 'conclusion' });
  if (run.status === 'completed' && run.completedAt === null) run.completedAt = call.world.now();
  const output = body['output'];
  if (output && typeof output === 'object') {
    const o = output as Record<string, unknown>;
    if (typeof o['title'] === 'string') run.title = o['title'];
    if (typeof o['summary'] === 'string') run.summary = o['summary'];
    if (typeof o['text'] === 'string') run.text = o['text'];
  }
  const details = optionalString(body, 'details_url', 'CheckRun');
  if (details !== undefined) run.detailsUrl = details;
  const external = optionalString(body, 'external_id', 'CheckRun');
  if (external !== undefined) run.externalId = external;
}

function createCheckRun(call: Call) {
  const app = call.actor.app;
  if (!app) throw new ServiceError(403, 'Forbidden', 'You must authenticate via a GitHub App.');
  const body = bodyOf(call.req);
  const name = requiredString(body, 'name', 'CheckRun');
  const rev = requiredString(body, 'head_sha', 'CheckRun');
  const headSha = call.world.git.resolveCommit(rev);
  if (!headSha)
    throw validationFailed({
      resource: 'CheckRun',
      code: 'invalid',
      field: 'head_sha',
      message: `No commit found for SHA: ${rev}`,
    });
  const run = addCheckRun(call.world, { headSha, name, app });
  apply(call, run, body);
  return json(renderCheckRun(call.urls, run, call.world.owner), 201);
}

function findCheckRun(call: Call): CheckRunRecord {
  const id = Number(call.params['check_run_id']);
  const run = call.world.state.checkRuns.find((c) => c.id === id);
  if (!run) throw notFound();
  return run;
}

function updateCheckRun(call: Call) {
  const run = findCheckRun(call);
  if (call.actor.app?.id !== run.app.id)
    throw new ServiceError(
      403,
      'Forbidden',
      'Invalid app_id `' +
        String(call.actor.app?.id) +
        '` - check run can only be modified by the GitHub App that created it.',
    );
  apply(call, run, bodyOf(call.req));
  call.world.changed();
  return json(renderCheckRun(call.urls, run, call.world.owner));
}

function listForRef(call: Call) {
  const rev = call.params['ref'] ?? '';
  const sha = call.world.git.resolveCommit(rev);
  if (!sha)
    throw validationFailed({
      resource: 'CheckRun',
      code: 'invalid',
      field: 'ref',
      message: `No commit found for SHA: ${rev}`,
    });
  const q = call.req.query;
  const name = q.get('check_name');
  const status = q.get('status');
  let runs = call.world.state.checkRuns
    .filter(
      (c) =>
        c.headSha === sha && (name === null || c.name === name) && (status === null || c.status === status),
    )
    .sort((a, b) => b.id - a.id);
  if ((q.get('filter') ?? 'latest') === 'latest') {
    const seen = new Set<string>();
    runs = runs.filter((c) => !seen.has(`${c.app.id}/${c.name}`) && seen.add(`${c.app.id}/${c.name}`));
  }
  const perPage = Math.min(100, Math.max(1, Number(q.get('per_page') ?? 30) || 30));
  const current = Math.max(1, Number(q.get('page') ?? 1) || 1);
  return json({
    total_count: runs.length,
    check_runs: runs
      .slice((current - 1) * perPage, current * perPage)
      .map((c) => renderCheckRun(call.urls, c, call.world.owner)),
  });
}
