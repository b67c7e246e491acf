/**
 * What running the whole story through the workflows revealed about the runner, one test each:
 * a failed step's outputs reach the `if: always()` steps after it (deploy.yml's revert steps read
 * `result: rolled-back` from the failed bake step); the App's installation token outlives process
 * start-up on a fast clock; the installed App has the permissions the README's setup grants it
 * (change control asks for statuses and members); checkout honours fetch-depth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, REPO, startHarness } from './runner-harness.ts';

const PIN = '0000000000000000000000000000000000000000';

const REVEALED = `name: revealed
on: workflow_dispatch
permissions:
  contents: read
jobs:
  outputs:
    runs-on: ubuntu-24.04
    steps:
      - id: failing
        run: echo "result=rolled-back" >> "$GITHUB_OUTPUT" && exit 1
      - if: always() && contains(join(steps.*.outputs.result, ','), 'rolled-back')
        env:
          RESULT: \${{ steps.failing.outputs.result }}
        run: echo "after the failure, result=$RESULT"
  shallow:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@${PIN}
        with:
          persist-credentials: false
      - run: echo "depth-1 commits=$(git rev-list --count HEAD)"
  full:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@${PIN}
        with:
          fetch-depth: 0
          persist-credentials: false
      - run: echo "depth-0 commits=$(git rev-list --count HEAD)"
  app:
    runs-on: ubuntu-24.04
    # The App's key is a secret of the main-only environments, as the README sets it up.
    environment: change-control
    steps:
      - id: app-token
        uses: actions/create-github-app-token@${PIN}
        with:
          client-id: \${{ vars.FLAGOPS_APP_CLIENT_ID }}
          private-key: \${{ secrets.FLAGOPS_APP_PRIVATE_KEY }}
          permission-statuses: write
          permission-members: read
          permission-pull-requests: read
      # One real second is ten simulated hours at this speed: longer than GitHub's one-hour token.
      - run: sleep 1
      - env:
          TOKEN: \${{ steps.app-token.outputs.token }}
        run: >-
          node -e "fetch(process.env.GITHUB_API_URL + '/repos/' + process.env.GITHUB_REPOSITORY + '/statuses/' + process.env.GITHUB_SHA,
          { method: 'POST', headers: { authorization: 'token ' + process.env.TOKEN, 'content-type': 'application/json' },
          body: JSON.stringify({ state: 'success', context: 'from-the-app' }) }).then((r) => { console.log('status answer ' + r.status); if (!r.ok) process.exit(1); })"
`;

let h: Harness;
let jobs: Record<
  string,
  { id: number; conclusion: string | null; steps: Array<{ conclusion: string | null }> }
>;

beforeAll(async () => {
  h = await startHarness(
    { 'README.md': '# x\n', '.github/workflows/revealed.yml': REVEALED },
    // A fast clock with the runner's real-time floor, as `flagops sandbox` and the demo run it.
    { speed: 36_000, minTimeoutMs: 60_000 },
  );
  h.push('main', { 'second.txt': 'a second commit on main\n' });
  await h
    .user('olivia')
    .rest.actions.createWorkflowDispatch({ ...REPO, workflow_id: 'revealed.yml', ref: 'main' });
  await h.idle();
  const [run] = await h.runs({ event: 'workflow_dispatch' });
  jobs = Object.fromEntries(
    (await h.jobs(run!['id'] as number)).map((j) => [j.name, j]),
  ) as unknown as typeof jobs;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('the runner, as the story needs it', () => {
  it('keeps a failed step’s outputs for the if: always() steps after it', async () => {
    expect(jobs['outputs']!.steps.map((s) => s.conclusion)).toEqual([
      'success',
      'failure',
      'success',
      'success',
    ]);
    expect(await h.log(jobs['outputs']!.id)).toContain('after the failure, result=rolled-back');
  });

  it('gives the App’s token, with statuses and members as the README grants, a life longer than starting a process', async () => {
    expect(jobs['app']!.conclusion).toBe('success');
    expect(await h.log(jobs['app']!.id)).toContain('status answer 201');
    const { data } = await h.user('alice').rest.repos.listCommitStatusesForRef({ ...REPO, ref: 'main' });
    expect(data.find((s) => s.context === 'from-the-app')?.creator?.login).toBe('flagops[bot]');
  });

  it('checks out fetch-depth 1 as one commit and fetch-depth 0 with the whole history', async () => {
    expect(await h.log(jobs['shallow']!.id)).toContain('depth-1 commits=1');
    expect(await h.log(jobs['full']!.id)).toContain('depth-0 commits=2');
  });
});
