/**
 * `POST /graphql`, for the two mutations GitHub offers only there: a draft pull request is marked
 * ready with `markPullRequestReadyForReview` and turned back with `convertPullRequestToDraft`
 * (https://docs.github.com/en/graphql/reference/mutations#markpullrequestreadyforreview; the REST
 * API cannot change `draft`). Each raises `pull_request` `ready_for_review` or `converted_to_draft`
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request).
 *
 * Not a GraphQL engine: the document must be one of these mutations with its `pullRequestId`
 * given inline or as a variable; it answers `pullRequest { number isDraft }` whatever fields are
 * asked. Anything else is answered as GitHub answers a query it cannot resolve: 200 with `errors`.
 */
import type { Call } from '../context.ts';
import type { Route } from '../router.ts';
import { atLeast, roleOf } from '../settings.ts';
import { bodyOf, json, nodeId } from '../wire.ts';

const MUTATIONS = {
  markPullRequestReadyForReview: { draft: false, action: 'ready_for_review' },
  convertPullRequestToDraft: { draft: true, action: 'converted_to_draft' },
} as const;

export const graphqlRoutes: Route[] = [
  { method: 'POST', path: '/graphql', operation: 'graphql', handle: graphql },
];

function graphql(call: Call) {
  const body = bodyOf(call.req);
  const query = typeof body['query'] === 'string' ? body['query'] : '';
  const variables = (body['variables'] ?? {}) as Record<string, unknown>;
  const name = (Object.keys(MUTATIONS) as Array<keyof typeof MUTATIONS>).find((m) =>
    new RegExp(`\\bmutation\\b[\\s\\S]*\\b${m}\\s*\\(`).test(query),
  );
  if (!name)
    return failure('the sandbox answers only markPullRequestReadyForReview and convertPullRequestToDraft');
  const id = pullRequestId(query, variables);
  const pull = call.world.state.pulls.find((p) => nodeId('PullRequest', p.id) === id);
  if (!pull) return failure(`Could not resolve to a node with the global id of '${id ?? ''}'`, 'NOT_FOUND');
  const { actor, world } = call;
  const mayEdit =
    actor.permissions !== undefined
      ? actor.permissions['pull_requests'] === 'write'
      : actor.login.toLowerCase() === pull.user.toLowerCase() ||
        atLeast(roleOf(world.state.settings, actor.login), 'write');
  if (!mayEdit)
    return failure(`${actor.login} does not have permission to update the pull request`, 'FORBIDDEN');
  const wanted = MUTATIONS[name];
  if (pull.state === 'open' && pull.draft !== wanted.draft) {
    pull.draft = wanted.draft;
    pull.updatedAt = world.now();
    world.changed();
    world.emit({ name: 'pull_request', action: wanted.action, pull: pull.number, actor });
  }
  return json({ data: { [name]: { pullRequest: { id, number: pull.number, isDraft: pull.draft } } } });
}

/** `pullRequestId: "…"` inline, or `pullRequestId: $var` with the variable's value. */
function pullRequestId(query: string, variables: Record<string, unknown>): string | undefined {
  const inline = /pullRequestId\s*:\s*"([^"]*)"/.exec(query)?.[1];
  if (inline !== undefined) return inline;
  const variable = /pullRequestId\s*:\s*\$(\w+)/.exec(query)?.[1];
  const value = variable === undefined ? undefined : variables[variable];
  return typeof value === 'string' ? value : undefined;
}

function failure(message: string, type?: string) {
  return json({ data: null, errors: [{ ...(type ? { type } : {}), message }] });
}
