/**
 * Git has identity in the sandbox, as on GitHub: every push resolves its token or person and is
 * checked for contents: write, the workflows permission and branch protection.
 *
 * - A job's GITHUB_TOKEN carries exactly its `permissions:`; pushing needs `contents: write`
 *   (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token).
 *   actions/checkout persists that token in the clone's `.git/config` (`http.extraheader`), and a
 *   push with it is the job's, not a person's.
 * - A push made with GITHUB_TOKEN starts no workflow
 *   (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/triggering-a-workflow#triggering-a-workflow-from-a-workflow).
 * - A GitHub App cannot create or update a workflow file without the `workflows` permission, and a
 *   GITHUB_TOKEN never has it
 *   (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps).
 * - A protected branch refuses deletion, force pushes and, when it requires reviews or checks,
 *   every direct push, admins included with enforce_admins
 *   (https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches);
 *   the REST API cannot move it either.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, REPO, startHarness } from '../actions/runner-harness.ts';
import { GIT_ENV, git } from '../helpers/git.ts';

const commitAndPush = (branch: string, file: string) =>
  [
    `mkdir -p "$(dirname ${file})" && echo changed > ${file}`,
    `git add -A && git -c user.name=job -c user.email=job@example.invalid commit --quiet -m change`,
    `git push origin HEAD:refs/heads/${branch}`,
  ].join(' && ');

const PUSHES = `name: pushes
on: workflow_dispatch
jobs:
  reader:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
      - run: ${commitAndPush('from-reader', 'notes/reader.txt')}
  writer:
    runs-on: ubuntu-24.04
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
      - run: ${commitAndPush('from-writer', 'notes/writer.txt')}
  workflow-writer:
    runs-on: ubuntu-24.04
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
      - run: ${commitAndPush('from-workflow-writer', '.github/workflows/planted.yml')}
`;

const ON_PUSH = `name: on-push
on:
  push:
    branches: [from-writer, by-person]
jobs:
  say:
    runs-on: ubuntu-24.04
    steps:
      - run: echo pushed
`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    {
      'README.md': '# x\n',
      '.github/workflows/pushes.yml': PUSHES,
      '.github/workflows/on-push.yml': ON_PUSH,
    },
    { protectMain: true },
  );
}, 60_000);

afterAll(async () => {
  await h?.close();
});

/** A clone of main with one new commit, and a push from it with `env`; git's stderr when refused. */
function pushFrom(target: string, env: NodeJS.ProcessEnv = {}, extra: string[] = []): string | undefined {
  const dir = `${h.tmp}/push-${Math.random().toString(36).slice(2)}`;
  git(h.tmp, 'clone', '--quiet', h.sandbox.gitRemote, dir);
  git(dir, 'commit', '--quiet', '--allow-empty', '-m', `push to ${target}`);
  try {
    execFileSync('git', ['push', '--quiet', ...extra, 'origin', `HEAD:${target}`], {
      cwd: dir,
      env: { ...GIT_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return undefined;
  } catch (err) {
    return String((err as { stderr: Buffer }).stderr);
  }
}

describe('pushes from jobs carry the job’s token', () => {
  let jobs: Record<string, { conclusion: string | null; log: string }>;

  beforeAll(async () => {
    await h
      .user('alice')
      .rest.actions.createWorkflowDispatch({ ...REPO, workflow_id: 'pushes.yml', ref: 'main' });
    await h.idle();
    const [run] = await h.runs({ event: 'workflow_dispatch' });
    jobs = {};
    for (const job of await h.jobs(Number(run?.['id'])))
      jobs[job.name] = { conclusion: job.conclusion, log: await h.log(Number(job['id'])) };
  }, 120_000);

  it('a contents: read job cannot push (its checkout’s persisted token is the job’s)', () => {
    expect(jobs['reader']?.conclusion).toBe('failure');
    expect(jobs['reader']?.log).toContain('Permission to ons/flags.git denied to github-actions[bot].');
    expect(h.sandbox.github.world.git.refTarget('refs/heads/from-reader')).toBeUndefined();
  });

  it('a contents: write job pushes, and its push starts no workflow', async () => {
    expect(jobs['writer']?.conclusion).toBe('success');
    expect(h.sandbox.github.world.git.refTarget('refs/heads/from-writer')).toBeDefined();
    expect(await h.runs({ branch: 'from-writer' })).toEqual([]);
  });

  it('a GITHUB_TOKEN cannot create a workflow file (no workflows permission)', () => {
    expect(jobs['workflow-writer']?.conclusion).toBe('failure');
    expect(jobs['workflow-writer']?.log).toContain(
      'refusing to allow a GitHub App to create or update workflow `.github/workflows/planted.yml` without `workflows` permission',
    );
  });
});

describe('pushes from people and tokens outside jobs', () => {
  it('a person’s push starts workflows; a read-only person and a read-only token cannot push', async () => {
    expect(pushFrom('refs/heads/by-person')).toBeUndefined();
    await h.idle();
    expect((await h.runs({ branch: 'by-person' })).length).toBe(1);
    expect(pushFrom('refs/heads/by-erin', { GITHUB_TOKEN: 'sandbox-user-erin' })).toContain(
      'Permission to ons/flags.git denied to erin.',
    );
    const reader = h.sandbox.github.installationToken({ contents: 'read' });
    expect(pushFrom('refs/heads/by-reader', { GITHUB_TOKEN: reader })).toContain(
      'Permission to ons/flags.git denied to flagops[bot].',
    );
    expect(pushFrom('refs/heads/by-nobody', { GITHUB_TOKEN: 'ghs_revoked' })).toContain(
      'Invalid username or token',
    );
  });
});

describe('nobody pushes to main directly', () => {
  it('a writer, an admin and the App are refused with GH006; so is a force push and a deletion', () => {
    const refusal = 'GH006: Protected branch update failed for refs/heads/main.';
    expect(pushFrom('refs/heads/main')).toContain(refusal);
    expect(pushFrom('refs/heads/main', { GITHUB_TOKEN: 'sandbox-user-olivia' })).toContain(
      'Changes must be made through a pull request.',
    );
    const app = h.sandbox.github.installationToken({ contents: 'write' });
    expect(pushFrom('refs/heads/main', { GITHUB_TOKEN: app })).toContain(refusal);
    expect(pushFrom('refs/heads/main', {}, ['--force'])).toContain(refusal);
    const dir = `${h.tmp}/delete-main`;
    git(h.tmp, 'clone', '--quiet', h.sandbox.gitRemote, dir);
    expect(() => git(dir, 'push', '--quiet', 'origin', ':refs/heads/main')).toThrow(
      /Cannot delete this protected branch/,
    );
  });

  it('PATCH and DELETE git/refs/heads/main are 422, even for an admin', async () => {
    const main = h.sandbox.github.world.git.refTarget('refs/heads/main') ?? '';
    const olivia = h.user('olivia');
    await expect(
      olivia.rest.git.updateRef({ ...REPO, ref: 'heads/main', sha: main, force: true }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('Protected branch update failed for refs/heads/main.'),
    });
    await expect(olivia.rest.git.deleteRef({ ...REPO, ref: 'heads/main' })).rejects.toMatchObject({
      status: 422,
    });
    expect(h.sandbox.github.world.git.refTarget('refs/heads/main')).toBe(main);
  });
});
