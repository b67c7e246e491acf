/**
 * The bake action: watch an existing deployment's guards and alarms for a while (a soak window
 * longer than the deploy job), and roll back on a breach. A thin shell over `runBake`.
 */

import { gitHubFromEnv } from '../github/from-env.ts';
import { runBake } from '../pipeline/release.ts';
import { recordBakeFromEnv } from '../rollout/bake-record.ts';
import { wakeAdvancer } from '../rollout/wake.ts';
import { runtimeFromEnvironment, workingTreeContent } from '../runtime/env.ts';
import { ActionError, booleanInput, log, numberInput, runAction, setOutputs, stringInput } from './kit.ts';
import { reportRelease } from './release-report.ts';
import { actionReporter, targetInputs } from './target-inputs.ts';

export async function run(): Promise<void> {
  await runAction(async () => {
    const { root, target } = targetInputs();
    const deploymentNumber = numberInput('deployment-number', 0, { min: 0, integer: true });
    const bakeMinutes = numberInput('bake-minutes', -1, { min: 0, max: 1440 });
    const pollSeconds = numberInput('poll-interval-seconds', 30, { min: 5, max: 600 });
    const rollback = booleanInput('rollback', true);
    const failOnBreach = booleanInput('fail-on-breach', true);
    const runtime = await runtimeFromEnvironment(process.env);
    const content = workingTreeContent(root);
    const result = await runBake({
      target,
      ...runtime,
      reporter: actionReporter,
      content,
      ...(deploymentNumber > 0 ? { deploymentNumber } : {}),
      ...(bakeMinutes >= 0 ? { bakeMinutes } : {}),
      rollback,
      settings: { pollIntervalMs: pollSeconds * 1000 },
    });
    await reportRelease(result);
    // The bake record (a GitHub deployment of task flagops:bake): what the dwell rule, the advancer
    // and the soak watch read. Written for every bake that ran to its end, healthy or not, with the
    // release record as data (its first revision after the bake; src/rollout/release-store.ts).
    // When another writer (a watch adopting this bake) recorded it first, theirs stays.
    const token = stringInput('token');
    const record = token
      ? await recordBakeFromEnv(
          { ...process.env, GITHUB_TOKEN: token },
          result,
          target,
          (await content()).commit.sha,
        )
      : undefined;
    if (record) {
      log.info(
        `bake record: deployment ${record.deploymentNumber} ${record.verdict}, release record r${record.release?.revision ?? 0} (${record.url ?? record.id})`,
      );
      setOutputs({ 'bake-record': record.id });
    }
    // decide found the step due at the bake's end: wake the advancer now rather than at its next cron.
    const wakeToken = stringInput('wake-token');
    if (record && result.wakeAdvancer && wakeToken) {
      const { octokit, api } = gitHubFromEnv({ ...process.env, GITHUB_TOKEN: wakeToken });
      try {
        log.info(await wakeAdvancer(octokit, api.repo, target.environment));
      } catch (error) {
        // The cron still runs the advancer: a lost wake-up only costs time.
        log.warning(
          `could not dispatch the advancer (its schedule will run it): ${(error as Error).message}`,
        );
      }
    }
    if (result.status === 'failed' && result.breaches.length === 0) {
      throw new ActionError(`${result.target}: ${result.message ?? 'failed'}`);
    }
    if (result.status === 'unverified' || result.status === 'no-data') {
      // Not enough evidence: nothing was rolled back, but the job must not pass as healthy.
      throw new ActionError(
        `${result.target}: bake ${result.status} — ${result.message ?? 'not enough evidence'}`,
      );
    }
    if (result.breaches.length > 0 && failOnBreach) {
      throw new ActionError(
        `${result.target}: breach${result.rollback ? ' — rolled back' : ''} (see the job summary)`,
      );
    }
  });
}
