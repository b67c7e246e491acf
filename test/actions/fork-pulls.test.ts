/**
 * Pull requests from forks, as GitHub documents them:
 *
 * - `POST /repos/{owner}/{repo}/forks` gives the caller their own repository, answered 202
 *   (https://docs.github.com/en/rest/repos/forks#create-a-fork); a pull request's `head` names
 *   `owner:branch` and its `head.repo` is the fork.
 * - Workflows a fork's pull request triggers on `pull_request` get a GITHUB_TOKEN with "read access
 *   only for pull requests from public forks", whatever `permissions:` asks, so no `id-token` either
 *   (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token),
 *   and "with the exception of GITHUB_TOKEN, secrets are not passed to the runner when a workflow is
 *   triggered from a forked repository" — variables neither
 *   (https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions).
 * - `pull_request_target` runs in the base repository's context: its secrets and a write token
 *   (https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows#pull_request_target).
 * - A push to the fork's branch moves the pull request's head and raises `synchronize`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../helpers/git.ts';
import { githubDescription } from '../helpers/github-openapi.ts';
import { type Harness, REPO, startHarness } from './runner-harness.ts';

const CREDENTIALS = 'aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c';

const WORKFLOW = `name: look
on:
  pull_request:
  pull_request_target:
permissions:
  contents: write
  issues: write
  pull-requests: write
  id-token: write
jobs:
  look:
    runs-on: ubuntu-24.04
    steps:
      - env:
          SECRET: \${{ secrets.DEPLOY_KEY }}
          VARIABLE: \${{ vars.REGION_NAME }}
        run: echo "saw secret [\${SECRET:+present}] variable [\${VARIABLE}] head ref [\${GITHUB_HEAD_REF}]"
      - env:
          TOKEN: \${{ github.token }}
          NUMBER: \${{ github.event.pull_request.number }}
        run: |
          node -e '
            fetch(process.env.GITHUB_API_URL + "/repos/ons/flags/issues/" + process.env.NUMBER + "/comments", {
              method: "POST",
              headers: { authorization: "token " + process.env.TOKEN, "content-type": "application/json" },
              body: JSON.stringify({ body: "from " + process.env.GITHUB_EVENT_NAME }),
            }).then((r) => console.log("comment answered " + r.status));
          '
      - uses: ${CREDENTIALS}
        continue-on-error: true
        with:
          role-to-assume: arn:aws:iam::000000000000:role/anything
          aws-region: eu-west-2
`;

let h: Harness;
let forkDir: string;
let forkRemote: string;
let pullNumber: number;

beforeAll(async () => {
  h = await startHarness({ 'README.md': '# flags\n', '.github/workflows/look.yml': WORKFLOW });
  const settings = h.sandbox.github.world.state.settings;
  const at = { createdAt: 0, updatedAt: 0 };
  settings.secrets.push({ name: 'DEPLOY_KEY', value: 'not-for-forks', ...at });
  settings.variables.push({ name: 'REGION_NAME', value: 'eu-west-2', ...at });
  forkDir = mkdtempSync(join(tmpdir(), 'flagops-fork-'));
}, 60_000);

afterAll(async () => {
  await h?.close();
  if (forkDir) rmSync(forkDir, { recursive: true, force: true });
});

async function runsOf(event: string): Promise<Array<Record<string, unknown>>> {
  return (await h.runs({ event })).filter((r) => r['path'] === '.github/workflows/look.yml');
}

async function logOf(run: Record<string, unknown>): Promise<string> {
  const [job] = await h.jobs(Number(run['id']));
  return h.log(Number(job?.['id']));
}

describe('forking', () => {
  it('gives mallory her own repository, answered 202 in the shape GitHub documents', async () => {
    const res = await h.user('mallory').request('POST /repos/{owner}/{repo}/forks', REPO);
    expect(res.status).toBe(202);
    const data = res.data as { full_name: string; fork: boolean; clone_url: string };
    expect(githubDescription().has('post', '/repos/{owner}/{repo}/forks')).toBe(true);
    expect(githubDescription().check('post', '/repos/{owner}/{repo}/forks', 202, data).errors ?? []).toEqual(
      [],
    );
    expect(data).toMatchObject({ full_name: 'mallory/flags', fork: true });
    forkRemote = data.clone_url;
    // Asking again answers the same fork.
    const again = await h.user('mallory').request('POST /repos/{owner}/{repo}/forks', REPO);
    expect((again.data as { clone_url: string }).clone_url).toBe(forkRemote);
  });

  it('the owner cannot fork into their own account', async () => {
    await expect(h.user('ons').request('POST /repos/{owner}/{repo}/forks', REPO)).rejects.toMatchObject({
      status: 422,
    });
  });
});

describe('a pull request from the fork', () => {
  it('names owner:branch and the fork as its head repository', async () => {
    const clone = join(forkDir, 'clone');
    git(forkDir, 'clone', '--quiet', forkRemote, clone);
    git(clone, 'checkout', '--quiet', '-b', 'idea');
    writeFileSync(join(clone, 'idea.txt'), 'one\n');
    git(clone, 'add', 'idea.txt');
    git(clone, 'commit', '--quiet', '-m', 'an idea');
    git(clone, 'push', '--quiet', 'origin', 'idea');
    const head = git(clone, 'rev-parse', 'HEAD');

    const { data } = await h
      .user('mallory')
      .rest.pulls.create({ ...REPO, head: 'mallory:idea', base: 'main', title: 'An idea' });
    pullNumber = data.number;
    expect(data.head).toMatchObject({ label: 'mallory:idea', ref: 'idea', sha: head });
    expect(data.head.repo).toMatchObject({ full_name: 'mallory/flags', fork: true });
    expect(data.base.repo).toMatchObject({ full_name: 'ons/flags', fork: false });
    await h.idle();
  });

  it('on pull_request: a read-only token, no secrets, no variables, no OIDC token', async () => {
    const [run] = await runsOf('pull_request');
    expect(run).toBeDefined();
    const log = await logOf(run!);
    expect(log).toContain('saw secret [] variable [] head ref [idea]');
    // issues: write was asked; the fork's token only reads.
    expect(log).toContain('comment answered 403');
    expect(log).toContain('no ACTIONS_ID_TOKEN_REQUEST_URL');
  });

  it('on pull_request_target: the base repository’s secrets, variables and write token', async () => {
    const [run] = await runsOf('pull_request_target');
    expect(run).toBeDefined();
    const log = await logOf(run!);
    expect(log).toContain('saw secret [present] variable [eu-west-2] head ref [idea]');
    expect(log).toContain('comment answered 201');
    expect(log).not.toContain('no ACTIONS_ID_TOKEN_REQUEST_URL');
  });

  it('a push to the fork’s branch moves the head and raises synchronize', async () => {
    const clone = join(forkDir, 'clone');
    writeFileSync(join(clone, 'idea.txt'), 'two\n');
    git(clone, 'commit', '--quiet', '-am', 'a better idea');
    git(clone, 'push', '--quiet', 'origin', 'idea');
    const head = git(clone, 'rev-parse', 'HEAD');
    await h.idle();
    const { data } = await h.user('alice').rest.pulls.get({ ...REPO, pull_number: pullNumber });
    expect(data.head.sha).toBe(head);
    const synchronized = (await runsOf('pull_request')).filter((r) => r['head_sha'] === head);
    expect(synchronized).toHaveLength(1);
    // The fork's push is not a push to this repository.
    expect((await h.runs({ event: 'push' })).length).toBe(0);
  });

  it('merges into main like any other pull request', async () => {
    const { data } = await h.user('olivia').rest.pulls.merge({ ...REPO, pull_number: pullNumber });
    expect(data.merged).toBe(true);
    const { data: file } = await h
      .user('alice')
      .rest.repos.getContent({ ...REPO, path: 'idea.txt', ref: 'main' });
    expect(Buffer.from((file as { content: string }).content, 'base64').toString()).toBe('two\n');
  });
});
