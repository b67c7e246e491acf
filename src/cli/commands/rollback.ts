/**
 * `flagops rollback`: the emergency brake — put the previous version back now (stop the deployment
 * in flight, revert a recent one, or redeploy the previous version) and verify it is served. Never
 * blocked by policy (promise 5). The revert pull request follows from the watch workflow.
 */
import { makeContext } from '../../pipeline/context.ts';
import { failureOf } from '../../pipeline/failure.ts';
import { resolveTarget } from '../../pipeline/resolve.ts';
import { rollback } from '../../pipeline/rollback.ts';
import { runtimeFromEnvironment } from '../../pipeline/runtime.ts';
import { terminalReporter } from '../../pipeline/terminal.ts';
import { CliError, type Command, EXIT } from '../command.ts';
import { findRepoRoot, selectTarget, TARGET_OPTIONS } from '../context.ts';
import { loadWorkingTree } from '../load.ts';

export const command: Command = {
  name: 'rollback',
  summary: 'Emergency: serve the previous version now',
  options: {
    ...TARGET_OPTIONS,
    reason: { type: 'string', description: 'Why (recorded in the log and the revert)', placeholder: 'TEXT' },
    json: { type: 'boolean', description: 'Print the result as JSON', default: false },
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const { app, target } = selectTarget(loadWorkingTree(root), {
      appName: args.options['app-name'] as string | undefined,
      environment: args.options['environment'] as string,
      profile: args.options['profile'] as string,
    });
    const json = args.options['json'] === true;
    const reason = (args.options['reason'] as string | undefined) ?? 'manual rollback';
    try {
      const runtime = await runtimeFromEnvironment(io.env);
      const ctx = makeContext({
        ...runtime,
        reporter: json ? { emit: () => {} } : terminalReporter(io.stdout, io.isTTY),
      });
      const resolved = await resolveTarget(ctx.aws, {
        application: app.name,
        environment: target.environment,
        profile: target.profile,
      });
      const result = await rollback(ctx, resolved, { evidence: [], reason });
      if (json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      return result.verified ? EXIT.ok : EXIT.failed;
    } catch (error) {
      const f = failureOf(error);
      throw new CliError(f.message, f.exitCode);
    }
  },
};
