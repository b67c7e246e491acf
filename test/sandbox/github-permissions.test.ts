/**
 * Every route the sandbox's GitHub serves names the App permission it takes: an operation missing
 * from that table is refused to every token (drift.yml's issue was, with `issues: write`).
 */
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEEDS } from '../../packages/sandbox/src/github/access.ts';
import { ROUTES } from '../../packages/sandbox/src/github/service.ts';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';

const REPO = { owner: 'ons', repo: 'flags' };
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seedDir: `${import.meta.dirname}/../fixtures` });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

describe('token permissions per route', () => {
  it('names a permission for every operation it routes', () => {
    expect(ROUTES.map((r) => r.operation).filter((op) => !(op in NEEDS))).toEqual([]);
  });

  it('lets an issues: write token open, list and close an issue, and refuses one without it', async () => {
    const api = sandbox.env['GITHUB_API_URL']!;
    const writer = getOctokit(sandbox.github.installationToken({ issues: 'write' }), { baseUrl: api });
    const { data: issue } = await writer.rest.issues.create({ ...REPO, title: 'drift' });
    const { data: listed } = await writer.rest.issues.listForRepo({ ...REPO });
    expect(listed.map((i) => i.number)).toContain(issue.number);
    await writer.rest.issues.update({ ...REPO, issue_number: issue.number, state: 'closed' });
    const reader = getOctokit(sandbox.github.installationToken({ contents: 'read' }), { baseUrl: api });
    await expect(reader.rest.issues.create({ ...REPO, title: 'no' })).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration'),
    });
  });
});
