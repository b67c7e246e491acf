/**
 * Closing the sandbox while a workflow job runs (a schedule fired, a push's workflows) ends that
 * job first: its step's processes are stopped, nothing new starts — no further step, not even an
 * `always()` one — and the run is recorded cancelled. Before, `close` removed the work directory
 * under the running job, whose end then wrote the push hook's file into the removed repository and
 * crashed `flagops sandbox` on SIGINT (test/sandbox/cli.test.ts saw exit 1 with ENOENT).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Harness, REPO, startHarness } from '../actions/runner-harness.ts';

const outside = mkdtempSync(join(tmpdir(), 'flagops-shutdown-'));
const started = join(outside, 'started');
const after = join(outside, 'always-ran');

const WORKFLOW = `name: long
on: push
jobs:
  long:
    runs-on: ubuntu-latest
    steps:
      - run: touch '${started}' && sleep 300
      - if: always()
        run: touch '${after}'
`;

afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('closing the sandbox while a job runs', () => {
  let h: Harness | undefined;
  // The test closes the sandbox itself; only the scratch directory is left to remove.
  afterAll(() => {
    if (h) rmSync(h.tmp, { recursive: true, force: true });
  });

  it('stops the job, starts nothing more, records the run cancelled, and leaves no job running', async () => {
    h = await startHarness({ 'README.md': '# x\n', '.github/workflows/long.yml': WORKFLOW });
    h.push('main', { 'a.txt': 'a\n' });
    const deadline = Date.now() + 120_000;
    while (!existsSync(started) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(started)).toBe(true);
    const { data } = await h
      .user('alice')
      .request('GET /repos/{owner}/{repo}/actions/runs', { ...REPO, status: 'in_progress' });
    expect(data.workflow_runs).toHaveLength(1);

    const runner = h.sandbox.github.runner!;
    await h.sandbox.close();

    expect(runner.idle()).toBe(true);
    const [run] = h.sandbox.github.world.state.workflowRuns;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    // GitHub would run an always() step of a cancelled run; a closing sandbox starts nothing.
    expect(existsSync(after)).toBe(false);
    // An event after close starts no run (the runner is stopped, not merely idle).
    const main = h.sandbox.github.world.git.branchSha('main') ?? '';
    runner.raise({
      name: 'push',
      ref: 'refs/heads/main',
      before: main,
      after: main,
      actor: { login: 'alice', type: 'User', tokenKind: 'user' },
    });
    expect(runner.idle()).toBe(true);
  });
});
