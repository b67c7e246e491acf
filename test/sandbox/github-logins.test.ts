/**
 * GitHub compares logins and environment names without case, so the sandbox does too:
 *
 * - A username is unique whatever its case: `ALICE` is the account `alice`
 *   (https://docs.github.com/en/get-started/learning-about-github/types-of-github-accounts), so
 *   `ALICE` cannot approve `alice`'s pull request ("Can not approve your own pull request",
 *   https://docs.github.com/en/rest/pulls/reviews#create-a-review-for-a-pull-request), a review by
 *   `BOB` fulfils a request to `Bob`, and adding `Carol` as a collaborator updates `carol`.
 * - CODEOWNERS owners match the approving account whatever their case
 *   (https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners).
 * - Environment names are not case sensitive
 *   (https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment):
 *   `environment: PRODUCTION` is `production`, with its branch rule.
 * - `GET /user` answers an installation token 403 "Resource not accessible by integration"
 *   (https://docs.github.com/en/rest/users/users#get-the-authenticated-user lists no GitHub App
 *   token among the tokens that work).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, REPO, startHarness } from '../actions/runner-harness.ts';

const SHOUTED_ENVIRONMENT = `name: shouted
on:
  push:
    branches: [feature-shouted]
jobs:
  deploy:
    runs-on: ubuntu-24.04
    environment: PRODUCTION
    steps:
      - run: echo "deployed from a branch"
`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    'README.md': '# x\n',
    '.github/CODEOWNERS': '/owned/ @DAVE\n',
    'owned/a.txt': 'a\n',
    '.github/workflows/shouted.yml': SHOUTED_ENVIRONMENT,
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function refusal(promise: Promise<unknown>): Promise<{ status: number; text: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { status: number; response: { data: unknown } };
    return { status: e.status, text: JSON.stringify(e.response.data) };
  }
  throw new Error('expected the request to be refused');
}

let n = 0;
async function openPull(files: Record<string, string>): Promise<number> {
  const branch = `logins-${++n}`;
  h.push(branch, files);
  const { data } = await h
    .user('alice')
    .rest.pulls.create({ ...REPO, head: branch, base: 'main', title: branch });
  return data.number;
}

describe('logins are compared without case', () => {
  it('ALICE cannot approve alice’s own pull request', async () => {
    const pull = await openPull({ 'notes/one.txt': '1\n' });
    const refused = await refusal(
      h.user('ALICE').rest.pulls.createReview({ ...REPO, pull_number: pull, event: 'APPROVE' }),
    );
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Can not approve your own pull request');
    const { data: reviews } = await h.user('alice').rest.pulls.listReviews({ ...REPO, pull_number: pull });
    expect(reviews).toEqual([]);
  });

  it('a review by BOB is bob’s and fulfils the request to Bob', async () => {
    const pull = await openPull({ 'notes/two.txt': '2\n' });
    await h.user('alice').rest.pulls.requestReviewers({ ...REPO, pull_number: pull, reviewers: ['Bob'] });
    await h.user('BOB').rest.pulls.createReview({ ...REPO, pull_number: pull, event: 'APPROVE' });
    const { data: reviews } = await h.user('alice').rest.pulls.listReviews({ ...REPO, pull_number: pull });
    expect(reviews.map((r) => r.user?.login)).toEqual(['bob']);
    const { data: requested } = await h
      .user('alice')
      .rest.pulls.listRequestedReviewers({ ...REPO, pull_number: pull });
    expect(requested.users).toEqual([]);
  });

  it('adding Carol as a collaborator updates carol instead of adding a second account', async () => {
    const added = await h
      .user('olivia')
      .rest.repos.addCollaborator({ ...REPO, username: 'Carol', permission: 'maintain' });
    expect(added.status).toBe(204);
    const { data } = await h.user('olivia').rest.repos.listCollaborators({ ...REPO });
    expect(data.filter((c) => c.login.toLowerCase() === 'carol').map((c) => c.login)).toEqual(['carol']);
    const { data: level } = await h
      .user('olivia')
      .rest.repos.getCollaboratorPermissionLevel({ ...REPO, username: 'CAROL' });
    expect(level.role_name).toBe('maintain');
  });

  it('CODEOWNERS’ @DAVE is satisfied by dave’s approval and by nobody else’s', async () => {
    await h.user('olivia').request('PUT /repos/{owner}/{repo}/branches/{branch}/protection', {
      ...REPO,
      branch: 'main',
      required_status_checks: null,
      enforce_admins: true,
      required_pull_request_reviews: { required_approving_review_count: 1, require_code_owner_reviews: true },
      restrictions: null,
    });
    const pull = await openPull({ 'owned/a.txt': 'changed\n' });
    await h.user('bob').rest.pulls.createReview({ ...REPO, pull_number: pull, event: 'APPROVE' });
    const waiting = await refusal(h.user('bob').rest.pulls.merge({ ...REPO, pull_number: pull }));
    expect(waiting.status).toBe(405);
    expect(waiting.text).toContain('DAVE');
    await h.user('dave').rest.pulls.createReview({ ...REPO, pull_number: pull, event: 'APPROVE' });
    const merged = await h.user('bob').rest.pulls.merge({ ...REPO, pull_number: pull });
    expect(merged.data.merged).toBe(true);
    await h.user('olivia').request('DELETE /repos/{owner}/{repo}/branches/{branch}/protection', {
      ...REPO,
      branch: 'main',
    });
  });
});

describe('environment names are compared without case', () => {
  it('environment: PRODUCTION is production, whose branch rule refuses a job from another branch', async () => {
    h.push('feature-shouted', { 'notes/shouted.txt': 'x\n' });
    await h.idle();
    const [run] = await h.runs({ branch: 'feature-shouted' });
    expect(run?.['conclusion']).toBe('failure');
    const [job] = await h.jobs(Number(run?.['id']));
    expect(await h.log(Number(job?.['id']))).toContain(
      'Branch "feature-shouted" is not allowed to deploy to PRODUCTION due to environment protection rules.',
    );
  });
});

describe('GET /user and App tokens', () => {
  it('an installation token is 403 “Resource not accessible by integration”; a person is 200', async () => {
    const token = h.sandbox.github.installationToken({ contents: 'read' });
    const res = await fetch(`${h.sandbox.env['GITHUB_API_URL']}/user`, {
      headers: { authorization: `token ${token}` },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toBe(
      'Resource not accessible by integration',
    );
    const { data } = await h.user('ALICE').rest.users.getAuthenticated();
    expect(data.login).toBe('alice');
  });
});
