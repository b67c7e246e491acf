/**
 * The sandbox's repository is set up as the README tells a real one to be — collaborators and the
 * code-owner team, environments, variables and secrets, the installed App with installation
 * tokens, and a protected `main` enforced on merge — all through Octokit against GitHub's routes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { git } from '../helpers/git.ts';

type Octokit = ReturnType<typeof getOctokit>;
const REPO = { owner: 'ons', repo: 'flags' };

let tmp: string;
let sandbox: Sandbox;
const as = (token: string): Octokit => getOctokit(token, { baseUrl: sandbox.env['GITHUB_API_URL'] ?? '' });
const user = (login: string) => as(`sandbox-user-${login}`);

async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { status: number; response: { data: { message: string } } };
    return { status: e.status, message: e.response.data.message };
  }
  throw new Error('expected the request to fail');
}

let branchCount = 0;
/** A branch off main with one changed file, pushed with plain git; returns its name and head. */
function pushBranch(): { branch: string; sha: string } {
  const branch = `change-${++branchCount}`;
  const clone = mkdtempSync(join(tmp, 'clone-'));
  git(tmp, 'clone', '--quiet', sandbox.gitRemote, clone);
  git(clone, 'checkout', '--quiet', '-b', branch);
  mkdirSync(join(clone, 'flags'), { recursive: true });
  writeFileSync(join(clone, 'flags', `${branch}.txt`), `${branch}\n`);
  git(clone, 'add', '--all');
  git(clone, 'commit', '--quiet', '-m', branch);
  git(clone, 'push', '--quiet', 'origin', branch);
  return { branch, sha: git(clone, 'rev-parse', 'HEAD') };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-settings-'));
  const seed = join(tmp, 'seed');
  mkdirSync(seed);
  writeFileSync(join(seed, 'README.md'), '# flags\n');
  sandbox = await startSandbox({ seedDir: seed, workDir: join(tmp, 'work'), protectMain: true, speed: 0 });
  // The sandbox starts with flagops protect's protection (test/sandbox/default-protection.test.ts);
  // these tests check how GitHub enforces a protection an admin sets through the API, any checks.
  await user('olivia').rest.repos.updateBranchProtection({
    ...REPO,
    branch: 'main',
    required_status_checks: { strict: true, contexts: ['validate and plan', 'flagops/change-control'] },
    enforce_admins: true,
    required_pull_request_reviews: { required_approving_review_count: 1 },
    restrictions: null,
  });
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('who may do what', () => {
  it('answers each person’s permission, teams included, and strangers read a public repository', async () => {
    const level = async (login: string) =>
      (await user('alice').rest.repos.getCollaboratorPermissionLevel({ ...REPO, username: login })).data;
    expect((await level('alice')).permission).toBe('write');
    expect((await level('dave')).permission).toBe('write');
    expect(await level('olivia')).toMatchObject({ permission: 'admin', role_name: 'admin' });
    expect((await level('olivia')).user?.permissions).toMatchObject({ admin: true, push: true });
    expect(await level('erin')).toMatchObject({ permission: 'read', role_name: 'read' });
    expect(await level('sandbox-user-mallory')).toMatchObject({ permission: 'read' });
    expect((await level('mallory')).user?.permissions?.push).toBe(false);

    const collaborators = await user('alice').rest.repos.listCollaborators(REPO);
    expect(collaborators.data.map((c) => c.login)).toEqual([
      'alice',
      'bob',
      'carol',
      'dave',
      'erin',
      'olivia',
    ]);
    expect((await user('alice').rest.repos.checkCollaborator({ ...REPO, username: 'erin' })).status).toBe(
      204,
    );
    expect(
      (await failure(user('alice').rest.repos.checkCollaborator({ ...REPO, username: 'mallory' }))).status,
    ).toBe(404);
  });

  it('has the code-owner team ons/platform-leads = bob, carol, olivia', async () => {
    const members = await user('alice').rest.teams.listMembersInOrg({
      org: 'ons',
      team_slug: 'platform-leads',
    });
    expect(members.data.map((m) => m.login)).toEqual(['bob', 'carol', 'olivia']);
    const bob = await user('alice').rest.teams.getMembershipForUserInOrg({
      org: 'ons',
      team_slug: 'platform-leads',
      username: 'bob',
    });
    expect(bob.data).toMatchObject({ state: 'active', role: 'member' });
    const alice = user('alice').rest.teams.getMembershipForUserInOrg({
      org: 'ons',
      team_slug: 'platform-leads',
      username: 'alice',
    });
    expect((await failure(alice)).status).toBe(404);
  });

  it('lets an admin add a collaborator, and refuses a writer', async () => {
    const refused = await failure(
      user('alice').rest.repos.addCollaborator({ ...REPO, username: 'frank', permission: 'push' }),
    );
    expect(refused).toEqual({ status: 403, message: 'Must have admin rights to Repository.' });
    await user('olivia').rest.repos.addCollaborator({ ...REPO, username: 'frank', permission: 'push' });
    const frank = await user('olivia').rest.repos.getCollaboratorPermissionLevel({
      ...REPO,
      username: 'frank',
    });
    expect(frank.data.permission).toBe('write');
    await user('olivia').rest.repos.removeCollaborator({ ...REPO, username: 'frank' });
    const gone = await user('olivia').rest.repos.getCollaboratorPermissionLevel({
      ...REPO,
      username: 'frank',
    });
    expect(gone.data.permission).toBe('read');
  });
});

describe('environments, variables and secrets', () => {
  it('has development, production, change-control, flagops-watch and flagops-advance, each deployable from main only', async () => {
    const { data } = await user('alice').rest.repos.getAllEnvironments(REPO);
    expect(data.total_count).toBe(5);
    expect(data.environments?.map((e) => e.name)).toEqual([
      'development',
      'production',
      'change-control',
      'flagops-watch',
      'flagops-advance',
    ]);
    expect(data.environments?.[1]?.deployment_branch_policy).toEqual({
      protected_branches: false,
      custom_branch_policies: true,
    });
    const policies = await user('alice').rest.repos.listDeploymentBranchPolicies({
      ...REPO,
      environment_name: 'production',
    });
    expect(policies.data.branch_policies.map((p) => p.name)).toEqual(['main']);
  });

  it('has the README’s repository variables, and environment variables an admin can set', async () => {
    const { data } = await user('alice').rest.actions.listRepoVariables(REPO);
    expect(Object.fromEntries(data.variables.map((v) => [v.name, v.value]))).toEqual({
      AWS_REGION: 'eu-west-2',
      FLAGOPS_APP_CLIENT_ID: expect.stringMatching(/^Iv23/),
      FLAGOPS_DEPLOY_ROLE_ARN: 'arn:aws:iam::000000000000:role/flagops-deploy',
      FLAGOPS_PLAN_ROLE_ARN: 'arn:aws:iam::000000000000:role/flagops-plan',
      FLAGOPS_READ_ROLE_ARN: 'arn:aws:iam::000000000000:role/flagops-read',
      FLAGOPS_WATCH_ROLE_ARN: 'arn:aws:iam::000000000000:role/flagops-watch',
    });
    const env = { ...REPO, environment_name: 'production' };
    const denied = await failure(
      user('alice').rest.actions.createEnvironmentVariable({ ...env, name: 'X', value: '1' }),
    );
    expect(denied.status).toBe(403);
    await user('olivia').rest.actions.createEnvironmentVariable({ ...env, name: 'bake_note', value: 'slow' });
    const got = await user('alice').rest.actions.getEnvironmentVariable({ ...env, name: 'BAKE_NOTE' });
    expect(got.data).toMatchObject({ name: 'BAKE_NOTE', value: 'slow' });
    await user('olivia').rest.actions.updateEnvironmentVariable({ ...env, name: 'BAKE_NOTE', value: 'fast' });
    expect(
      (await user('alice').rest.actions.getEnvironmentVariable({ ...env, name: 'BAKE_NOTE' })).data.value,
    ).toBe('fast');
    await user('olivia').rest.actions.deleteEnvironmentVariable({ ...env, name: 'BAKE_NOTE' });
    expect(
      (await failure(user('alice').rest.actions.getEnvironmentVariable({ ...env, name: 'BAKE_NOTE' })))
        .status,
    ).toBe(404);
  });

  it('keeps the App’s private key in the main-only environments, never as a repository secret, and never shows it', async () => {
    const { data: repo } = await user('alice').rest.actions.listRepoSecrets(REPO);
    expect(repo.secrets).toEqual([]);
    for (const environment_name of ['change-control', 'flagops-watch', 'flagops-advance', 'production']) {
      const { data } = await user('alice').rest.actions.listEnvironmentSecrets({ ...REPO, environment_name });
      expect(data.secrets.map((s) => s.name)).toEqual(['FLAGOPS_APP_PRIVATE_KEY']);
      expect(JSON.stringify(data)).not.toContain('PRIVATE KEY-----');
    }
  });
});

describe('the installed App and its tokens', () => {
  it('acts as flagops[bot] with exactly the permissions asked for', async () => {
    const token = sandbox.github.installationToken({ contents: 'read', pull_requests: 'write' });
    const app = as(token);
    const { branch } = pushBranch();
    const pr = await app.rest.pulls.create({ ...REPO, title: 'from the App', head: branch, base: 'main' });
    expect(pr.data.user?.login).toBe('flagops[bot]');
    expect(pr.data.user?.type).toBe('Bot');
    // Outside its permissions: GitHub's sentence, and GET /user is for people only.
    const status = app.rest.repos.createCommitStatus({ ...REPO, sha: pr.data.head.sha, state: 'success' });
    expect(await failure(status)).toEqual({ status: 403, message: 'Resource not accessible by integration' });
    expect((await failure(app.rest.users.getAuthenticated())).message).toBe(
      'Resource not accessible by integration',
    );
    // No more than the installation was granted.
    expect(() => sandbox.github.installationToken({ administration: 'write' })).toThrow(/not granted/);
  });

  it('refuses an unknown token as bad credentials', async () => {
    expect((await failure(as('ghs_doesnotexist').rest.repos.get(REPO))).status).toBe(401);
  });
});

describe('branch protection of main', () => {
  it('is readable by an admin with GitHub’s shape, and not by a writer', async () => {
    const { data } = await user('olivia').rest.repos.getBranchProtection({ ...REPO, branch: 'main' });
    expect(data.required_status_checks).toMatchObject({
      strict: true,
      contexts: ['validate and plan', 'flagops/change-control'],
    });
    expect(data.required_pull_request_reviews?.required_approving_review_count).toBe(1);
    expect(data.enforce_admins?.enabled).toBe(true);
    expect(
      (await failure(user('alice').rest.repos.getBranchProtection({ ...REPO, branch: 'main' }))).status,
    ).toBe(403);
  });

  it('refuses the merge with 405 until approvals and required checks are there, then merges', async () => {
    const { branch, sha } = pushBranch();
    const pr = await user('alice').rest.pulls.create({
      ...REPO,
      title: 'protected',
      head: branch,
      base: 'main',
    });
    const merge = () => user('bob').rest.pulls.merge({ ...REPO, pull_number: pr.data.number });

    expect(await failure(merge())).toEqual({
      status: 405,
      message: 'At least 1 approving review is required by reviewers with write access.',
    });
    // A reader's approval does not count; a writer's does.
    await user('erin').rest.pulls.createReview({ ...REPO, pull_number: pr.data.number, event: 'APPROVE' });
    expect((await failure(merge())).message).toMatch(/approving review is required/);
    await user('carol').rest.pulls.createReview({ ...REPO, pull_number: pr.data.number, event: 'APPROVE' });
    expect((await failure(merge())).message).toBe('2 of 2 required status checks are expected.');

    const ci = as('sandbox-bot-ci');
    await ci.rest.repos.createCommitStatus({
      ...REPO,
      sha,
      state: 'failure',
      context: 'flagops/change-control',
    });
    expect((await failure(merge())).message).toBe(
      'Required status check "flagops/change-control" is failing.',
    );
    await ci.rest.repos.createCommitStatus({
      ...REPO,
      sha,
      state: 'success',
      context: 'flagops/change-control',
    });
    expect((await failure(merge())).message).toBe('Required status check "validate and plan" is expected.');
    const check = await ci.rest.checks.create({
      ...REPO,
      name: 'validate and plan',
      head_sha: sha,
      status: 'in_progress',
    });
    expect((await failure(merge())).message).toBe('Required status check "validate and plan" is expected.');
    await ci.rest.checks.update({ ...REPO, check_run_id: check.data.id, conclusion: 'success' });
    const runs = await ci.rest.checks.listForRef({ ...REPO, ref: sha });
    expect(runs.data.check_runs.map((r) => [r.name, r.conclusion, r.app?.slug])).toEqual([
      ['validate and plan', 'success', 'ci'],
    ]);

    const merged = await merge();
    expect(merged.data.merged).toBe(true);
  });

  it('refuses a head that is behind main when strict, and lets an admin lift the protection', async () => {
    const first = pushBranch();
    const second = pushBranch();
    const ci = as('sandbox-bot-ci');
    const prs = [];
    for (const { branch, sha } of [first, second]) {
      const pr = await user('alice').rest.pulls.create({
        ...REPO,
        title: branch,
        head: branch,
        base: 'main',
      });
      await user('bob').rest.pulls.createReview({ ...REPO, pull_number: pr.data.number, event: 'APPROVE' });
      await ci.rest.repos.createCommitStatus({
        ...REPO,
        sha,
        state: 'success',
        context: 'flagops/change-control',
      });
      await ci.rest.repos.createCommitStatus({
        ...REPO,
        sha,
        state: 'success',
        context: 'validate and plan',
      });
      prs.push(pr.data.number);
    }
    await user('bob').rest.pulls.merge({ ...REPO, pull_number: prs[0]! });
    expect(await failure(user('bob').rest.pulls.merge({ ...REPO, pull_number: prs[1]! }))).toEqual({
      status: 405,
      message: 'Head branch is out of date. Review and try the merge again.',
    });

    await user('olivia').rest.repos.deleteBranchProtection({ ...REPO, branch: 'main' });
    const none = await failure(user('olivia').rest.repos.getBranchProtection({ ...REPO, branch: 'main' }));
    expect(none).toEqual({ status: 404, message: 'Branch not protected' });
    expect((await user('bob').rest.pulls.merge({ ...REPO, pull_number: prs[1]! })).data.merged).toBe(true);

    await user('olivia').rest.repos.updateBranchProtection({
      ...REPO,
      branch: 'main',
      required_status_checks: { strict: false, contexts: ['validate and plan'] },
      enforce_admins: true,
      required_pull_request_reviews: { required_approving_review_count: 2 },
      restrictions: null,
    });
    const { data } = await user('olivia').rest.repos.getBranchProtection({ ...REPO, branch: 'main' });
    expect(data.required_pull_request_reviews?.required_approving_review_count).toBe(2);
    expect(data.required_status_checks?.contexts).toEqual(['validate and plan']);
  });
});
