/**
 * A draft pull request marked ready for review raises `pull_request` `ready_for_review`, and one
 * converted back raises `converted_to_draft`
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request) — change-control.yml
 * listens for `ready_for_review`. GitHub offers both only as GraphQL mutations
 * (https://docs.github.com/en/graphql/reference/mutations#markpullrequestreadyforreview), which the
 * sandbox answers at GITHUB_GRAPHQL_URL for Octokit's `graphql` client; the REST API cannot
 * change `draft`. The author or someone with write access may do it; a reader may not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, REPO, startHarness } from './runner-harness.ts';

const WORKFLOW = `name: readiness
on:
  pull_request:
    types: [ready_for_review, converted_to_draft]
permissions: {}
jobs:
  say:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "action \${{ github.event.action }} draft \${{ github.event.pull_request.draft }}"
`;

const READY = `mutation($id: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { number isDraft } }
}`;
const TO_DRAFT = `mutation($id: ID!) {
  convertPullRequestToDraft(input: { pullRequestId: $id }) { pullRequest { number isDraft } }
}`;

let h: Harness;
let pull: { number: number; node_id: string };

beforeAll(async () => {
  h = await startHarness({ 'README.md': '# flags\n', '.github/workflows/readiness.yml': WORKFLOW });
  h.push('draft-idea', { 'idea.txt': 'x\n' });
  const { data } = await h
    .user('alice')
    .rest.pulls.create({ ...REPO, head: 'draft-idea', base: 'main', title: 'Draft', draft: true });
  pull = data;
  await h.idle();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function readinessRuns(): Promise<Array<Record<string, unknown>>> {
  return (await h.runs()).filter((r) => r['path'] === '.github/workflows/readiness.yml');
}

async function lastLog(): Promise<string> {
  const [run] = await readinessRuns();
  const [job] = await h.jobs(Number(run?.['id']));
  return h.log(Number(job?.['id']));
}

describe('ready for review', () => {
  it('opening a draft raises neither event', async () => {
    expect(await readinessRuns()).toEqual([]);
  });

  it('a reader who is not the author cannot mark it ready', async () => {
    await expect(h.user('erin').graphql(READY, { id: pull.node_id })).rejects.toThrow(
      'erin does not have permission to update the pull request',
    );
    const { data } = await h.user('alice').rest.pulls.get({ ...REPO, pull_number: pull.number });
    expect(data.draft).toBe(true);
  });

  it('the author marks it ready: draft false in REST, ready_for_review raised', async () => {
    const answer = await h.user('alice').graphql<{
      markPullRequestReadyForReview: { pullRequest: { number: number; isDraft: boolean } };
    }>(READY, { id: pull.node_id });
    expect(answer.markPullRequestReadyForReview.pullRequest).toMatchObject({
      number: pull.number,
      isDraft: false,
    });
    const { data } = await h.user('alice').rest.pulls.get({ ...REPO, pull_number: pull.number });
    expect(data.draft).toBe(false);
    await h.idle();
    expect(await readinessRuns()).toHaveLength(1);
    expect(await lastLog()).toContain('action ready_for_review draft false');
  });

  it('converted back to a draft by a writer: converted_to_draft raised', async () => {
    await h.user('bob').graphql(TO_DRAFT, { id: pull.node_id });
    await h.idle();
    expect(await readinessRuns()).toHaveLength(2);
    expect(await lastLog()).toContain('action converted_to_draft draft true');
  });

  it('an unknown id is an error in GraphQL’s shape', async () => {
    await expect(h.user('alice').graphql(READY, { id: 'nope' })).rejects.toThrow(
      "Could not resolve to a node with the global id of 'nope'",
    );
  });
});
