/**
 * Wiring the pipeline to the real world from environment variables, shared by the CLI and the
 * actions: AWS clients (the SDK's own credential chain and AWS_ENDPOINT_URL), the clock
 * (FLAGOPS_CLOCK_SPEED, for the sandbox), and content read from git.
 */
import { type Aws, createAws } from '../aws/index.ts';
import type { CommitInfo } from '../core/commit.ts';
import { commitFromGit } from '../git/commits.ts';
import { gitOutput } from '../git/run.ts';
import { loadRepository } from '../model/load.ts';
import { GitRevisionSource, WorkingTreeSource } from '../model/source.ts';
import { type Clock, clockFromEnvironment } from '../pipeline/clock.ts';
import type { ContentProvider } from '../pipeline/content.ts';

export async function runtimeFromEnvironment(
  env: Record<string, string | undefined>,
): Promise<{ aws: Aws; clock: Clock; region?: string }> {
  const clock = await clockFromEnvironment(env);
  const speed = Number(env.FLAGOPS_CLOCK_SPEED ?? '1');
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  const aws = createAws({
    ...(region ? { region } : {}),
    ...(Number.isFinite(speed) && speed > 1 ? { clockSpeed: speed } : {}),
    ...(env.FLAGOPS_RELEASE_KEY ? { releaseKey: env.FLAGOPS_RELEASE_KEY } : {}),
  });
  return { aws, clock, ...(region ? { region } : {}) };
}

/** The working tree as it is each time it is asked (the CLI). */
export function workingTreeContent(root: string): ContentProvider {
  return async () => ({ repo: loadRepository(new WorkingTreeSource(root)), commit: commitFromGit(root) });
}

/**
 * `main` as the remote has it right now (the actions): fetch, then read the files at the fetched
 * revision without touching the checkout. Falls back to the checkout when there is no remote.
 */
export function remoteBranchContent(
  root: string,
  branch = 'main',
  remote = 'origin',
  overrides: Partial<CommitInfo> = {},
): ContentProvider {
  return async () => {
    const fetched = gitOutput(root, ['fetch', '--quiet', remote, branch]) !== undefined;
    const rev = fetched ? 'FETCH_HEAD' : 'HEAD';
    const sha = gitOutput(root, ['rev-parse', rev]);
    if (!sha)
      return {
        repo: loadRepository(new WorkingTreeSource(root)),
        commit: commitFromGit(root, 'HEAD', overrides),
      };
    // Overrides (the PR number from the event) describe the run's own commit, not a newer one.
    const own = gitOutput(root, ['rev-parse', 'HEAD']) === sha;
    return {
      repo: loadRepository(new GitRevisionSource(root, sha)),
      commit: commitFromGit(root, sha, own ? overrides : {}),
    };
  };
}
