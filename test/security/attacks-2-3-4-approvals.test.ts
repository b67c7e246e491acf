/**
 * Attacks 2–4 on the sandbox's GitHub (collaborators: alice, bob, carol, dave write; olivia admin;
 * erin read; team ons/platform-leads = bob, carol, olivia), judged by the gate with the BASE's
 * policy and CODEOWNERS, as the change-control workflow runs it:
 * 2. anyone's approval counted: two strangers satisfied production's 2 approvals;
 * 3. code needed 0 approvals: a PR touching only dist/ got "no approvals needed";
 * 4. a label halved production's approvals: `flagops:automatic` made a PR a "revert".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChangeControl, STATUS_CONTEXT } from '../../src/approvals/gate.ts';
import { loadRepository } from '../../src/model/index.ts';
import { WorkingTreeSource } from '../../src/model/source.ts';
import type { Repository } from '../../src/model/types.ts';
import { gitHubHoldCheck } from '../../src/revert/hold.ts';
import { APP_DIR, type Harness, REPO, startHarness } from '../github/harness.ts';

const PRODUCTION = `${APP_DIR}/production/feature-flags.yaml`;
const CODEOWNERS = '*  @ons/platform-leads\n/flags/*/development/\n/flags/*/production/\n';
let h: Harness;
let repository: Repository;

beforeAll(async () => {
  h = await startHarness();
  repository = loadRepository(new WorkingTreeSource(h.seedDir));
});

afterAll(async () => {
  await h?.close();
});

async function open(branch: string, files: Record<string, string>, author = 'alice') {
  const pushed = h.pushBranch(branch, files);
  const pr = await h.api(author).pulls.create({ head: branch, base: 'main', title: branch, body: '' });
  return { number: pr.number, sha: pushed.sha };
}

async function approve(login: string, pr: number) {
  await h.octokit(login).rest.pulls.createReview({ ...REPO, pull_number: pr, event: 'APPROVE' });
}

const gate = (pr: number) =>
  runChangeControl(h.api('flagops[bot]'), repository, pr, {
    appLogin: 'flagops[bot]',
    codeOwners: CODEOWNERS,
    source: new WorkingTreeSource(h.seedDir),
  });

async function status(sha: string) {
  const { data } = await h.octokit('alice').rest.repos.listCommitStatusesForRef({ ...REPO, ref: sha });
  return data.find((s) => s.context === STATUS_CONTEXT);
}

// A change the base's policy allows (a comment), so the status is about approvals alone.
const productionEdit = () => ({
  [PRODUCTION]: `${readFileSync(join(h.seedDir, PRODUCTION), 'utf8')}# reviewed change\n`,
});

describe('attack 2: only people with write access count', () => {
  it('two approvals from a reader and a stranger leave production at 0, and the summary says why', async () => {
    const pr = await open('strangers', productionEdit());
    await approve('erin', pr.number);
    await approve('mallory', pr.number);
    const result = await gate(pr.number);
    expect(result.verdict.satisfied).toBe(false);
    expect(result.verdict.description).toBe('production needs 2 approvals, has 0');
    expect(result.verdict.rules[0]?.ignored).toEqual([
      { user: 'erin', why: 'no write access' },
      { user: 'mallory', why: 'no write access' },
    ]);
    expect(await status(pr.sha)).toMatchObject({ state: 'failure' });

    await approve('bob', pr.number);
    await approve('olivia', pr.number);
    expect((await gate(pr.number)).verdict.description).toBe('approved: production 2/2');
  });
});

describe('attack 3: code and policy need the strictest approvals and the code owners', () => {
  it('a PR touching only the deploy bundle needs 2 approvals, then a platform lead among them', async () => {
    const pr = await open('bundle', { 'dist/actions/deploy/index.mjs': 'console.log("pwned")\n' });
    let result = await gate(pr.number);
    expect(result.verdict.satisfied).toBe(false);
    expect(result.verdict.description).toBe(
      'code and policy needs 2 approvals, has 0; code owners: dist/actions/deploy/index.mjs needs @ons/platform-leads',
    );
    expect(result.needs.outside).toEqual(['dist/actions/deploy/index.mjs']);

    // dave is no code owner, carol is (a platform lead): both rules are met.
    await approve('dave', pr.number);
    await approve('carol', pr.number);
    result = await gate(pr.number);
    expect(result.verdict.satisfied).toBe(true);
    expect(result.verdict.description).toBe('approved: code and policy 2/2, code owners');

    const pr2 = await open('workflow', { '.github/workflows/change-control.yml': 'on: push\n' });
    await approve('dave', pr2.number);
    await approve('bob', pr2.number);
    // bob is in ons/platform-leads: code owners satisfied; dave and bob make 2.
    expect((await gate(pr2.number)).verdict.satisfied).toBe(true);

    const pr3 = await open('app-yaml', { [`${APP_DIR}/app.yaml`]: '# policy edit\n' });
    await approve('dave', pr3.number);
    await approve('alice', pr3.number).catch(() => {}); // the author cannot approve
    const r3 = await gate(pr3.number);
    expect(r3.verdict.satisfied).toBe(false);
    expect(r3.verdict.description).toContain(
      'code owners: flags/ons-data-platform-app/app.yaml needs @ons/platform-leads',
    );
  });
});

describe('attack 4: labels never change what a change needs', () => {
  it('flagops:automatic and flagops:revert on a person’s production PR leave it at 2 approvals', async () => {
    const pr = await open('labelled', productionEdit());
    await h.api('flagops[bot]').labels.add(pr.number, ['flagops:automatic', 'flagops:revert']);
    await approve('bob', pr.number);
    const result = await gate(pr.number);
    expect(result.needs.revert).toBeUndefined();
    expect(result.verdict.description).toBe('production needs 2 approvals, has 1');
    expect(await status(pr.sha)).toMatchObject({
      state: 'failure',
      description: 'production needs 2 approvals, has 1',
    });
  });

  it('a person’s PR from a flagops/revert/… branch is no revert either', async () => {
    const pr = await open(
      'flagops/revert/ons-data-platform-app/production/feature-flags/1234567',
      productionEdit(),
    );
    await approve('bob', pr.number);
    const result = await gate(pr.number);
    expect(result.needs.revert).toBeUndefined();
    expect(result.verdict.description).toBe('production needs 2 approvals, has 1');
  });

  it('the hold check accepts only the App’s pull requests from this repository, labels or not', async () => {
    const target = {
      application: 'ons-data-platform-app',
      environment: 'development',
      profile: 'feature-flags',
    };
    const dev = `${APP_DIR}/development/feature-flags.yaml`;
    const text = readFileSync(join(h.seedDir, dev), 'utf8');
    const holds = gitHubHoldCheck(h.api('flagops[bot]').pulls, {
      appLogin: 'flagops[bot]',
      repository: 'ons/flags',
    });
    const lookAlike = await open('flagops/revert/ons-data-platform-app/development/feature-flags/7654321', {
      [dev]: `${text}# look-alike\n`,
    });
    await h.api('flagops[bot]').labels.add(lookAlike.number, ['flagops:revert', 'flagops:automatic']);
    expect(await holds.check(target)).toEqual({ held: false });
    await open(
      'flagops/revert/ons-data-platform-app/development/feature-flags/abcdef0',
      { [dev]: `${text}# app\n` },
      'flagops[bot]',
    );
    expect(await holds.check(target)).toMatchObject({ held: true });
  });
});
