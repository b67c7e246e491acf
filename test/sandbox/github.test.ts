import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../packages/sandbox/src/clock.ts';
import { BareRepository } from '../../packages/sandbox/src/github/git.ts';
import { createGitHub } from '../../packages/sandbox/src/github/service.ts';
import { type RunningServer, startServer } from '../../packages/sandbox/src/server.ts';
import { git } from '../helpers/git.ts';

type Octokit = ReturnType<typeof getOctokit>;

const owner = 'ons';
const repo = 'flags';
const START = Date.parse('2025-03-01T09:00:00Z');

let tmp: string;
let seedDir: string;
let server: RunningServer;
let gitRemote: string;
let alice: Octokit;
let bob: Octokit;
let carol: Octokit;
let bot: Octokit;

function client(token: string): Octokit {
  return getOctokit(token, { baseUrl: `${server.url}/github` });
}

async function start(
  workDir: string,
  statePath?: string,
): Promise<{ server: RunningServer; gitRemote: string }> {
  let remote = '';
  const running = await startServer({
    ...(statePath !== undefined ? { statePath } : {}),
    // Frozen simulated time: timestamps only move when a test advances the clock.
    clock: new SimClock({ start: START, speed: 0 }),
    services: (ctx) => {
      const github = createGitHub(ctx, { workDir, seedDir, repository: `${owner}/${repo}` });
      remote = github.gitRemote;
      return [github];
    },
  });
  return { server: running, gitRemote: remote };
}

/** Clone, change files on a new branch, push; returns the clone and the pushed head. */
function pushBranch(
  branch: string,
  files: Record<string, string>,
  from = 'main',
): { clone: string; sha: string } {
  const clone = mkdtempSync(join(tmp, 'clone-'));
  git(tmp, 'clone', '--quiet', gitRemote, clone);
  git(clone, 'checkout', '--quiet', '-b', branch, `origin/${from}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(clone, path, '..'), { recursive: true });
    writeFileSync(join(clone, path), content);
  }
  git(clone, 'add', '--all');
  git(clone, 'commit', '--quiet', '-m', `Change ${Object.keys(files).join(', ')}`);
  git(clone, 'push', '--quiet', 'origin', branch);
  return { clone, sha: git(clone, 'rev-parse', 'HEAD') };
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number; data: Record<string, unknown>; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (err) {
    const e = err as {
      status: number;
      response: { data: Record<string, unknown>; headers: Record<string, string> };
    };
    return { status: e.status, data: e.response.data, headers: e.response.headers };
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-github-test-'));
  seedDir = join(tmp, 'seed');
  mkdirSync(join(seedDir, 'flags', 'app', 'production'), { recursive: true });
  mkdirSync(join(seedDir, 'node_modules', 'left-pad'), { recursive: true });
  writeFileSync(join(seedDir, 'README.md'), '# flags\n');
  writeFileSync(join(seedDir, 'flags', 'app', 'production', 'feature-flags.yaml'), 'percentage: 10\n');
  writeFileSync(join(seedDir, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1;\n');
  ({ server, gitRemote } = await start(join(tmp, 'work')));
  alice = client('sandbox-user-alice');
  bob = client('sandbox-user-bob');
  carol = client('sandbox-user-carol');
  bot = client('sandbox-bot-flagops');
});

afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('seeding', () => {
  it('puts the seed directory on main, without node_modules, as one deterministic commit', () => {
    const files = git(tmp, '--git-dir', gitRemote, 'ls-tree', '-r', '--name-only', 'main').split('\n');
    expect(files).toEqual(['README.md', 'flags/app/production/feature-flags.yaml']);
    const log = git(tmp, '--git-dir', gitRemote, 'log', '--format=%an <%ae>', 'main');
    expect(log).toBe('flagops sandbox <sandbox@flagops.invalid>');

    const again = new BareRepository(join(tmp, 'reseeded.git'));
    const first = git(tmp, '--git-dir', gitRemote, 'rev-list', '--max-parents=0', 'main');
    expect(again.seed(seedDir)).toBe(first);
  });

  it('honours .gitignore when the seed directory is a git checkout', () => {
    const checkout = join(tmp, 'checkout');
    mkdirSync(checkout);
    git(checkout, 'init', '--quiet');
    writeFileSync(join(checkout, '.gitignore'), 'secret.txt\n');
    writeFileSync(join(checkout, 'tracked.txt'), 'a\n');
    git(checkout, 'add', 'tracked.txt', '.gitignore');
    git(checkout, 'commit', '--quiet', '-m', 'init');
    writeFileSync(join(checkout, 'untracked.txt'), 'b\n');
    writeFileSync(join(checkout, 'secret.txt'), 'c\n');
    const bare = new BareRepository(join(tmp, 'from-checkout.git'));
    bare.seed(checkout);
    const files = git(tmp, '--git-dir', bare.path, 'ls-tree', '-r', '--name-only', 'main').split('\n');
    expect(files).toEqual(['.gitignore', 'tracked.txt', 'untracked.txt']);
  });
});

describe('identity', () => {
  it('maps user and bot tokens to their identities', async () => {
    const user = await alice.rest.users.getAuthenticated();
    expect(user.data).toMatchObject({ login: 'alice', type: 'User' });
    const app = await bot.rest.users.getAuthenticated();
    expect(app.data).toMatchObject({ login: 'flagops[bot]', type: 'Bot' });
    expect(app.data.id).not.toBe(user.data.id);
  });

  it('refuses unknown tokens with 401 Bad credentials', async () => {
    const res = await failure(client('ghp_real_token').rest.repos.get({ owner, repo }));
    expect(res.status).toBe(401);
    expect(res.data['message']).toBe('Bad credentials');
  });
});

describe('repository, refs and contents', () => {
  it('serves the repository, its branches and file contents', async () => {
    const { data } = await alice.rest.repos.get({ owner, repo });
    expect(data).toMatchObject({ full_name: 'ons/flags', default_branch: 'main' });
    const branch = await alice.rest.repos.getBranch({ owner, repo, branch: 'main' });
    expect(branch.data.commit.sha).toBe(git(tmp, '--git-dir', gitRemote, 'rev-parse', 'main'));
    const file = await alice.rest.repos.getContent({
      owner,
      repo,
      path: 'flags/app/production/feature-flags.yaml',
    });
    const content = file.data as { content: string; encoding: string };
    expect(Buffer.from(content.content, 'base64').toString()).toBe('percentage: 10\n');
    const dir = await alice.rest.repos.getContent({ owner, repo, path: 'flags' });
    expect((dir.data as Array<{ name: string; type: string }>).map((e) => [e.name, e.type])).toEqual([
      ['app', 'dir'],
    ]);
  });

  it('creates, fast-forwards, refuses non-fast-forward updates and deletes refs', async () => {
    const main = git(tmp, '--git-dir', gitRemote, 'rev-parse', 'main');
    const created = await bot.rest.git.createRef({ owner, repo, ref: 'refs/heads/tools/one', sha: main });
    expect(created.status).toBe(201);
    const dup = await failure(
      bot.rest.git.createRef({ owner, repo, ref: 'refs/heads/tools/one', sha: main }),
    );
    expect(dup.status).toBe(422);
    expect(dup.data['errors']).toEqual([expect.objectContaining({ message: 'Reference already exists' })]);

    const { sha: ahead } = pushBranch('tools/two', { 'two.txt': '2\n' });
    await bot.rest.git.updateRef({ owner, repo, ref: 'heads/tools/one', sha: ahead });
    const got = await bot.rest.git.getRef({ owner, repo, ref: 'heads/tools/one' });
    expect(got.data.object.sha).toBe(ahead);
    const backwards = await failure(
      bot.rest.git.updateRef({ owner, repo, ref: 'heads/tools/one', sha: main }),
    );
    expect(backwards.status).toBe(422);
    await bot.rest.git.updateRef({ owner, repo, ref: 'heads/tools/one', sha: main, force: true });

    const matching = await bot.rest.git.listMatchingRefs({ owner, repo, ref: 'heads/tools/' });
    expect(matching.data.map((r) => r.ref)).toEqual(['refs/heads/tools/one', 'refs/heads/tools/two']);
    await bot.rest.git.deleteRef({ owner, repo, ref: 'heads/tools/one' });
    expect((await failure(bot.rest.git.getRef({ owner, repo, ref: 'heads/tools/one' }))).status).toBe(404);
  });
});

describe('a pull request from push to merge', () => {
  it('opens, reviews, comments, labels, checks and merges a real branch', async () => {
    const { sha: head } = pushBranch('traffic-25', {
      'flags/app/production/feature-flags.yaml': 'percentage: 25\n',
    });

    const missing = await failure(
      alice.rest.pulls.create({ owner, repo, title: 'x', head: 'no-such-branch', base: 'main' }),
    );
    expect(missing.status).toBe(422);
    expect(missing.data).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }],
      status: '422',
    });

    const created = await alice.rest.pulls.create({
      owner,
      repo,
      title: 'Route 25% of queries to InfluxDB',
      head: 'traffic-25',
      base: 'main',
      body: 'Step two of the migration.',
    });
    expect(created.status).toBe(201);
    const pr = created.data;
    expect(pr).toMatchObject({
      number: 1,
      state: 'open',
      merged: false,
      mergeable: true,
      draft: false,
      user: { login: 'alice', type: 'User' },
      head: { ref: 'traffic-25', sha: head, label: 'ons:traffic-25' },
      base: { ref: 'main' },
      created_at: '2025-03-01T09:00:00Z',
    });
    expect(pr.html_url).toBe(`${server.url}/github-web/ons/flags/pull/1`);

    const dup = await failure(
      alice.rest.pulls.create({ owner, repo, title: 'again', head: 'ons:traffic-25', base: 'main' }),
    );
    expect(dup.status).toBe(422);
    expect(dup.data['errors']).toEqual([
      expect.objectContaining({ message: 'A pull request already exists for ons:traffic-25.' }),
    ]);

    const files = await alice.rest.pulls.listFiles({ owner, repo, pull_number: 1 });
    expect(files.data).toEqual([
      expect.objectContaining({
        filename: 'flags/app/production/feature-flags.yaml',
        status: 'modified',
        additions: 1,
        deletions: 1,
        changes: 2,
        patch: '@@ -1 +1 @@\n-percentage: 10\n+percentage: 25',
      }),
    ]);

    // Reviews: requested reviewers, no self-approval, approval, changes requested, dismissal.
    await alice.rest.pulls.requestReviewers({ owner, repo, pull_number: 1, reviewers: ['bob', 'carol'] });
    const requested = await alice.rest.pulls.listRequestedReviewers({ owner, repo, pull_number: 1 });
    expect(requested.data.users.map((u) => u.login)).toEqual(['bob', 'carol']);
    const self = await failure(
      alice.rest.pulls.createReview({ owner, repo, pull_number: 1, event: 'APPROVE' }),
    );
    expect(self.status).toBe(422);
    expect(self.data['errors']).toEqual(['Can not approve your own pull request']);

    server.clock.advance(60_000);
    const approval = await bob.rest.pulls.createReview({ owner, repo, pull_number: 1, event: 'APPROVE' });
    expect(approval.data).toMatchObject({
      state: 'APPROVED',
      commit_id: head,
      user: { login: 'bob' },
      submitted_at: '2025-03-01T09:01:00Z',
    });
    const changes = await carol.rest.pulls.createReview({
      owner,
      repo,
      pull_number: 1,
      event: 'REQUEST_CHANGES',
      body: 'Wait for the 10% step to bake.',
    });
    expect(changes.data.state).toBe('CHANGES_REQUESTED');
    const afterReviews = await alice.rest.pulls.listRequestedReviewers({ owner, repo, pull_number: 1 });
    expect(afterReviews.data.users).toEqual([]);
    const dismissed = await alice.rest.pulls.dismissReview({
      owner,
      repo,
      pull_number: 1,
      review_id: changes.data.id,
      message: 'The 10% step has baked.',
    });
    expect(dismissed.data.state).toBe('DISMISSED');
    const reviews = await alice.rest.pulls.listReviews({ owner, repo, pull_number: 1 });
    expect(reviews.data.map((r) => [r.user?.login, r.state])).toEqual([
      ['bob', 'APPROVED'],
      ['carol', 'DISMISSED'],
    ]);

    // Sticky comment: create then update in place.
    const comment = await bot.rest.issues.createComment({
      owner,
      repo,
      issue_number: 1,
      body: 'plan: 10 → 25',
    });
    expect(comment.status).toBe(201);
    expect(comment.data.user?.login).toBe('flagops[bot]');
    server.clock.advance(5_000);
    const updated = await bot.rest.issues.updateComment({
      owner,
      repo,
      comment_id: comment.data.id,
      body: 'plan: 10 → 25 (approved)',
    });
    expect(updated.data.body).toBe('plan: 10 → 25 (approved)');
    expect(updated.data.updated_at).not.toBe(updated.data.created_at);
    const comments = await alice.rest.issues.listComments({ owner, repo, issue_number: 1 });
    expect(comments.data.map((c) => c.body)).toEqual(['plan: 10 → 25 (approved)']);

    // Labels: adding an unknown one creates it.
    await bot.rest.issues.createLabel({ owner, repo, name: 'flagops:production', color: 'd73a4a' });
    const labelled = await bot.rest.issues.addLabels({
      owner,
      repo,
      issue_number: 1,
      labels: ['flagops:production', 'traffic'],
    });
    expect(labelled.data.map((l) => [l.name, l.color])).toEqual([
      ['flagops:production', 'd73a4a'],
      ['traffic', 'ededed'],
    ]);
    const onIssue = await alice.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: 1 });
    expect(onIssue.data.map((l) => l.name)).toEqual(['flagops:production', 'traffic']);

    // Statuses: the latest per context decides the combined state.
    const pending = await alice.rest.repos.getCombinedStatusForRef({ owner, repo, ref: head });
    expect(pending.data).toMatchObject({ state: 'pending', total_count: 0 });
    await bot.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: head,
      state: 'failure',
      context: 'flagops/change-control',
    });
    await bot.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: head,
      state: 'success',
      context: 'flagops/validate',
    });
    expect(
      (await alice.rest.repos.getCombinedStatusForRef({ owner, repo, ref: 'traffic-25' })).data.state,
    ).toBe('failure');
    await bot.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: head,
      state: 'success',
      context: 'flagops/change-control',
    });
    const combined = await alice.rest.repos.getCombinedStatusForRef({ owner, repo, ref: head });
    expect(combined.data.state).toBe('success');
    expect(combined.data.statuses.map((s) => [s.context, s.state]).sort()).toEqual([
      ['flagops/change-control', 'success'],
      ['flagops/validate', 'success'],
    ]);
    const all = await alice.rest.repos.listCommitStatusesForRef({ owner, repo, ref: head });
    expect(all.data.map((s) => s.state)).toEqual(['success', 'success', 'failure']);
    const badState = await failure(
      bot.rest.repos.createCommitStatus({ owner, repo, sha: head, state: 'green' as 'success' }),
    );
    expect(badState.status).toBe(422);

    // Merge: a stale sha is refused, then a real merge commit lands on main.
    const mainBefore = git(tmp, '--git-dir', gitRemote, 'rev-parse', 'main');
    const stale = await failure(alice.rest.pulls.merge({ owner, repo, pull_number: 1, sha: mainBefore }));
    expect(stale.status).toBe(409);
    server.clock.advance(60_000);
    const merged = await bob.rest.pulls.merge({ owner, repo, pull_number: 1, sha: head });
    expect(merged.data).toMatchObject({ merged: true, message: 'Pull Request successfully merged' });
    const parents = git(tmp, '--git-dir', gitRemote, 'log', '-1', '--format=%P', 'main').split(' ');
    expect(parents).toEqual([mainBefore, head]);
    expect(git(tmp, '--git-dir', gitRemote, 'rev-parse', 'main')).toBe(merged.data.sha);
    expect(git(tmp, '--git-dir', gitRemote, 'log', '-1', '--format=%s|%an|%cI', 'main')).toBe(
      'Merge pull request #1 from ons/traffic-25|bob|2025-03-01T09:02:05+00:00',
    );
    expect(git(tmp, '--git-dir', gitRemote, 'show', 'main:flags/app/production/feature-flags.yaml')).toBe(
      'percentage: 25',
    );
    const after = await alice.rest.pulls.get({ owner, repo, pull_number: 1 });
    expect(after.data).toMatchObject({
      state: 'closed',
      merged: true,
      merge_commit_sha: merged.data.sha,
      merged_by: { login: 'bob' },
      merged_at: '2025-03-01T09:02:05Z',
    });
    const again = await failure(bob.rest.pulls.merge({ owner, repo, pull_number: 1 }));
    expect(again.status).toBe(405);
    await alice.rest.pulls.checkIfMerged({ owner, repo, pull_number: 1 });

    const closed = await alice.rest.pulls.list({ owner, repo, state: 'closed', head: 'ons:traffic-25' });
    expect(closed.data.map((p) => p.number)).toEqual([1]);
    const open = await alice.rest.pulls.list({ owner, repo, state: 'open' });
    expect(open.data.map((p) => p.number)).not.toContain(1);
  });

  it('refuses to merge a conflicting pull request with 405', async () => {
    pushBranch('conflict-a', { 'conflict.txt': 'a\n' });
    pushBranch('conflict-b', { 'conflict.txt': 'b\n' });
    const a = await alice.rest.pulls.create({ owner, repo, title: 'A', head: 'conflict-a', base: 'main' });
    const b = await alice.rest.pulls.create({ owner, repo, title: 'B', head: 'conflict-b', base: 'main' });
    await alice.rest.pulls.merge({ owner, repo, pull_number: a.data.number, merge_method: 'squash' });
    const squash = git(tmp, '--git-dir', gitRemote, 'log', '-1', '--format=%P|%s', 'main');
    expect(squash).toMatch(/^[0-9a-f]{40}\|A \(#\d+\)$/);
    const view = await alice.rest.pulls.get({ owner, repo, pull_number: b.data.number });
    expect(view.data).toMatchObject({ mergeable: false, mergeable_state: 'dirty' });
    const res = await failure(alice.rest.pulls.merge({ owner, repo, pull_number: b.data.number }));
    expect(res.status).toBe(405);
    expect(String(res.data['message'])).toMatch(/^Pull Request is not mergeable/);

    const closed = await alice.rest.pulls.update({
      owner,
      repo,
      pull_number: b.data.number,
      state: 'closed',
      title: 'B (dropped)',
    });
    expect(closed.data).toMatchObject({ state: 'closed', title: 'B (dropped)', merged: false });
  });

  it('compares branches', async () => {
    pushBranch('compare-me', { 'c1.txt': '1\n' });
    const { data } = await alice.rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: 'main...compare-me',
    });
    expect(data).toMatchObject({ status: 'ahead', ahead_by: 1, behind_by: 0, total_commits: 1 });
    expect(data.files?.map((f) => [f.filename, f.status])).toEqual([['c1.txt', 'added']]);
    const back = await alice.rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: 'compare-me...main',
    });
    expect(back.data).toMatchObject({ status: 'behind', ahead_by: 0, behind_by: 1 });
  });
});

describe('errors and pagination', () => {
  it('answers unknown things with GitHub-shaped 404 bodies', async () => {
    const pull = await failure(alice.rest.pulls.get({ owner, repo, pull_number: 999 }));
    expect(pull.status).toBe(404);
    expect(pull.data).toMatchObject({ message: 'Not Found', status: '404' });
    expect(typeof pull.data['documentation_url']).toBe('string');
    expect((await failure(alice.rest.repos.get({ owner: 'someone', repo: 'else' }))).status).toBe(404);
    const branch = await failure(alice.rest.repos.getBranch({ owner, repo, branch: 'nope' }));
    expect(branch.data['message']).toBe('Branch not found');
  });

  it('pages with Link headers that octokit.paginate follows', async () => {
    pushBranch('chatty', { 'chatty.txt': 'x\n' });
    const { data: pr } = await alice.rest.pulls.create({
      owner,
      repo,
      title: 'Chatty',
      head: 'chatty',
      base: 'main',
    });
    for (let i = 0; i < 105; i++)
      await bot.rest.issues.createComment({ owner, repo, issue_number: pr.number, body: `comment ${i}` });
    const firstPage = await alice.rest.issues.listComments({
      owner,
      repo,
      issue_number: pr.number,
      per_page: 100,
    });
    expect(firstPage.data).toHaveLength(100);
    expect(firstPage.headers.link).toContain(
      `${server.url}/github/repos/ons/flags/issues/${pr.number}/comments?`,
    );
    expect(firstPage.headers.link).toContain('rel="next"');
    const all = await alice.paginate(alice.rest.issues.listComments, {
      owner,
      repo,
      issue_number: pr.number,
      per_page: 100,
    });
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 105 }, (_, i) => `comment ${i}`));
    const second = await alice.rest.issues.listComments({
      owner,
      repo,
      issue_number: pr.number,
      per_page: 100,
      page: 2,
    });
    expect(second.data).toHaveLength(5);
    expect(second.headers.link).toContain('rel="prev"');
    expect(second.headers.link).toContain('rel="first"');
    expect(second.headers.link).not.toContain('rel="next"');
  });

  it('throttles with a secondary rate limit when a fault is injected', async () => {
    server.faults.add({ operation: 'issues.createComment', kind: 'throttle', count: 1 });
    const res = await failure(bot.rest.issues.createComment({ owner, repo, issue_number: 1, body: 'x' }));
    expect(res.status).toBe(403);
    expect(res.headers['retry-after']).toBe('1');
    expect(String(res.data['message'])).toContain('You have exceeded a secondary rate limit');
    const next = await bot.rest.issues.createComment({ owner, repo, issue_number: 1, body: 'x' });
    expect(next.status).toBe(201);
  });
});

describe('deployments', () => {
  it('records deployments and their statuses, marking earlier successes inactive', async () => {
    const first = await bot.rest.repos.createDeployment({
      owner,
      repo,
      ref: 'main',
      environment: 'production',
      required_contexts: [],
      auto_merge: false,
    });
    expect(first.status).toBe(201);
    const firstId = (first.data as { id: number }).id;
    await bot.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: firstId, state: 'success' });
    const second = await bot.rest.repos.createDeployment({
      owner,
      repo,
      ref: 'main',
      environment: 'production',
      required_contexts: [],
    });
    const secondId = (second.data as { id: number }).id;
    await bot.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: secondId, state: 'success' });
    const statuses = await bot.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: firstId });
    expect(statuses.data.map((s) => s.state)).toEqual(['inactive', 'success']);
    const list = await bot.rest.repos.listDeployments({ owner, repo, environment: 'production' });
    expect(list.data.map((d) => d.id)).toEqual([secondId, firstId]);
    const got = await bot.rest.repos.getDeployment({ owner, repo, deployment_id: firstId });
    expect(got.data.sha).toBe(git(tmp, '--git-dir', gitRemote, 'rev-parse', 'main'));

    const mainSha = git(tmp, '--git-dir', gitRemote, 'rev-parse', 'main');
    await bot.rest.repos.createCommitStatus({ owner, repo, sha: mainSha, state: 'pending', context: 'ci' });
    const blocked = await failure(bot.rest.repos.createDeployment({ owner, repo, ref: 'main' }));
    expect(blocked.status).toBe(409);
  });
});

describe('persistence', () => {
  it('survives dump and load into a new sandbox on the same work directory, and resets', async () => {
    const github = server.services[0];
    const dumped = JSON.parse(JSON.stringify(github?.dump?.()));
    const second = await start(join(tmp, 'work'));
    try {
      expect(second.gitRemote).toBe(gitRemote);
      second.server.services[0]?.load?.(dumped);
      const octokit = getOctokit('sandbox-user-alice', { baseUrl: `${second.server.url}/github` });
      const pr = await octokit.rest.pulls.get({ owner, repo, pull_number: 1 });
      expect(pr.data).toMatchObject({ merged: true, title: 'Route 25% of queries to InfluxDB' });
      const reviews = await octokit.rest.pulls.listReviews({ owner, repo, pull_number: 1 });
      expect(reviews.data.map((r) => r.state)).toEqual(['APPROVED', 'DISMISSED']);
      const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: 1, body: 'new' });
      expect(created.data.id).toBeGreaterThan(
        Math.max(...(dumped.comments as Array<{ id: number }>).map((c) => c.id)),
      );

      second.server.services[0]?.reset?.();
      expect((await failure(octokit.rest.pulls.get({ owner, repo, pull_number: 1 }))).status).toBe(404);
      const branches = git(tmp, '--git-dir', gitRemote, 'for-each-ref', '--format=%(refname)');
      expect(branches).toBe('refs/heads/main');
      expect(readFileSync(join(gitRemote, 'HEAD'), 'utf8').trim()).toBe('ref: refs/heads/main');
    } finally {
      await second.server.close();
    }
  });

  it('restores pull requests and branches from a --state file after a restart', async () => {
    const workDir = join(tmp, 'stateful');
    const statePath = join(tmp, 'state.json');
    const first = await start(workDir, statePath);
    const remote = first.gitRemote;
    const clone = join(tmp, 'stateful-clone');
    git(tmp, 'clone', '--quiet', remote, clone);
    git(clone, 'checkout', '--quiet', '-b', 'kept');
    writeFileSync(join(clone, 'kept.txt'), 'kept\n');
    git(clone, 'add', '--all');
    git(clone, 'commit', '--quiet', '-m', 'kept');
    git(clone, 'push', '--quiet', 'origin', 'kept');
    const before = getOctokit('sandbox-user-alice', { baseUrl: `${first.server.url}/github` });
    await before.rest.pulls.create({ owner, repo, title: 'Kept', head: 'kept', base: 'main' });
    await first.server.close();

    const second = await start(workDir, statePath);
    try {
      const after = getOctokit('sandbox-user-alice', { baseUrl: `${second.server.url}/github` });
      const pr = await after.rest.pulls.get({ owner, repo, pull_number: 1 });
      expect(pr.data).toMatchObject({
        title: 'Kept',
        state: 'open',
        head: { sha: git(clone, 'rev-parse', 'HEAD') },
      });
      expect(pr.data.html_url).toBe(`${second.server.url}/github-web/ons/flags/pull/1`);
    } finally {
      await second.server.close();
    }
  });
});
