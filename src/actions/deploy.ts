/**
 * The deploy action: deploy one target from `main`, bake, roll back on a breach. A thin shell over
 * `runRelease`, the same function `flagops deploy` calls.
 */

import type { HoldCheck } from '../pipeline/holds.ts';
import { runRelease } from '../pipeline/release.ts';
import { holdsFromEnv } from '../revert/hold.ts';
import { remoteBranchContent, runtimeFromEnvironment } from '../runtime/env.ts';
import { ActionError, booleanInput, numberInput, runAction, stringInput } from './kit.ts';
import { reportRelease } from './release-report.ts';
import { actionReporter, targetInputs } from './target-inputs.ts';

export async function run(): Promise<void> {
  await runAction(async () => {
    const { root, target } = targetInputs();
    const bake = booleanInput('bake', true);
    const branch = stringInput('branch', { default: 'main' }) ?? 'main';
    const pullRequest = numberInput('pull-request', 0, { min: 0, integer: true });
    const pollSeconds = numberInput('poll-interval-seconds', 30, { min: 5, max: 600 });
    const failOnBreach = booleanInput('fail-on-breach', true);
    const runtime = await runtimeFromEnvironment(process.env);
    const holds = requiredHolds(process.env);
    const result = await runRelease({
      holds,
      target,
      ...runtime,
      reporter: actionReporter,
      content: remoteBranchContent(root, branch, 'origin', pullRequest > 0 ? { pullRequest } : {}),
      bake,
      settings: { pollIntervalMs: pollSeconds * 1000 },
    });
    await reportRelease(result);
    if (result.status === 'failed' || result.status === 'timed-out' || result.status === 'held') {
      throw new ActionError(`${result.target}: ${result.status} — ${result.message ?? ''}`);
    }
    if (result.status === 'unverified' || result.status === 'no-data') {
      // Not enough evidence: nothing was rolled back, but the job must not pass as healthy.
      throw new ActionError(
        `${result.target}: bake ${result.status} — ${result.message ?? 'not enough evidence'}`,
      );
    }
    if (result.status === 'rolled-back' && failOnBreach) {
      throw new ActionError(`${result.target}: breach — rolled back (see the job summary for the evidence)`);
    }
  });
}

/**
 * docs/concepts.md#holds: while its revert pull request is open a target is held. In a workflow
 * that check is not optional — a deploy that cannot see pull requests would re-apply what was just
 * rolled back — so without a token (or repository) the step fails before touching AWS.
 */
export function requiredHolds(env: NodeJS.ProcessEnv): HoldCheck {
  const token = stringInput('token') ?? env['GITHUB_TOKEN'];
  const holds = token ? holdsFromEnv({ ...env, GITHUB_TOKEN: token }) : undefined;
  if (!holds)
    throw new ActionError(
      `cannot check for an open automatic revert pull request (${token ? 'GITHUB_REPOSITORY is not set' : 'no GitHub token'}), so nothing is deployed: pass "token: \${{ github.token }}" to the deploy step and grant its job "pull-requests: read"`,
    );
  return holds;
}
