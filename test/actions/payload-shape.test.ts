/**
 * The payloads the runner writes at GITHUB_EVENT_PATH have the key shape of GitHub's own webhook
 * examples (`@octokit/webhooks-examples`): every key all of GitHub's examples of that event and
 * activity carry, with the same JSON types. The payloads are read back from what a workflow step
 * finds at GITHUB_EVENT_PATH, for events caused the way people cause them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, REPO, startHarness } from './runner-harness.ts';
import { exampleShape, shapeMismatches } from './webhook-shape.ts';

const DUMP = `      - run: echo "EVENT $GITHUB_EVENT_NAME $(base64 -w0 < "$GITHUB_EVENT_PATH")"`;

const EVENTS = `name: events
on:
  pull_request:
    types: [opened, closed]
  pull_request_review:
    types: [submitted]
  push:
    branches: [main]
  workflow_dispatch:
    inputs:
      reason: { type: string, required: false }
jobs:
  dump:
    runs-on: ubuntu-24.04
    steps:
${DUMP}
`;

const AFTER = `name: after
on:
  workflow_run:
    workflows: [events]
    types: [completed]
jobs:
  dump:
    runs-on: ubuntu-24.04
    steps:
${DUMP}
`;

let h: Harness;
/** Payloads by `event` or `event.action`, as the step read them. */
const payloads = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  h = await startHarness({
    '.github/workflows/events.yml': EVENTS,
    '.github/workflows/after.yml': AFTER,
    'README.md': 'seed\n',
  });
  h.push('change', { 'notes.md': 'a change\n' });
  const { data: pr } = await h
    .user('alice')
    .rest.pulls.create({ ...REPO, title: 'a change', head: 'change', base: 'main' });
  await h.idle();
  await h.user('bob').rest.pulls.createReview({ ...REPO, pull_number: pr.number, event: 'APPROVE' });
  await h.idle();
  await h.user('bob').rest.pulls.merge({ ...REPO, pull_number: pr.number });
  await h.idle();
  await h.user('olivia').rest.actions.createWorkflowDispatch({
    ...REPO,
    workflow_id: 'events.yml',
    ref: 'main',
    inputs: { reason: 'check' },
  });
  await h.idle();
  for (const run of await h.runs({ per_page: '100' })) {
    const [job] = await h.jobs(run['id'] as number);
    const line = /EVENT (\S+) ([A-Za-z0-9+/=]+)/.exec(await h.log(job!['id'] as number));
    if (!line) continue;
    const payload = JSON.parse(Buffer.from(line[2]!, 'base64').toString('utf8')) as Record<string, unknown>;
    const key = typeof payload['action'] === 'string' ? `${line[1]}.${payload['action']}` : line[1]!;
    payloads.set(key, payload);
  }
}, 180_000);

afterAll(async () => {
  await h?.close();
});

describe('event payloads at GITHUB_EVENT_PATH against @octokit/webhooks-examples', () => {
  it.each([
    ['pull_request', 'opened'],
    ['pull_request', 'closed'],
    ['pull_request_review', 'submitted'],
    ['push', undefined],
    ['workflow_dispatch', undefined],
    ['workflow_run', 'completed'],
  ])('%s %s has every key GitHub’s examples all carry, with their types', (event, action) => {
    const payload = payloads.get(action ? `${event}.${action}` : event);
    expect(payload, `a ${event} ${action ?? ''} run dumped its payload`).toBeDefined();
    expect(shapeMismatches(exampleShape(event, action), payload)).toEqual([]);
  });

  it('carries what the event is about', () => {
    expect(payloads.get('pull_request.closed')).toMatchObject({
      action: 'closed',
      pull_request: { merged: true, head: { ref: 'change' } },
    });
    expect(payloads.get('workflow_dispatch')).toMatchObject({
      inputs: { reason: 'check' },
      ref: 'refs/heads/main',
    });
    expect(payloads.get('workflow_run.completed')).toMatchObject({
      workflow_run: { name: 'events', status: 'completed', conclusion: 'success' },
    });
  });

  it('the comparison fails a payload that lacks a key or has the wrong type', () => {
    const shape = exampleShape('push');
    const good = payloads.get('push')!;
    const { pusher: _, ...withoutPusher } = good;
    expect(shapeMismatches(shape, withoutPusher)).toContain('$.pusher: missing');
    expect(shapeMismatches(shape, { ...good, forced: 'no' })).toContain(
      "$.forced: string, GitHub's examples have boolean",
    );
  });
});
