/**
 * The advancer wired from the environment, shared by `flagops advance` and `flagops status`: the
 * holds, the bake records and the pull requests on GitHub (GITHUB_TOKEN, GITHUB_REPOSITORY; branches
 * pushed like every revert, the token in an HTTP header). Without GitHub only a dry run is possible,
 * and it fails closed: the hold cannot be checked, so nothing would be proposed.
 */
import { gitRemote } from '../git/remote.ts';
import { gitHubFromEnv } from '../github/from-env.ts';
import type { Snapshot } from '../pipeline/content.ts';
import type { PipelineContext } from '../pipeline/context.ts';
import { noHolds } from '../pipeline/holds.ts';
import { gitHubHoldCheck } from '../revert/hold.ts';
import type { AdvanceDeps } from '../rollout/advance.ts';
import { gitHubBakeStore } from '../rollout/bake-record.ts';

export function hasGitHub(env: NodeJS.ProcessEnv): boolean {
  return Boolean((env['GITHUB_TOKEN'] || env['GH_TOKEN']) && env['GITHUB_REPOSITORY']);
}

export function advanceDepsFromEnv(
  env: NodeJS.ProcessEnv,
  run: { root: string; ctx: PipelineContext; snapshot: Snapshot; dryRun: boolean; environment?: string },
): AdvanceDeps {
  const gh = hasGitHub(env) ? gitHubFromEnv(env) : undefined;
  const remote = gh ? gitRemote(run.root, env) : undefined;
  return {
    ctx: run.ctx,
    snapshot: run.snapshot,
    holds: gh ? gitHubHoldCheck(gh.api.pulls) : noHolds,
    ...(gh ? { bakes: gitHubBakeStore(gh.octokit, gh.api.repo) } : {}),
    ...(gh && remote
      ? {
          github: {
            api: gh.api,
            octokit: gh.octokit,
            repo: gh.api.repo,
            remote: remote.url,
            env: remote.env,
          },
        }
      : {}),
    dryRun: run.dryRun,
    ...(run.environment ? { environment: run.environment } : {}),
  };
}
