/**
 * Every route the sandbox's GitHub serves is an operation of GitHub's REST API under the name
 * Octokit gives it (`@octokit/plugin-rest-endpoint-methods`, generated from GitHub's published
 * OpenAPI description). The test walks the router's own table, so a route added later is checked
 * without touching this file; an exception needs its reason written below.
 */
import { Octokit } from '@octokit/core';
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../packages/sandbox/src/github/service.ts';

/** `METHOD /path` with parameter names erased, so `{pull_number}` and `:number` compare equal. */
const shape = (method: string, path: string) =>
  `${method} ${path.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z_]+\*?/g, '{}')}`;

/** Routes whose template differs from GitHub's, each with the reason it is still the same operation. */
const SAME_OPERATION_ELSEWHERE: Record<string, { as: string; reason: string }> = {
  'GET /repos/{}/{}/contents': {
    as: 'GET /repos/{}/{}/contents/{}',
    reason:
      "repos.getContent for the repository root: GitHub's {path} may be empty, and clients ask for it without the trailing slash",
  },
};

/**
 * Routes that are not REST at all, each with its reason. GitHub's GraphQL API is one endpoint,
 * `POST /graphql` (docs.github.com "Forming calls with GraphQL"); its operations are mutations in the
 * body, checked by test/actions/ready-for-review.test.ts with Octokit's graphql client.
 */
const NOT_REST: Record<string, string> = {
  'POST /graphql': 'GitHub’s GraphQL endpoint: draft ↔ ready for review changes only through it',
};

function octokitOperations(): Map<string, string[]> {
  const rest = restEndpointMethods(new Octokit()).rest as unknown as Record<
    string,
    Record<string, { endpoint: { DEFAULTS: { method: string; url: string } } }>
  >;
  const out = new Map<string, string[]>();
  for (const [scope, methods] of Object.entries(rest))
    for (const [name, fn] of Object.entries(methods)) {
      const key = shape(fn.endpoint.DEFAULTS.method, fn.endpoint.DEFAULTS.url);
      out.set(key, [...(out.get(key) ?? []), `${scope}.${name}`]);
    }
  return out;
}

describe("the sandbox's GitHub routes", () => {
  const operations = octokitOperations();

  const restRoutes = ROUTES.filter((r) => !(shape(r.method, r.path) in NOT_REST));

  it.each(restRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s is a GitHub operation under its Octokit name',
    (_, route) => {
      const key = shape(route.method, route.path);
      const github = operations.get(key) ?? operations.get(SAME_OPERATION_ELSEWHERE[key]?.as ?? '');
      expect(github, `${key} is not in GitHub's REST API`).toBeDefined();
      expect(github).toContain(route.operation);
    },
  );

  it('every written exception is still needed', () => {
    const keys = new Set(ROUTES.map((r) => shape(r.method, r.path)));
    for (const key of [...Object.keys(SAME_OPERATION_ELSEWHERE), ...Object.keys(NOT_REST)])
      expect(keys.has(key), key).toBe(true);
  });
});
