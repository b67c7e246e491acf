/**
 * Change control end to end on the sandbox's GitHub: real reviews by different people, the gate's
 * commit status on the head commit, the CLI command and the action run in-process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChangeControl, STATUS_CONTEXT } from '../../src/approvals/gate.ts';
import { command as approvalsCommand } from '../../src/cli/commands/approvals.ts';
import { compileTarget, loadRepository } from '../../src/model/index.ts';
import { WorkingTreeSource } from '../../src/model/source.ts';
import type { Repository } from '../../src/model/types.ts';
import { APP_DIR, type Harness, REPO, startHarness } from '../github/harness.ts';
import { runCli } from '../helpers/cli.ts';
import { git } from '../helpers/git.ts';

let h: Harness;
let repository: Repository;
const PRODUCTION = `${APP_DIR}/production/feature-flags.yaml`;
const DEVELOPMENT = `${APP_DIR}/development/feature-flags.yaml`;

beforeAll(async () => {
  h = await startHarness();
  repository = loadRepository(new WorkingTreeSource(h.seedDir));
});

afterAll(async () => {
  await h?.close();
});

async function openPullRequest(branch: string, path: string, labels: string[] = []) {
  const text = readFileSync(join(h.seedDir, path), 'utf8').replace('{ enabled: false }', '{ enabled: true }');
  const pushed = h.pushBranch(branch, { [path]: `${text}# ${branch}\n` });
  const pr = await h.api('alice').pulls.create({ head: branch, base: 'main', title: branch, body: '' });
  if (labels.length > 0) await h.api('flagops[bot]').labels.add(pr.number, labels);
  return { number: pr.number, ...pushed };
}

async function review(login: string, pr: number, event: 'APPROVE' | 'REQUEST_CHANGES') {
  const { data } = await h.octokit(login).rest.pulls.createReview({
    ...REPO,
    pull_number: pr,
    event,
    ...(event === 'APPROVE' ? {} : { body: 'no' }),
  });
  return data.id;
}

async function latestStatus(sha: string) {
  const { data } = await h.octokit('alice').rest.repos.listCommitStatusesForRef({ ...REPO, ref: sha });
  const ours = data.filter((s) => s.context === STATUS_CONTEXT);
  return { count: ours.length, latest: ours[0] };
}

const gate = (pr: number) => runChangeControl(h.api('flagops[bot]'), repository, pr);

/** What the deploy would upload for a values file of the seed. */
function compiled(file: string): Buffer {
  const target = repository.targets.find((t) => t.file === file)!;
  const result = compileTarget(repository.applications[target.application]!, target);
  if (!result.ok) throw new Error('seed does not compile');
  return result.document.content;
}

describe('change control on the sandbox', () => {
  it('production needs 2 approvals; a stale one stops counting after a new push', async () => {
    const pr = await openPullRequest('prod-change', PRODUCTION);
    // The author cannot approve: GitHub (and the sandbox) refuse it.
    await expect(review('alice', pr.number, 'APPROVE')).rejects.toMatchObject({ status: 422 });

    await review('bob', pr.number, 'APPROVE');
    let result = await gate(pr.number);
    expect(result.verdict).toMatchObject({
      satisfied: false,
      description: 'production needs 2 approvals, has 1',
    });
    expect((await latestStatus(pr.sha)).latest).toMatchObject({
      state: 'failure',
      description: 'production needs 2 approvals, has 1',
    });

    await review('carol', pr.number, 'APPROVE');
    result = await gate(pr.number);
    expect(result.verdict.satisfied).toBe(true);
    expect((await latestStatus(pr.sha)).latest?.state).toBe('success');

    // A new push makes both approvals stale (production sets dismiss_stale).
    writeFileSync(join(pr.clone, PRODUCTION), `${readFileSync(join(pr.clone, PRODUCTION), 'utf8')}# again\n`);
    git(pr.clone, 'commit', '--quiet', '-am', 'again');
    git(pr.clone, 'push', '--quiet', 'origin', 'prod-change');
    const newHead = git(pr.clone, 'rev-parse', 'HEAD');
    result = await gate(pr.number);
    expect(result.pullRequest.headSha).toBe(newHead);
    expect(result.verdict.description).toBe('production needs 2 approvals, has 0');
    expect((await latestStatus(newHead)).latest?.state).toBe('failure');
  });

  it('changes requested after an approval blocks; a bot approval never counts', async () => {
    const pr = await openPullRequest('dev-change', DEVELOPMENT);
    await review('bob', pr.number, 'APPROVE');
    expect((await gate(pr.number)).verdict.satisfied).toBe(true);
    await review('bob', pr.number, 'REQUEST_CHANGES');
    expect((await gate(pr.number)).verdict.description).toBe('development: changes requested by bob');

    const pr2 = await openPullRequest('dev-change-2', DEVELOPMENT);
    await review('renovate[bot]', pr2.number, 'APPROVE');
    expect((await gate(pr2.number)).verdict.description).toBe('development needs 1 approval, has 0');
  });

  it('a dismissed approval no longer counts', async () => {
    const pr = await openPullRequest('dev-dismiss', DEVELOPMENT);
    const id = await review('bob', pr.number, 'APPROVE');
    await h
      .octokit('alice')
      .rest.pulls.dismissReview({ ...REPO, pull_number: pr.number, review_id: id, message: 'x' });
    expect((await gate(pr.number)).verdict.description).toBe('development needs 1 approval, has 0');
  });

  it('an App-opened revert that restores what AppConfig serves needs revert_approvals (1)', async () => {
    // The App (flagops[bot]) pushes its revert branch and opens the pull request.
    const text = readFileSync(join(h.seedDir, PRODUCTION), 'utf8');
    const branch = 'flagops/revert/ons-data-platform-app/production/feature-flags/abc1234';
    const pushed = h.pushBranch(branch, { [PRODUCTION]: `${text}# restored\n` });
    const pr = await h
      .api('flagops[bot]')
      .pulls.create({ head: branch, base: 'main', title: 'Revert', body: '' });
    await review('bob', pr.number, 'APPROVE');
    const source = new WorkingTreeSource(h.seedDir);
    const served = compiled(PRODUCTION);
    const options = { appLogin: 'flagops[bot]', source, deployed: async () => served };
    const result = await runChangeControl(h.api('flagops[bot]'), repository, pr.number, options);
    expect(result.needs.revert?.file).toBe(PRODUCTION);
    expect(result.verdict).toMatchObject({ satisfied: true, description: 'approved: production 1/1' });
    expect((await latestStatus(pushed.sha)).latest?.state).toBe('success');

    // The same pull request when AppConfig serves something else is an ordinary change: 2.
    const other = await runChangeControl(h.api('flagops[bot]'), repository, pr.number, {
      ...options,
      deployed: async () => Buffer.from('{"version":"1","flags":{},"values":{}}'),
    });
    expect(other.needs.revert).toBeUndefined();
    expect(other.verdict.description).toBe('production needs 2 approvals, has 1');
  });

  it('flagops approvals --pr posts one status per run and exits 1 while approvals are missing', async () => {
    const pr = await openPullRequest('cli-change', PRODUCTION);
    const out: string[] = [];
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(t),
      env: { ...h.sandbox.env, FLAGOPS_ROOT: h.seedDir },
      cwd: h.seedDir,
      isTTY: false,
    };
    const code = await approvalsCommand.run({ options: { pr: pr.number }, positionals: [] }, io);
    expect(code).toBe(1);
    expect(out.join('')).toContain('not approved: production needs 2 approvals, has 0');
    expect((await latestStatus(pr.sha)).count).toBe(1);
  });

  it('flagops approvals names a GitHub failure instead of crashing', async () => {
    const run = await runCli(['approvals', '--pr', '999'], { cwd: h.seedDir, env: h.sandbox.env });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('404');
    expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });
});
