/**
 * Every route of the sandbox's GitHub names the permission it needs. A route missing from the
 * table was open to every user and closed to every App token: deleting a deployment was both (a
 * read-only collaborator could delete one; the App's deployments: write token could not).
 */
import { describe, expect, it } from 'vitest';
import { NEEDS } from '../../packages/sandbox/src/github/access.ts';
import { ROUTES } from '../../packages/sandbox/src/github/service.ts';

/** Routes that need no repository permission, and why. */
const OPEN: Record<string, string> = {};

describe('the access table', () => {
  it('names the permission of every route, or says why the route is open', () => {
    const missing = ROUTES.map((r) => r.operation).filter((op) => !NEEDS[op] && !(op in OPEN));
    expect(missing).toEqual([]);
  });

  it('lists no open route that has a permission after all', () => {
    expect(Object.keys(OPEN).filter((op) => NEEDS[op])).toEqual([]);
  });
});
