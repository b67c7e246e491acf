/**
 * `flagops advance [--environment E] [--dry-run]`: for every target of the checkout (in the
 * workflow: `main`) with a `_rollout` plan, propose the next step as a pull request once the current
 * one is deployed, baked healthy and has dwelt — or say what it waits for and until when.
 */

import { makeContext } from '../../pipeline/context.ts';
import { silentReporter } from '../../pipeline/events.ts';
import { advanceAll } from '../../rollout/advance.ts';
import { advanceDepsFromEnv, hasGitHub } from '../../runtime/advance.ts';
import { runtimeFromEnvironment, workingTreeContent } from '../../runtime/env.ts';
import { CliError, type Command, EXIT } from '../command.ts';
import { findRepoRoot } from '../context.ts';

export const command: Command = {
  name: 'advance',
  summary: 'Propose the next step of each due gradual rollout as a pull request',
  description:
    'Reads every `_rollout` plan on the checkout. A step is proposed (one pull request labelled\n' +
    'flagops:advance) only when the current one runs in AppConfig, baked healthy and dwelt the longest\n' +
    "of the plan's wait, the policy's dwell and the soak; never during a hold, a freeze window or while\n" +
    'another pull request for the target is open. Environments with auto_merge: true get the pull\n' +
    'request merged once GitHub allows it. Needs GITHUB_TOKEN and GITHUB_REPOSITORY unless --dry-run.',
  options: {
    environment: { type: 'string', description: 'Only this environment', placeholder: 'ENV' },
    'dry-run': { type: 'boolean', description: 'Only say what would happen', default: false },
    json: { type: 'boolean', description: 'Print the outcome as JSON', default: false },
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const dryRun = args.options['dry-run'] === true;
    const environment = args.options['environment'] as string | undefined;
    const runtime = await runtimeFromEnvironment(io.env);
    const ctx = makeContext({ ...runtime, reporter: silentReporter });
    const snapshot = await workingTreeContent(root)();
    if (!hasGitHub(io.env) && !dryRun)
      throw new CliError(
        'GITHUB_TOKEN and GITHUB_REPOSITORY must be set to propose steps (or use --dry-run)',
      );
    const outcomes = await advanceAll(
      advanceDepsFromEnv(io.env, { root, ctx, snapshot, dryRun, ...(environment ? { environment } : {}) }),
    );
    if (args.options['json'] === true) io.stdout(`${JSON.stringify(outcomes, null, 2)}\n`);
    else if (outcomes.length === 0)
      io.stdout('no gradual rollout in progress (no _rollout plan on this checkout)\n');
    else
      for (const o of outcomes)
        io.stdout(`${o.target}: ${o.message}${o.pullRequest ? `\n  ${o.pullRequest.url}` : ''}\n`);
    return EXIT.ok;
  },
};
