/**
 * Attacks 1 and 6 through the workflows as the sandbox runs them (this repository's own
 * workflows and committed bundles), on a repository set up as the README's "Setting up a real
 * repository" says: main protected with `flagops protect`'s body (the status required from the
 * App, code owners, dismiss stale), the App key a secret of the environment `change-control`
 * limited to main, CODEOWNERS on main.
 *
 * A collaborator's same-repository pull request rewrites change-control.yml to post
 * `flagops/change-control: success` with its GITHUB_TOKEN, and adds a workflow that tries to mint
 * the App's token (inside the environment and outside it). The forged status is posted — and does
 * not count; the App's own verdict, computed by main's change-control.yml, says what is missing;
 * the merge is refused with GitHub's words until the strictest approvals and the code owners are
 * there. Attack 6: a pull request that rewrites the plan action's bundle: the plan job runs the
 * base's bundle on the pull request's tree read from git, so the rewritten code never runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { loadWorkingTree } from '../../src/model/revision.ts';
import { protectionFor } from '../../src/protect/settings.ts';
import { git } from '../helpers/git.ts';

const REPO = { owner: 'ons', repo: 'flags' };
const APP_TOKEN_ACTION = 'actions/create-github-app-token@1b10c78c7865c340bc4f6099eb2f838309f1e8c3';

const FORGED_JUDGE = `name: change control
on: [pull_request]
permissions:
  contents: read
jobs:
  change-control:
    name: count approvals
    runs-on: ubuntu-24.04
    permissions:
      statuses: write
    steps:
      - name: Post flagops/change-control success
        env:
          TOKEN: \${{ github.token }}
          SHA: \${{ github.event.pull_request.head.sha }}
        run: |
          curl -sf -X POST -H "authorization: token $TOKEN" -H "content-type: application/json" \\
            -d '{"state":"success","context":"flagops/change-control","description":"forged"}' \\
            "$GITHUB_API_URL/repos/$GITHUB_REPOSITORY/statuses/$SHA"
`;

const APP_TOKEN_STEP = `      - uses: ${APP_TOKEN_ACTION}
        with:
          client-id: \${{ vars.FLAGOPS_APP_CLIENT_ID }}
          private-key: \${{ secrets.FLAGOPS_APP_PRIVATE_KEY }}
          permission-statuses: write
`;

const FORGE = `name: forge
on: [pull_request]
permissions:
  contents: read
jobs:
  in-the-environment:
    runs-on: ubuntu-24.04
    environment: change-control
    steps:
${APP_TOKEN_STEP}
  outside-it:
    runs-on: ubuntu-24.04
    steps:
${APP_TOKEN_STEP}
`;

let tmp: string;
let sandbox: Sandbox;
const user = (login: string) =>
  getOctokit(`sandbox-user-${login}`, { baseUrl: sandbox.env['GITHUB_API_URL']! });

async function idle(): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/workflows/idle?timeout_ms=240000`);
  expect(((await res.json()) as { idle: boolean }).idle).toBe(true);
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { status: number; response: { data: { message: string } } };
    return { status: e.status, message: e.response.data.message };
  }
  throw new Error('expected the merge to be refused');
}

/** The change-control statuses on a commit, newest first, with who posted them. */
async function verdicts(sha: string) {
  const { data } = await user('alice').rest.repos.listCommitStatusesForRef({ ...REPO, ref: sha });
  return data
    .filter((s) => s.context === 'flagops/change-control')
    .map((s) => ({ by: s.creator?.login, state: s.state, description: s.description }));
}

async function runsOf(workflow: string, sha: string) {
  const { data } = await user('alice').rest.actions.listWorkflowRunsForRepo({ ...REPO, head_sha: sha });
  return data.workflow_runs.filter((r) => r.path === `.github/workflows/${workflow}`);
}

async function jobsOf(runId: number) {
  const { data } = await user('alice').rest.actions.listJobsForWorkflowRun({ ...REPO, run_id: runId });
  return data.jobs;
}

async function jobLog(id: number): Promise<string> {
  const res = await fetch(`${sandbox.env['GITHUB_API_URL']}/repos/ons/flags/actions/jobs/${id}/logs`, {
    headers: { authorization: 'token sandbox-user-alice' },
  });
  return res.text();
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-attack-1-'));
  sandbox = await startSandbox({ workDir: join(tmp, 'work'), speed: 1, workflows: true, protectMain: false });
  const settings = sandbox.github.world.state.settings;
  // The README: the App key is a secret of the main-only environments (change-control among
  // them), never a repository secret a pull request's workflow could read.
  expect(settings.secrets).toEqual([]);
  expect(settings.environments.find((e) => e.name === 'change-control')?.secrets.map((s) => s.name)).toEqual([
    'FLAGOPS_APP_PRIVATE_KEY',
  ]);
  // `flagops protect --apply`'s body for this repository and the sandbox's App.
  const { protection } = protectionFor(loadWorkingTree(PROJECT_ROOT), {
    owners: '@ons/platform-leads',
    appId: settings.app.id,
  });
  await user('olivia').request('PUT /repos/{owner}/{repo}/branches/{branch}/protection', {
    ...REPO,
    branch: 'main',
    ...protection,
  } as never);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A branch off main with `files` written, pushed; returns its head. */
function push(branch: string, files: Record<string, string>): string {
  const clone = join(tmp, `clone-${branch}`);
  git(tmp, 'clone', '--quiet', sandbox.gitRemote, clone);
  git(clone, 'checkout', '--quiet', '-b', branch);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(clone, path), text);
  git(clone, 'add', '--all');
  git(clone, 'commit', '--quiet', '-m', `Change ${Object.keys(files).join(', ')}`);
  git(clone, 'push', '--quiet', 'origin', branch);
  return git(clone, 'rev-parse', 'HEAD');
}

const PRODUCTION = 'flags/ons-data-platform-app/production/feature-flags.yaml';

describe('attack 6 through the workflows: the plan job runs the base’s code on the pull request’s data', () => {
  it('a pull request that rewrites the plan bundle does not run it, and needs the code owners', async () => {
    const marker = 'PULL-REQUEST-CODE-RAN';
    const sha = push('rewrite-plan', {
      'dist/actions/plan/index.mjs': `console.log('${marker}', JSON.stringify(process.env));\n`,
      [PRODUCTION]: `${readFileSync(join(PROJECT_ROOT, PRODUCTION), 'utf8')}# tweak\n`,
    });
    const pr = (
      await user('alice').rest.pulls.create({
        ...REPO,
        title: 'plan tweaks',
        head: 'rewrite-plan',
        base: 'main',
      })
    ).data.number;
    await idle();
    const [plan] = await runsOf('pull-request.yml', sha);
    expect(plan, 'the plan workflow ran on the pull request').toBeDefined();
    const [job] = await jobsOf(plan!.id);
    const log = await jobLog(job!.id);
    // The base's plan action ran (and passed) on the pull request's values…
    expect(job?.steps?.find((st) => st.name === 'Validate and comment the plan')?.conclusion).toBe('success');
    expect(log).toContain('Validate and comment the plan');
    expect(log).not.toContain(marker);
    expect(log).not.toMatch(/AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);
    expect((await verdicts(sha)).find((v) => v.by === 'flagops[bot]')).toMatchObject({
      state: 'failure',
      description: expect.stringMatching(/code and policy needs 2 approvals/),
    });
    const refused = await refusal(user('bob').rest.pulls.merge({ ...REPO, pull_number: pr }));
    expect(refused.status).toBe(405);
    await user('alice').rest.pulls.update({ ...REPO, pull_number: pr, state: 'closed' });
  }, 600_000);
});

describe('attack 1 through the workflows: a pull request that rewrites its judge', () => {
  it('cannot merge into protected main until the strictest approvals and the code owners approve', async () => {
    const sha = push('hostile', {
      '.github/workflows/change-control.yml': FORGED_JUDGE,
      '.github/workflows/forge.yml': FORGE,
    });
    const pr = (
      await user('alice').rest.pulls.create({ ...REPO, title: 'ci tweaks', head: 'hostile', base: 'main' })
    ).data.number;
    await idle();

    // The forgery ran: its status is there, from GitHub Actions — and the App's verdict beside it.
    const posted = await verdicts(sha);
    expect(posted).toContainEqual({ by: 'github-actions[bot]', state: 'success', description: 'forged' });
    const app = posted.find((v) => v.by === 'flagops[bot]');
    expect(app?.state).toBe('failure');
    expect(app?.description).toMatch(/code and policy needs 2 approvals/);

    // Neither job could get the App's token: the environment refuses the pull request's ref, and
    // outside it the secret is empty.
    const [forge] = await runsOf('forge.yml', sha);
    expect(forge?.conclusion).toBe('failure');
    const jobs = await jobsOf(forge!.id);
    const logs = Object.fromEntries(
      await Promise.all(jobs.map(async (j) => [j.name, await jobLog(j.id)] as const)),
    );
    expect(logs['in-the-environment']).toMatch(
      /not allowed to deploy to change-control due to environment protection rules/,
    );
    expect(logs['outside-it']).toMatch(/not the App’s private key/);

    const merge = () => user('bob').rest.pulls.merge({ ...REPO, pull_number: pr });
    expect(await refusal(merge())).toEqual({
      status: 405,
      message: 'At least 1 approving review is required by reviewers with write access.',
    });

    // A writer who is not a code owner: GitHub's count is met, the code owners' is not.
    await user('dave').rest.pulls.createReview({ ...REPO, pull_number: pr, event: 'APPROVE' });
    await idle();
    expect(await refusal(merge())).toEqual({
      status: 405,
      message: 'Waiting on code owner review from ons/platform-leads.',
    });
    expect((await verdicts(sha)).find((v) => v.by === 'flagops[bot]')).toMatchObject({
      state: 'failure',
      description: expect.stringMatching(/code and policy needs 2 approvals, has 1/),
    });

    // A code owner: two approvals, one of them an owner — the App's verdict turns green.
    await user('bob').rest.pulls.createReview({ ...REPO, pull_number: pr, event: 'APPROVE' });
    await idle();
    expect((await verdicts(sha)).find((v) => v.by === 'flagops[bot]')?.state).toBe('success');
    expect((await merge()).data.merged).toBe(true);
  }, 600_000);
});
