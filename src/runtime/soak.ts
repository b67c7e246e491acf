/**
 * The soak watch wired from the environment, shared by `flagops watch` and the watch action: AWS
 * and the clock as everywhere, the bake records and the revert pull request on GitHub
 * (GITHUB_TOKEN, GITHUB_REPOSITORY; branches pushed like every revert, FLAGOPS_GIT_REMOTE or the
 * checkout's origin, the token in an HTTP header).
 */
import { gitRemote } from '../git/remote.ts';
import { gitHubFromEnv } from '../github/from-env.ts';
import { tokenLogin } from '../github/identity.ts';
import { makeContext, PipelineError } from '../pipeline/context.ts';
import type { Reporter } from '../pipeline/events.ts';
import { silentReporter } from '../pipeline/events.ts';
import { openRevert } from '../revert/open.ts';
import { gitHubBakeStore } from '../rollout/bake-record.ts';
import { type SoakOutcome, watchSoaks } from '../rollout/soak-watch.ts';
import { runtimeFromEnvironment, workingTreeContent } from './env.ts';
import { priorContentFromGit } from './prior-content.ts';

export interface SoakRun {
  root: string;
  environment?: string;
  /** The login the token acts as (an App installation token cannot ask GET /user). */
  login?: string;
  reporter?: Reporter;
}

export async function soakWatchFromEnv(env: NodeJS.ProcessEnv, run: SoakRun): Promise<SoakOutcome[]> {
  if (!(env['GITHUB_TOKEN'] || env['GH_TOKEN']) || !env['GITHUB_REPOSITORY'])
    throw new PipelineError(
      'GITHUB_TOKEN and GITHUB_REPOSITORY must be set: the soak watch reads and writes the bake records and opens revert pull requests there',
      2,
    );
  const runtime = await runtimeFromEnvironment(env);
  const ctx = makeContext({ ...runtime, reporter: run.reporter ?? silentReporter });
  const { octokit, api } = gitHubFromEnv(env);
  const remote = gitRemote(run.root, env);
  let login = run.login;
  const runUrl = env['GITHUB_RUN_ID']
    ? `${env['GITHUB_SERVER_URL'] ?? 'https://github.com'}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}`
    : undefined;
  return watchSoaks({
    ctx,
    snapshot: await workingTreeContent(run.root)(),
    bakes: gitHubBakeStore(octokit, api.repo),
    ...(run.environment ? { environment: run.environment } : {}),
    ...(runUrl ? { runUrl } : {}),
    prior: (target) => priorContentFromGit(run.root, target),
    async revert(evidence) {
      login ??= await tokenLogin(octokit);
      const opened = await openRevert({
        evidence,
        aws: ctx.aws,
        github: api,
        login,
        remote: remote.url,
        env: remote.env,
      });
      return opened.pullRequest
        ? { number: opened.pullRequest.number, url: opened.pullRequest.url }
        : undefined;
    },
  });
}
