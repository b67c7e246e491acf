/**
 * An App installation token minted by actions/create-github-app-token lasts GitHub's hour of
 * simulated time, but never less than the real-time floor the runner gives jobs: at speed 1200 a
 * simulated hour is 3 real seconds, less than a node process may take to start on a busy machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './runner-harness.ts';

const WORKFLOW = `name: app-token
on: workflow_dispatch
permissions:
  contents: read
jobs:
  use:
    runs-on: ubuntu-24.04
    # The App's key is a secret of the main-only environments, as the README sets it up.
    environment: change-control
    steps:
      - id: app
        uses: actions/create-github-app-token@0000000000000000000000000000000000000000
        with:
          client-id: \${{ vars.FLAGOPS_APP_CLIENT_ID }}
          private-key: \${{ secrets.FLAGOPS_APP_PRIVATE_KEY }}
          permission-issues: write
      # Four real seconds: 80 simulated minutes at speed 1200, past a simulated hour.
      - run: sleep 4
      - env:
          TOKEN: \${{ steps.app.outputs.token }}
        run: >-
          node -e 'fetch(process.env.GITHUB_API_URL + "/repos/" + process.env.GITHUB_REPOSITORY + "/issues",
          { method: "POST", headers: { authorization: "token " + process.env.TOKEN },
          body: JSON.stringify({ title: "from the job" }) })
          .then((r) => { console.log("issue answered " + r.status); process.exit(r.status === 201 ? 0 : 1); })'
`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    { '.github/workflows/app-token.yml': WORKFLOW, 'README.md': 'seed\n' },
    { speed: 1200, minTimeoutMs: 60_000 },
  );
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('App installation tokens in a job', () => {
  it('still work after a simulated hour within the real-time floor, and are revoked when the job ends', async () => {
    await h.user('olivia').rest.actions.createWorkflowDispatch({
      owner: 'ons',
      repo: 'flags',
      workflow_id: 'app-token.yml',
      ref: 'main',
    });
    await h.idle();
    const [run] = await h.runs({ event: 'workflow_dispatch' });
    const [job] = await h.jobs(run!['id'] as number);
    const log = await h.log(job!['id'] as number);
    expect(run!['conclusion'], log).toBe('success');
    expect(log).toContain('issue answered 201');
    const live = h.sandbox.github.world.state.tokens.filter((t) => t.kind === 'installation');
    expect(live).toEqual([]);
  }, 120_000);
});
