/**
 * `flagops deploy`: deploy one target from the working tree, bake it against its guards and
 * alarms, and roll it back on a breach — the same `runRelease` the deploy action runs.
 */

import { loadWorkingTree } from '../../model/revision.ts';
import { formatTimeline } from '../../pipeline/events.ts';
import { runRelease } from '../../pipeline/release.ts';
import { terminalReporter } from '../../pipeline/terminal.ts';
import { holdsFromEnv } from '../../revert/hold.ts';
import { recordBakeFromEnv } from '../../rollout/bake-record.ts';
import { runtimeFromEnvironment, workingTreeContent } from '../../runtime/env.ts';
import { failureOf } from '../../runtime/failure.ts';
import { CliError, type Command } from '../command.ts';
import { TARGET_OPTIONS, targetFromArgs } from '../context.ts';

export const command: Command = {
  name: 'deploy',
  summary: 'Deploy a target, bake it against its guards and alarms, roll back on a breach',
  description:
    "Deploys what the working tree compiles to (nothing to do when that content already runs), waits for any other deployment in the environment first, then watches guards and alarms for the environment's bake minutes. Exit 1 after a breach and rollback, 3 when AWS is unreachable or refusing.",
  options: {
    ...TARGET_OPTIONS,
    bake: {
      type: 'boolean',
      description: 'Bake and watch guards after deploying (--no-bake: only wait for the deployment)',
      default: true,
    },
    json: {
      type: 'boolean',
      description: 'Print the result as JSON instead of progress lines',
      default: false,
    },
  },
  async run(args, io) {
    const { root, app, target } = targetFromArgs(args, io, loadWorkingTree);
    const json = args.options['json'] === true;
    const runtime = await runtimeFromEnvironment(io.env).catch((e: unknown) => {
      throw new CliError(failureOf(e).message, 2);
    });
    const ref = { application: app.name, environment: target.environment, profile: target.profile };
    const result = await runRelease({
      target: ref,
      ...runtime,
      reporter: json ? { emit: () => {} } : terminalReporter(io.stdout, io.isTTY),
      content: workingTreeContent(root),
      bake: args.options['bake'] !== false,
      // Promise 6: with GITHUB_TOKEN and GITHUB_REPOSITORY, an open revert pull request holds the target.
      ...withHolds(io.env),
    });
    // The same bake record a workflow's bake writes, so `flagops watch`, the dwell and the advancer
    // see a deployment made by hand like one made by deploy.yml (needs GITHUB_TOKEN and GITHUB_REPOSITORY).
    const content = workingTreeContent(root);
    const record = await recordBakeFromEnv(io.env, result, ref, (await content()).commit.sha).catch(
      (e: unknown) => {
        io.stderr(
          `warning: the bake record was not written, so flagops watch will not watch it: ${failureOf(e).message}\n`,
        );
        return undefined;
      },
    );
    if (json) {
      io.stdout(
        `${JSON.stringify({ ...result, timeline: formatTimeline(result.timeline).split('\n') }, null, 2)}\n`,
      );
    } else {
      io.stdout(`\n${resultLine(result)}\n`);
      if (record) io.stdout(`bake record: deployment ${record.deploymentNumber} ${record.verdict}\n`);
    }
    if (result.status === 'failed' && result.message && json) io.stderr(`${result.message}\n`);
    return result.exitCode;
  },
};

function resultLine(r: Awaited<ReturnType<typeof runRelease>>): string {
  const v = r.version ? `version ${r.version.number}${r.version.label ? ` (${r.version.label})` : ''}` : '';
  switch (r.status) {
    case 'unchanged':
      return `${r.target}: already up to date — ${v}`;
    case 'held':
      return `${r.target}: held — ${r.message}`;
    case 'deployed':
      return `${r.target}: deployed ${v} (deployment ${r.deploymentNumber}, not baked)`;
    case 'healthy':
      return `${r.target}: deployed ${v}, baked healthy`;
    case 'no-data':
      return `${r.target}: deployed ${v}; the bake saw too little traffic to judge (held, not rolled back; exit 4)`;
    case 'unverified':
      return `${r.target}: deployed ${v}; bake UNVERIFIED — ${r.message ?? 'some periods were never observed'} (not rolled back; exit 4)`;
    case 'rolled-back':
      return `${r.target}: BREACH — rolled back to ${r.rollback?.serving ? `version ${r.rollback.serving.number}` : 'nothing'}${r.rollback?.verified ? ' (verified)' : ' (NOT verified: check flagops status)'}`;
    case 'timed-out':
    case 'failed':
      return `${r.target}: ${r.status} — ${r.message ?? ''}`;
  }
}

function withHolds(env: NodeJS.ProcessEnv): { holds?: NonNullable<ReturnType<typeof holdsFromEnv>> } {
  const holds = holdsFromEnv(env);
  return holds ? { holds } : {};
}
