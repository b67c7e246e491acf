/**
 * The sandbox's protected branch refuses what GitHub's refuses on merge (405, GitHub's sentence):
 * a required check bound to an app is satisfied only by that app's status or check run, code
 * owners from the BASE branch's CODEOWNERS must approve the files they own, and stale approvals
 * are dismissed. Plus CODEOWNERS' pattern rules as GitHub documents them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../packages/sandbox/src/github/access.ts';
import { ownersFor, readCodeOwners } from '../../packages/sandbox/src/github/codeowners.ts';
import { GITHUB_ACTIONS_APP } from '../../packages/sandbox/src/github/identity.ts';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { git } from '../helpers/git.ts';

const REPO = { owner: 'ons', repo: 'flags' };
const PROD = 'flags/app/production/feature-flags.yaml';
const CODEOWNERS = [
  '* @ons/platform-leads',
  '/flags/app/production/ @dave',
  '/flags/app/docs/ @erin',
  '',
].join('\n');

let tmp: string;
let sandbox: Sandbox;
const as = (token: string) => getOctokit(token, { baseUrl: sandbox.env['GITHUB_API_URL'] ?? '' });
const user = (login: string) => as(`sandbox-user-${login}`);

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { status: number; response: { data: { message: string } } };
    return { status: e.status, message: e.response.data.message };
  }
  throw new Error('expected the request to be refused');
}

let n = 0;
/** A branch off main with `files` changed; returns its name and head. */
function pushBranch(files: Record<string, string>, branch = `change-${++n}`, from = 'main') {
  const clone = mkdtempSync(join(tmp, 'clone-'));
  git(tmp, 'clone', '--quiet', sandbox.gitRemote, clone);
  git(clone, 'checkout', '--quiet', '-B', branch, `origin/${from}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(clone, path)), { recursive: true });
    writeFileSync(join(clone, path), text);
  }
  git(clone, 'add', '--all');
  git(clone, 'commit', '--quiet', '-m', branch);
  git(clone, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
  return { branch, sha: git(clone, 'rev-parse', 'HEAD') };
}

async function openPull(files: Record<string, string>) {
  const { branch, sha } = pushBranch(files);
  const pr = await user('alice').rest.pulls.create({ ...REPO, title: branch, head: branch, base: 'main' });
  return { number: pr.data.number, sha, branch };
}

const approve = (login: string, pull: number) =>
  user(login).rest.pulls.createReview({ ...REPO, pull_number: pull, event: 'APPROVE' });
const merge = (pull: number) => user('bob').rest.pulls.merge({ ...REPO, pull_number: pull });

function appToken(): string {
  return sandbox.github.installationToken({ statuses: 'write' });
}

async function protect(
  checks: { context: string; app_id?: number }[],
  reviews: Record<string, unknown> | null,
) {
  await user('olivia').request('PUT /repos/{owner}/{repo}/branches/{branch}/protection', {
    ...REPO,
    branch: 'main',
    // `contexts` is deprecated but still in Octokit's types; `checks` wins.
    required_status_checks: { strict: false, contexts: checks.map((c) => c.context), checks },
    enforce_admins: true,
    required_pull_request_reviews: reviews,
    restrictions: null,
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-protection-'));
  const seed = join(tmp, 'seed');
  mkdirSync(join(seed, '.github'), { recursive: true });
  mkdirSync(dirname(join(seed, PROD)), { recursive: true });
  writeFileSync(join(seed, '.github', 'CODEOWNERS'), CODEOWNERS);
  writeFileSync(join(seed, PROD), 'a: 1\n');
  writeFileSync(join(seed, 'README.md'), '# flags\n');
  sandbox = await startSandbox({ seedDir: seed, workDir: join(tmp, 'work'), protectMain: false, speed: 0 });
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a required check bound to an app', () => {
  const APP_ID = () => sandbox.github.world.state.settings.app.id;

  it('is satisfied only by that app: not a workflow’s GITHUB_TOKEN, another app or a person', async () => {
    await protect([{ context: 'flagops/change-control', app_id: APP_ID() }], null);
    const pr = await openPull({ 'notes.txt': 'x\n' });
    const status = (token: string) =>
      as(token).rest.repos.createCommitStatus({
        ...REPO,
        sha: pr.sha,
        state: 'success',
        context: 'flagops/change-control',
      });
    const workflowToken = mintToken(sandbox.github.world, {
      kind: 'workflow',
      login: 'github-actions[bot]',
      app: GITHUB_ACTIONS_APP,
      permissions: { statuses: 'write', checks: 'write' },
    }).token;
    await status(workflowToken);
    await status('sandbox-bot-forger');
    await status('sandbox-user-carol');
    const { data } = await user('alice').rest.repos.getCombinedStatusForRef({ ...REPO, ref: pr.sha });
    expect(data.state).toBe('success');
    expect(await refusal(merge(pr.number))).toEqual({
      status: 405,
      message: 'Required status check "flagops/change-control" is expected.',
    });
    // A check run of that name from GitHub Actions does not count either.
    await as(workflowToken).rest.checks.create({
      ...REPO,
      name: 'flagops/change-control',
      head_sha: pr.sha,
      status: 'completed',
      conclusion: 'success',
    });
    expect((await refusal(merge(pr.number))).message).toMatch(/is expected/);

    await status(appToken());
    expect((await merge(pr.number)).data.merged).toBe(true);
  });

  it('shows the binding; an omitted app_id takes the app that last posted the check, -1 any app', async () => {
    await protect(
      [{ context: 'flagops/change-control' }, { context: 'validate and plan', app_id: -1 }],
      null,
    );
    const { data } = await user('olivia').rest.repos.getBranchProtection({ ...REPO, branch: 'main' });
    expect(data.required_status_checks?.checks).toEqual([
      { context: 'flagops/change-control', app_id: APP_ID() },
      { context: 'validate and plan', app_id: null },
    ]);
    const pr = await openPull({ 'notes2.txt': 'y\n' });
    await user('carol').rest.repos.createCommitStatus({
      ...REPO,
      sha: pr.sha,
      state: 'success',
      context: 'validate and plan',
    });
    await user('carol').rest.repos.createCommitStatus({
      ...REPO,
      sha: pr.sha,
      state: 'success',
      context: 'flagops/change-control',
    });
    expect((await refusal(merge(pr.number))).message).toBe(
      'Required status check "flagops/change-control" is expected.',
    );
    await as(appToken()).rest.repos.createCommitStatus({
      ...REPO,
      sha: pr.sha,
      state: 'failure',
      context: 'flagops/change-control',
    });
    expect((await refusal(merge(pr.number))).message).toBe(
      'Required status check "flagops/change-control" is failing.',
    );
  });
});

describe('code owners from the base branch', () => {
  beforeAll(async () => {
    await protect([], {
      required_approving_review_count: 1,
      require_code_owner_reviews: true,
      dismiss_stale_reviews: true,
    });
  });

  it('waits on the owners of each changed file; a team counts through its members', async () => {
    const pr = await openPull({ [PROD]: 'a: 2\n', 'src/x.ts': 'x\n' });
    await approve('alice', pr.number).catch(() => {});
    expect(await refusal(merge(pr.number))).toEqual({
      status: 405,
      message: 'At least 1 approving review is required by reviewers with write access.',
    });
    await approve('dave', pr.number);
    // dave owns production's values; src/ is the team's.
    expect((await refusal(merge(pr.number))).message).toBe(
      'Waiting on code owner review from ons/platform-leads.',
    );
    await approve('carol', pr.number);
    expect((await merge(pr.number)).data.merged).toBe(true);
  });

  it('an owner without write access cannot approve, and leaves the file unowned', async () => {
    // erin (read) owns docs/: nobody can be waited on, so any writer's approval is enough there.
    const pr = await openPull({ 'flags/app/docs/a.md': 'a\n' });
    await approve('erin', pr.number);
    expect((await refusal(merge(pr.number))).message).toMatch(/approving review is required/);
    await approve('dave', pr.number);
    expect((await merge(pr.number)).data.merged).toBe(true);
  });

  it('dismisses stale approvals: a push after the owners approved needs them again', async () => {
    const pr = await openPull({ 'src/z.ts': 'z\n' });
    await approve('bob', pr.number);
    pushBranch({ 'src/z.ts': 'z2\n' }, pr.branch, pr.branch);
    const head = async () =>
      (await user('alice').rest.pulls.get({ ...REPO, pull_number: pr.number })).data.head.sha;
    // The push reaches the pull request on the sandbox's next tick.
    for (let i = 0; i < 50 && (await head()) === pr.sha; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await refusal(merge(pr.number))).message).toMatch(/approving review is required/);
    await approve('bob', pr.number);
    expect((await merge(pr.number)).data.merged).toBe(true);
  });

  it('judges by the base’s CODEOWNERS: a pull request that rewrites it to own everything gains nothing (merged last: it changes main’s CODEOWNERS)', async () => {
    const pr = await openPull({ '.github/CODEOWNERS': '* @alice @dave\n', 'src/y.ts': 'y\n' });
    await approve('dave', pr.number);
    expect((await refusal(merge(pr.number))).message).toBe(
      'Waiting on code owner review from ons/platform-leads.',
    );
    await approve('bob', pr.number);
    expect((await merge(pr.number)).data.merged).toBe(true);
  });
});

describe('CODEOWNERS patterns (GitHub’s documented examples)', () => {
  const table: Array<[string, string, boolean]> = [
    ['*', 'a/b/c.txt', true],
    ['*.js', 'src/deep/app.js', true],
    ['*.js', 'src/app.ts', false],
    ['/build/logs/', 'build/logs/x/y.log', true],
    ['/build/logs/', 'src/build/logs/y.log', false],
    ['docs/*', 'docs/getting-started.md', true],
    ['docs/*', 'docs/build-app/troubleshooting.md', false],
    ['apps/', 'x/apps/deep/file', true],
    ['/docs/', 'docs/a/b.md', true],
    ['/scripts/', 'src/scripts/a.sh', false],
    ['**/logs', 'deep/down/logs/a.log', true],
    ['/apps/github', 'apps/github/a.rb', true],
    ['/apps/github', 'apps/githubber', false],
    ['/apps/**/x.rb', 'apps/x.rb', true],
    ['/apps/**/x.rb', 'apps/a/b/x.rb', true],
    ['README.md', 'readme.md', false], // case-sensitive
    ['!secret', 'secret', false], // negation does not work in CODEOWNERS
    ['[ab].txt', 'a.txt', false], // nor do character ranges
  ];
  it.each(table)('%s matches %s: %s', (pattern, path, matches) => {
    expect(ownersFor(readCodeOwners(`${pattern} @owner`), path)).toEqual(matches ? ['@owner'] : []);
  });

  it('the last matching line wins, a line without owners unowns, comments are ignored', () => {
    const lines = readCodeOwners('# top\n* @all # everyone\n/docs/ @docs\n/docs/free.md\n');
    expect(ownersFor(lines, 'src/a.ts')).toEqual(['@all']);
    expect(ownersFor(lines, 'docs/a.md')).toEqual(['@docs']);
    expect(ownersFor(lines, 'docs/free.md')).toEqual([]);
  });
});
