/**
 * A sandbox that runs workflows starts with the branch protection `flagops protect --apply` sets
 * (src/protect/settings.ts), so every story runs under the real rules:
 *
 * - the one required check, `flagops/change-control`, is bound to the App: a status from any
 *   other source, such as a pull request workflow's GITHUB_TOKEN with `statuses: write`, does not
 *   satisfy it (https://docs.github.com/en/rest/branches/branch-protection#update-branch-protection,
 *   `checks[].app_id`);
 * - stale approvals are dismissed by a new push and shown DISMISSED
 *   (https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches#require-pull-request-reviews-before-merging);
 * - the most recent push must be approved by someone other than who pushed it
 *   (`require_last_push_approval`, same page).
 *
 * A sandbox without workflows (`--no-workflows`) keeps main open for API-only use.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { GIT_ENV, git } from '../helpers/git.ts';

const REPO = { owner: 'ons', repo: 'flags' };

// A pull request's own workflow posting the App's context with its GITHUB_TOKEN.
const FORGER = `name: forger
on: pull_request
permissions:
  statuses: write
jobs:
  forge:
    runs-on: ubuntu-24.04
    steps:
      - env:
          TOKEN: \${{ github.token }}
          SHA: \${{ github.event.pull_request.head.sha }}
        run: |
          node -e '
            const url = process.env.GITHUB_API_URL + "/repos/" + process.env.GITHUB_REPOSITORY + "/statuses/" + process.env.SHA;
            fetch(url, { method: "POST", headers: { authorization: "token " + process.env.TOKEN },
              body: JSON.stringify({ state: "success", context: "flagops/change-control" }) })
              .then((r) => { console.log("status " + r.status); if (!r.ok) process.exit(1); });
          '
`;

let tmp: string;
let sandbox: Sandbox;
let open: Sandbox;
const user = (login: string, s = sandbox) =>
  getOctokit(`sandbox-user-${login}`, { baseUrl: s.env['GITHUB_API_URL'] ?? '' });

function seed(files: Record<string, string>): string {
  const dir = join(tmp, `seed-${Math.random().toString(36).slice(2)}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-default-protection-'));
  sandbox = await startSandbox({
    seedDir: seed({ 'README.md': '# x\n', '.github/workflows/forger.yml': FORGER }),
    workDir: join(tmp, 'work'),
    speed: 60,
    workflows: { minTimeoutMs: 0 },
  });
  open = await startSandbox({
    seedDir: seed({ 'README.md': '# x\n' }),
    workDir: join(tmp, 'open'),
    speed: 0,
  });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  await open?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function idle(): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/workflows/idle?timeout_ms=120000`);
  expect(((await res.json()) as { idle: boolean }).idle).toBe(true);
}

function pushBranch(branch: string, s = sandbox): { clone: string; sha: string } {
  const clone = join(tmp, `clone-${branch}`);
  git(tmp, 'clone', '--quiet', s.gitRemote, clone);
  git(clone, 'checkout', '--quiet', '-b', branch);
  writeFileSync(join(clone, `${branch}.txt`), 'x\n');
  git(clone, 'add', '-A');
  git(clone, 'commit', '--quiet', '-m', branch);
  git(clone, 'push', '--quiet', 'origin', branch);
  return { clone, sha: git(clone, 'rev-parse', 'HEAD') };
}

async function mergeRefusal(pull: number): Promise<string> {
  try {
    await user('bob').rest.pulls.merge({ ...REPO, pull_number: pull });
  } catch (err) {
    return (err as { message: string }).message;
  }
  return 'merged';
}

describe('the protection a sandbox with workflows starts with', () => {
  it('is flagops protect’s: the App’s check, stale reviews dismissed, code owners, last push approval', async () => {
    const { data } = await user('olivia').rest.repos.getBranchProtection({ ...REPO, branch: 'main' });
    const appId = sandbox.github.world.state.settings.app.id;
    expect(data.required_status_checks?.checks).toEqual([
      { context: 'flagops/change-control', app_id: appId },
    ]);
    expect(data.required_pull_request_reviews).toMatchObject({
      dismiss_stale_reviews: true,
      require_code_owner_reviews: true,
      require_last_push_approval: true,
    });
    expect(data.enforce_admins?.enabled).toBe(true);
  });

  it('a pull request workflow’s statuses: write token cannot satisfy change control; the App can', async () => {
    const { sha } = pushBranch('forged');
    const { data: pr } = await user('alice').rest.pulls.create({
      ...REPO,
      head: 'forged',
      base: 'main',
      title: 'forged',
    });
    await idle();
    const { data: statuses } = await user('alice').rest.repos.listCommitStatusesForRef({ ...REPO, ref: sha });
    expect(statuses.map((s) => [s.context, s.state, s.creator?.login])).toContainEqual([
      'flagops/change-control',
      'success',
      'github-actions[bot]',
    ]);
    await user('bob').rest.pulls.createReview({ ...REPO, pull_number: pr.number, event: 'APPROVE' });
    expect(await mergeRefusal(pr.number)).toContain(
      'Required status check "flagops/change-control" is expected.',
    );
    const app = getOctokit(sandbox.github.installationToken({ statuses: 'write' }), {
      baseUrl: sandbox.env['GITHUB_API_URL'] ?? '',
    });
    await app.rest.repos.createCommitStatus({
      ...REPO,
      sha,
      state: 'success',
      context: 'flagops/change-control',
    });
    expect(await mergeRefusal(pr.number)).toBe('merged');
  });

  it('a new push dismisses the approval (DISMISSED in the API) and needs a fresh one from someone else', async () => {
    const { clone } = pushBranch('stale');
    const { data: pr } = await user('alice').rest.pulls.create({
      ...REPO,
      head: 'stale',
      base: 'main',
      title: 'stale',
    });
    await user('bob').rest.pulls.createReview({ ...REPO, pull_number: pr.number, event: 'APPROVE' });
    writeFileSync(join(clone, 'stale.txt'), 'y\n');
    git(clone, 'commit', '--quiet', '-am', 'more');
    git(clone, 'push', '--quiet', 'origin', 'stale');
    await idle();
    const { data: reviews } = await user('alice').rest.pulls.listReviews({ ...REPO, pull_number: pr.number });
    expect(reviews.map((r) => [r.user?.login, r.state])).toEqual([['bob', 'DISMISSED']]);
    expect(await mergeRefusal(pr.number)).toContain('approving review');
  });

  it('the last push, by bob, needs someone other than bob; alice’s approval then counts', async () => {
    const { clone } = pushBranch('last-push');
    const { data: pr } = await user('carol').rest.pulls.create({
      ...REPO,
      head: 'last-push',
      base: 'main',
      title: 'last push',
    });
    writeFileSync(join(clone, 'more.txt'), 'z\n');
    git(clone, 'add', '-A');
    git(clone, 'commit', '--quiet', '-m', 'bob pushes');
    execFileSync('git', ['push', '--quiet', 'origin', 'last-push'], {
      cwd: clone,
      env: { ...GIT_ENV, GITHUB_TOKEN: 'sandbox-user-bob' },
    });
    await idle();
    await user('bob').rest.pulls.createReview({ ...REPO, pull_number: pr.number, event: 'APPROVE' });
    expect(await mergeRefusal(pr.number)).toContain(
      'Approval of the most recent reviewable push is required.',
    );
    await user('alice').rest.pulls.createReview({ ...REPO, pull_number: pr.number, event: 'APPROVE' });
    expect(await mergeRefusal(pr.number)).toContain(
      'Required status check "flagops/change-control" is expected.',
    );
  });
});

describe('a sandbox without workflows', () => {
  it('keeps main open: no protection, a direct push is accepted', async () => {
    const res = await user('olivia', open)
      .request('GET /repos/{owner}/{repo}/branches/{branch}/protection', {
        ...REPO,
        branch: 'main',
      })
      .catch((err: { status: number }) => ({ status: err.status }));
    expect(res.status).toBe(404);
    const clone = join(tmp, 'open-clone');
    git(tmp, 'clone', '--quiet', open.gitRemote, clone);
    git(clone, 'commit', '--quiet', '--allow-empty', '-m', 'direct');
    git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
    expect(open.github.world.git.refTarget('refs/heads/main')).toBe(git(clone, 'rev-parse', 'HEAD'));
  });
});
