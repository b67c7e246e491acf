/**
 * Commit statuses and the combined status: the latest status per context decides, and any failure
 * or error wins over pending, which wins over success.
 */
import type { Call } from '../context.ts';
import { renderRepository, renderStatus } from '../render.ts';
import type { Route } from '../router.ts';
import type { StatusRecord } from '../state.ts';
import {
  bodyOf,
  DESCRIPTION_MAX_CHARACTERS,
  json,
  optionalString,
  page,
  validationFailed,
  withinLimit,
} from '../wire.ts';

export const statusRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/:owner/:repo/statuses/:sha',
    operation: 'repos.createCommitStatus',
    handle: createStatus,
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/commits/:ref*/status',
    operation: 'repos.getCombinedStatusForRef',
    handle: combinedStatus,
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/commits/:ref*/statuses',
    operation: 'repos.listCommitStatusesForRef',
    handle: listStatuses,
  },
];

const STATES = ['error', 'failure', 'pending', 'success'] as const;

function commitFor(call: Call, rev: string): string {
  const sha = call.world.git.resolveCommit(rev);
  if (!sha)
    throw validationFailed({
      resource: 'Status',
      code: 'custom',
      field: 'sha',
      message: `No commit found for SHA: ${rev}`,
    });
  return sha;
}

function createStatus(call: Call) {
  const { world } = call;
  const sha = commitFor(call, call.params['sha'] ?? '');
  const body = bodyOf(call.req);
  const state = body['state'];
  if (typeof state !== 'string' || !(STATES as readonly string[]).includes(state))
    throw validationFailed({
      resource: 'Status',
      code: 'custom',
      field: 'state',
      message: `state must be one of ${STATES.join(', ')}`,
    });
  const status: StatusRecord = {
    id: world.nextId(),
    sha,
    state: state as StatusRecord['state'],
    context: optionalString(body, 'context', 'Status') ?? 'default',
    description:
      withinLimit(
        optionalString(body, 'description', 'Status'),
        DESCRIPTION_MAX_CHARACTERS,
        'Status',
        'description',
      ) ?? null,
    targetUrl: optionalString(body, 'target_url', 'Status') ?? null,
    creator: call.actor.login,
    ...(call.actor.app ? { appId: call.actor.app.id } : {}),
    createdAt: world.now(),
  };
  world.state.statuses.push(status);
  world.changed();
  return json(renderStatus(call.urls, status), 201);
}

/** Newest first, as GitHub lists them. */
export function statusesFor(call: Call, sha: string): StatusRecord[] {
  return call.world.state.statuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id);
}

/** The newest status of each context for a commit. */
export function latestPerContext(call: Call, sha: string): StatusRecord[] {
  const latest = new Map<string, StatusRecord>();
  for (const status of statusesFor(call, sha))
    if (!latest.has(status.context)) latest.set(status.context, status);
  return [...latest.values()];
}

export function combinedState(statuses: StatusRecord[]): 'failure' | 'pending' | 'success' {
  if (statuses.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (statuses.length === 0 || statuses.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

function combinedStatus(call: Call) {
  const sha = commitFor(call, call.params['ref'] ?? '');
  const latest = latestPerContext(call, sha);
  return json({
    state: combinedState(latest),
    statuses: latest.map((s) => renderStatus(call.urls, s)),
    sha,
    total_count: latest.length,
    repository: renderRepository(call),
    commit_url: `${call.urls.repoApi}/commits/${sha}`,
    url: `${call.urls.repoApi}/commits/${sha}/status`,
  });
}

function listStatuses(call: Call) {
  const sha = commitFor(call, call.params['ref'] ?? '');
  return page(call.req, statusesFor(call, sha), (s) => renderStatus(call.urls, s));
}
