/**
 * `flagops watch [--environment E] [--json]`: the soak after a bake's job ended (scheduled in
 * watch.yml). For every target inside its soak window, judge guards and alarms since the last run
 * (read from the bake record), and on a breach roll back and open the revert pull request. Exit 1
 * after a breach, so the scheduled run fails where people look.
 */

import type { SoakOutcome } from '../../rollout/soak-watch.ts';
import { soakWatchFromEnv } from '../../runtime/soak.ts';
import { type Command, EXIT } from '../command.ts';
import { findRepoRoot } from '../context.ts';

export const command: Command = {
  name: 'watch',
  summary: 'Soak: watch guards after the bake ended (24 h after 100 %), roll back and revert on a breach',
  description:
    'Run it on a checkout of main, on a schedule. For every target whose running deployment baked\n' +
    'healthy and is still inside its soak (soak_minutes: 15 after enabling, 24 h at 100 %), judge the\n' +
    'guards and alarms since the last run — where it left off is kept in the bake record (a GitHub\n' +
    'deployment of task flagops:bake), not in the job. On a breach: StopDeployment (AllowRevert within\n' +
    '72 h) or a redeploy of the previous version, then the automatic revert pull request. Needs AWS\n' +
    'credentials, GITHUB_TOKEN and GITHUB_REPOSITORY. Exit 1 after a breach.',
  options: {
    environment: { type: 'string', description: 'Only this environment', placeholder: 'ENV' },
    json: { type: 'boolean', description: 'Print the outcome as JSON', default: false },
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const environment = args.options['environment'] as string | undefined;
    const outcomes = await soakWatchFromEnv(io.env, {
      root,
      ...(environment ? { environment } : {}),
      ...(io.env['FLAGOPS_BOT_LOGIN'] ? { login: io.env['FLAGOPS_BOT_LOGIN'] } : {}),
    });
    if (args.options['json'] === true) io.stdout(`${JSON.stringify(outcomes, null, 2)}\n`);
    else io.stdout(`${renderSoaks(outcomes)}\n`);
    return outcomes.some((o) => o.status === 'breached' && o.rollback) ? EXIT.failed : EXIT.ok;
  },
};

export function renderSoaks(outcomes: readonly SoakOutcome[]): string {
  if (outcomes.length === 0) return 'no targets';
  const width = Math.max(...outcomes.map((o) => o.target.length));
  return outcomes
    .map(
      (o) =>
        `${o.target.padEnd(width)}  ${o.status.toUpperCase().padEnd(8)}  ${o.message}${o.pullRequest ? `\n${' '.repeat(width + 12)}${o.pullRequest.url}` : ''}`,
    )
    .join('\n');
}
