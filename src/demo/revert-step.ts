/**
 * The demo's last step: the automatic revert pull request on the sandbox's GitHub, opened by the
 * same `openRevert` the revert action runs, and the hold it puts on production.
 */
import type { Sandbox } from '../../sandbox/index.ts';
import type { Aws } from '../aws/index.ts';
import { gitHubFromEnv } from '../github/from-env.ts';
import { tokenLogin } from '../github/identity.ts';
import type { ReleaseResult } from '../pipeline/release.ts';
import { evidenceFromRelease } from '../revert/evidence.ts';
import { gitHubHoldCheck } from '../revert/hold.ts';
import { openRevert } from '../revert/open.ts';

export async function openDemoRevert(
  sandbox: Sandbox,
  aws: Aws,
  result: ReleaseResult,
  say: (line: string) => void,
): Promise<{ number: number; url: string } | undefined> {
  const { octokit, api } = gitHubFromEnv(sandbox.env);
  const evidence = evidenceFromRelease(result);
  const opened = await openRevert({
    evidence,
    aws,
    github: api,
    login: await tokenLogin(octokit),
    remote: sandbox.gitRemote,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'flagops',
      GIT_AUTHOR_EMAIL: 'flagops@flagops.invalid',
      GIT_COMMITTER_NAME: 'flagops',
      GIT_COMMITTER_EMAIL: 'flagops@flagops.invalid',
    },
  });
  const pr = opened.pullRequest;
  if (!pr) {
    say(`revert: ${opened.message ?? 'not needed'}`);
    return undefined;
  }
  say(`automatic revert pull request #${pr.number} ${opened.action}: "${pr.title}"`);
  say(`  ${pr.url}  (branch ${opened.branch}; labels ${pr.labels.join(', ')})`);
  for (const change of opened.changes) say(`  restores ${change}`);
  const hold = await gitHubHoldCheck(api.pulls).check(evidence.target);
  if (hold.held)
    say(`hold: deploying production's 50 % again is refused until #${pr.number} is merged or closed`);
  return { number: pr.number, url: pr.url };
}
