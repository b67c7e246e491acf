/**
 * The watch action: the soak watch for every target (`soakWatchFromEnv`, the same function
 * `flagops watch` calls), its outcome in the step log, the outputs and the job summary.
 */
import { resolve } from 'node:path';
import { failureOf } from '../runtime/failure.ts';
import { soakWatchFromEnv } from '../runtime/soak.ts';
import { ActionError, booleanInput, log, runAction, setOutputs, stringInput, writeSummary } from './kit.ts';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await runAction(async () => {
    const token = stringInput('token', { required: true });
    const root = resolve(stringInput('working-directory', { default: '.' }) ?? '.');
    const environment = stringInput('environment');
    const login = stringInput('bot-login');
    let outcomes: Awaited<ReturnType<typeof soakWatchFromEnv>>;
    try {
      outcomes = await soakWatchFromEnv(
        { ...env, GITHUB_TOKEN: token },
        { root, ...(environment ? { environment } : {}), ...(login ? { login } : {}) },
      );
    } catch (error) {
      throw new ActionError(failureOf(error).message);
    }
    for (const o of outcomes) log.info(`${o.target}: ${o.status} — ${o.message}`);
    const breached = outcomes.filter((o) => o.status === 'breached' && o.rollback);
    setOutputs({ breached: breached.length, results: outcomes });
    await writeSummary([
      {
        heading: 'flagops watch',
        table: [['target', 'status', 'detail'], ...outcomes.map((o) => [o.target, o.status, o.message])],
      },
    ]);
    if (breached.length > 0 && booleanInput('fail-on-breach', true))
      throw new ActionError(
        `soak breach: ${breached.map((o) => `${o.target} rolled back${o.pullRequest ? `, revert #${o.pullRequest.number}` : ''}`).join('; ')}`,
      );
  });
}
