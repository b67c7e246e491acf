/**
 * Promise 6 on GitHub: a target is held while an open pull request from its revert branch
 * (`flagops/revert/<app>/<env>/<profile>/…`) of this repository is open — one the flagops App
 * opened, when its login is known (`FLAGOPS_APP_LOGIN`, e.g. `flagops[bot]`). Labels play no
 * part: anyone with triage access can add one. Merging it makes `main` say what runs (the deploy
 * is then a no-op); closing it unmerged releases the hold on purpose.
 *
 * The pipeline asks this only when the content to deploy differs from what runs (deploy.ts), so a
 * deploy of the restored content is never refused.
 */

import { EXIT, Failure, messageOf } from '../core/failure.ts';
import { type TargetRef, targetId } from '../core/target.ts';
import type { PullsApi } from '../github/api.ts';
import { describeGitHubError } from '../github/errors.ts';
import { gitHubFromEnv } from '../github/from-env.ts';
import type { HoldCheck, HoldStatus } from '../pipeline/holds.ts';
import { revertBranchPrefix } from './text.ts';

export interface HoldOptions {
  /** The App's bot login: only its pull requests hold. */
  appLogin?: string;
  /** `owner/repo`: pull requests from forks never hold. */
  repository?: string;
}

export function gitHubHoldCheck(pulls: Pick<PullsApi, 'listOpen'>, options: HoldOptions = {}): HoldCheck {
  const app = options.appLogin?.toLowerCase();
  const repo = options.repository?.toLowerCase();
  return {
    async check(target: TargetRef): Promise<HoldStatus> {
      const prefix = revertBranchPrefix(target);
      const id = targetId(target);
      let open: Awaited<ReturnType<typeof pulls.listOpen>>;
      try {
        open = await pulls.listOpen();
      } catch (error) {
        // Fail closed: not knowing whether a revert pull request is open must never deploy.
        const why = describeGitHubError(error) ?? messageOf(error);
        throw new Failure(
          `cannot read the open pull requests, so ${id} may be held by an automatic revert and is not deployed: ${why} (the token needs pull-requests: read)`,
          EXIT.unavailable,
        );
      }
      const holding = open
        .filter(
          (p) =>
            p.headRef.startsWith(prefix) &&
            (app === undefined || p.author.toLowerCase() === app) &&
            (repo === undefined || p.headRepository === '' || p.headRepository.toLowerCase() === repo),
        )
        .sort((a, b) => a.number - b.number);
      const first = holding[0];
      if (!first) return { held: false };
      return {
        held: true,
        url: first.url,
        reason: `${id} is held by automatic revert pull request #${first.number} (${first.url}): merge it to make main match what runs, or close it unmerged to release the hold on purpose`,
      };
    },
  };
}

/**
 * The GitHub hold check when `GITHUB_TOKEN` and `GITHUB_REPOSITORY` are set (a workflow, an
 * emulator's exports), else none: a laptop without a token cannot see revert pull requests.
 */
export function holdsFromEnv(env: NodeJS.ProcessEnv): HoldCheck | undefined {
  if (!(env['GITHUB_TOKEN'] || env['GH_TOKEN']) || !env['GITHUB_REPOSITORY']) return undefined;
  const appLogin = env['FLAGOPS_APP_LOGIN'];
  return gitHubHoldCheck(gitHubFromEnv(env).api.pulls, {
    repository: env['GITHUB_REPOSITORY'],
    ...(appLogin ? { appLogin } : {}),
  });
}
