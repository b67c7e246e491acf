/**
 * A stale change-control run cannot overwrite a newer verdict (issue 24, "the workflows' own
 * findings"). GitHub keeps every status posted on a commit and branch protection reads the newest
 * one per context, so whichever run posts last wins. Two runs for one pull request (a recount after
 * a review and a run after a push or another review) can overlap; the one that read the older state
 * must not post after the newer one.
 *
 * The runs talk to the sandbox's GitHub; the older run is slowed down by doing the newer events
 * while it is judging (after it read the reviews), which is the race the workflows can meet.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChangeControl, STATUS_CONTEXT } from '../../src/approvals/gate.ts';
import type { GitHubApi } from '../../src/github/api.ts';
import { loadRepository } from '../../src/model/index.ts';
import { WorkingTreeSource } from '../../src/model/source.ts';
import type { Repository } from '../../src/model/types.ts';
import { APP_DIR, type Harness, REPO, startHarness } from '../github/harness.ts';
import { git } from '../helpers/git.ts';

let h: Harness;
let repository: Repository;
const DEVELOPMENT = `${APP_DIR}/development/feature-flags.yaml`;
const runUrl = (id: number) => `https://github.example/ons/flags/actions/runs/${id}`;

beforeAll(async () => {
  h = await startHarness();
  repository = loadRepository(new WorkingTreeSource(h.seedDir));
});

afterAll(async () => {
  await h?.close();
});

async function openPullRequest(branch: string) {
  const text = readFileSync(join(h.seedDir, DEVELOPMENT), 'utf8').replace(
    '{ enabled: false }',
    '{ enabled: true }',
  );
  const pushed = h.pushBranch(branch, { [DEVELOPMENT]: `${text}# ${branch}\n` });
  const pr = await h.api('alice').pulls.create({ head: branch, base: 'main', title: branch, body: '' });
  return { number: pr.number, ...pushed };
}

async function statuses(sha: string) {
  const { data } = await h.octokit('alice').rest.repos.listCommitStatusesForRef({ ...REPO, ref: sha });
  return data.filter((s) => s.context === STATUS_CONTEXT);
}

/** The bot's API, with `meanwhile` run right after the reviews were read: the run is overtaken. */
function overtaken(meanwhile: () => Promise<void>): GitHubApi {
  const api = h.api('flagops[bot]');
  return {
    ...api,
    pulls: {
      ...api.pulls,
      listReviews: async (n) => {
        const reviews = await api.pulls.listReviews(n);
        await meanwhile();
        return reviews;
      },
    },
  };
}

describe('a stale change-control run', () => {
  it('a recount that read an approval cannot overwrite the newer run that saw it withdrawn', async () => {
    const pr = await openPullRequest('stale-recount');
    await h.octokit('bob').rest.pulls.createReview({ ...REPO, pull_number: pr.number, event: 'APPROVE' });
    const newer = async () => {
      await h.octokit('bob').rest.pulls.createReview({
        ...REPO,
        pull_number: pr.number,
        event: 'REQUEST_CHANGES',
        body: 'found a problem',
      });
      const result = await runChangeControl(h.api('flagops[bot]'), repository, pr.number, {
        targetUrl: runUrl(20),
      });
      expect(result.satisfied).toBe(false);
    };
    const stale = await runChangeControl(overtaken(newer), repository, pr.number, { targetUrl: runUrl(10) });
    // It judged what it had read (the approval) but did not post it.
    expect(stale.satisfied).toBe(true);
    expect(stale.skipped).toMatch(/run 20, newer than this run 10/);
    const posted = await statuses(pr.sha);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ state: 'failure', target_url: runUrl(20) });
  });

  it('a run whose pull request got a new head while it judged posts nothing on the old head', async () => {
    const pr = await openPullRequest('stale-head');
    let moved = '';
    const push = async () => {
      writeFileSync(
        join(pr.clone, DEVELOPMENT),
        `${readFileSync(join(pr.clone, DEVELOPMENT), 'utf8')}# again\n`,
      );
      git(pr.clone, 'commit', '--quiet', '-am', 'again');
      git(pr.clone, 'push', '--quiet', 'origin', 'stale-head');
      moved = git(pr.clone, 'rev-parse', 'HEAD');
    };
    const stale = await runChangeControl(overtaken(push), repository, pr.number, { targetUrl: runUrl(30) });
    expect(moved).not.toBe('');
    expect(stale.skipped).toMatch(/head moved/);
    expect(await statuses(pr.sha)).toHaveLength(0);
    // The run for the new head posts as usual.
    const fresh = await runChangeControl(h.api('flagops[bot]'), repository, pr.number, {
      targetUrl: runUrl(31),
    });
    expect(fresh.skipped).toBeUndefined();
    expect(await statuses(moved)).toHaveLength(1);
  });

  it('an older run still posts when no newer one has (the ordinary case)', async () => {
    const pr = await openPullRequest('not-stale');
    await runChangeControl(h.api('flagops[bot]'), repository, pr.number, { targetUrl: runUrl(40) });
    await h.octokit('bob').rest.pulls.createReview({ ...REPO, pull_number: pr.number, event: 'APPROVE' });
    const later = await runChangeControl(h.api('flagops[bot]'), repository, pr.number, {
      targetUrl: runUrl(41),
    });
    expect(later.skipped).toBeUndefined();
    const [latest] = await statuses(pr.sha);
    expect(latest).toMatchObject({ state: 'success', target_url: runUrl(41) });
  });
});
