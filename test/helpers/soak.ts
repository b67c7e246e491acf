/**
 * What the soak tests share: the soak watch's dependencies on the pipeline harness (its revert
 * pull requests opened with the harness's token), and a commit of production's percentage pushed
 * to main as the snapshot a watch reads.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGitHubApi, parseRepository } from '../../src/github/api.ts';
import { tokenLogin } from '../../src/github/identity.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import type { Snapshot } from '../../src/pipeline/content.ts';
import { openRevert } from '../../src/revert/open.ts';
import { gitHubBakeStore } from '../../src/rollout/bake-record.ts';
import type { SoakDeps } from '../../src/rollout/soak-watch.ts';
import type { PipelineHarness } from '../../testkit/pipeline-harness.ts';
import { GIT_ENV, git } from './git.ts';

const FILE = 'flags/ons-data-platform-app/production/feature-flags.yaml';

export const harnessRepo = (h: PipelineHarness) => parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!;

export const harnessOctokit = (h: PipelineHarness, token = h.sandbox.env['GITHUB_TOKEN']!) =>
  createOctokit({ token, baseUrl: h.sandbox.env['GITHUB_API_URL']!, sleep: async () => {} });

export const harnessStore = (h: PipelineHarness) => gitHubBakeStore(harnessOctokit(h), harnessRepo(h));

export function soakDeps(h: PipelineHarness, snapshot: Snapshot): SoakDeps {
  const octokit = harnessOctokit(h);
  const api = createGitHubApi(octokit, harnessRepo(h));
  return {
    ctx: h.ctx,
    snapshot,
    bakes: harnessStore(h),
    environment: 'production',
    async revert(evidence) {
      const opened = await openRevert({
        evidence,
        aws: h.aws,
        github: api,
        login: await tokenLogin(octokit),
        remote: h.sandbox.gitRemote,
        env: GIT_ENV,
      });
      return opened.pullRequest;
    },
  };
}

/** Production with queries on at `percentage`, committed and pushed to main. */
export function commitProduction(work: string, percentage: number, message: string): Snapshot {
  const text = readFileSync(join(work, FILE), 'utf8')
    .replace(
      /use_influxdb_for_api_queries: \{ enabled: \w+ \}/,
      'use_influxdb_for_api_queries: { enabled: true }',
    )
    .replace(/percentage: \d+ /, `percentage: ${percentage} `);
  writeFileSync(join(work, FILE), text);
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '-m', message);
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  return {
    repo: loadRepository(new WorkingTreeSource(work)),
    commit: { sha: git(work, 'rev-parse', 'HEAD') },
  };
}
