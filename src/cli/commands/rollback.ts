/**
 * `flagops rollback`: the emergency brake — put the previous version back now (stop the deployment
 * in flight, revert a recent one, or redeploy the previous version) and verify it is served. Never
 * blocked by policy (README promise 5). With GITHUB_TOKEN and GITHUB_REPOSITORY set (a workflow, the
 * emulator's exports) it then opens the automatic revert pull request — the same `openRevert` the
 * revert action runs — so the target is held until git says what runs again.
 */

import { gitRemote } from '../../git/remote.ts';
import { gitHubFromEnv } from '../../github/from-env.ts';
import { tokenLogin } from '../../github/identity.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import { makeContext } from '../../pipeline/context.ts';
import { resolveTarget } from '../../pipeline/resolve.ts';
import { rollback } from '../../pipeline/rollback.ts';
import { terminalReporter } from '../../pipeline/terminal.ts';
import { revertFollows } from '../../release/decide.ts';
import { openRevert } from '../../revert/open.ts';
import { recordRollback } from '../../rollout/adopt.ts';
import { gitHubBakeStore } from '../../rollout/bake-record.ts';
import { runtimeFromEnvironment, workingTreeContent } from '../../runtime/env.ts';
import { failureOf } from '../../runtime/failure.ts';
import { priorContentFromGit } from '../../runtime/prior-content.ts';
import { type Command, EXIT } from '../command.ts';
import { TARGET_OPTIONS, targetFromArgs } from '../context.ts';

export const command: Command = {
  name: 'rollback',
  summary: 'Emergency: serve the previous version now',
  options: {
    ...TARGET_OPTIONS,
    reason: { type: 'string', description: 'Why (recorded in the log and the revert)', placeholder: 'TEXT' },
    json: { type: 'boolean', description: 'Print the result as JSON', default: false },
    revert: {
      type: 'boolean',
      description:
        'Open the automatic revert pull request afterwards (needs GITHUB_TOKEN and GITHUB_REPOSITORY)',
      default: true,
    },
  },
  async run(args, io) {
    const { root, app, target } = targetFromArgs(args, io, loadWorkingTree);
    const json = args.options['json'] === true;
    const reason = (args.options['reason'] as string | undefined) ?? 'manual rollback';
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
    // A first deployment has no earlier AppConfig version: git's pre-change content is the target.
    const prior = priorContentFromGit(root, resolved.ref);
    const result = await rollback(ctx, resolved, { evidence: [], reason, prior });
    const gitHubReady = !!(io.env['GITHUB_TOKEN'] || io.env['GH_TOKEN']) && !!io.env['GITHUB_REPOSITORY'];
    let revert: Awaited<ReturnType<typeof openRevert>> | undefined;
    // Whether a revert pull request follows is decide's rule (src/release/decide.ts).
    if (args.options['revert'] !== false && gitHubReady && !revertFollows(result.serving?.number)) {
      // Nothing serves now (the first deployment was undone): a values file cannot say "nothing".
      if (!json) io.stdout('no revert pull request: the environment serves no version now; fix forward\n');
    } else if (args.options['revert'] !== false && gitHubReady) {
      const { octokit, api } = gitHubFromEnv(io.env);
      const remote = gitRemote(root, io.env);
      revert = await openRevert({
        evidence: {
          target: resolved.ref,
          breaches: [],
          reason,
          ...(result.deploymentNumber !== undefined ? { deploymentNumber: result.deploymentNumber } : {}),
          ...(result.serving ? { serving: result.serving } : {}),
          rollbackAction: result.action,
          ...(result.redeployNumber !== undefined ? { redeployNumber: result.redeployNumber } : {}),
          rolledBackAt: result.at,
        },
        aws: ctx.aws,
        github: api,
        login: await tokenLogin(octokit),
        remote: remote.url,
        env: remote.env,
      });
      if (!json)
        io.stdout(
          revert.pullRequest
            ? `revert pull request #${revert.pullRequest.number} ${revert.action}: ${revert.pullRequest.url}\n`
            : `${revert.message ?? 'no revert pull request needed'}\n`,
        );
    } else if (!json && args.options['revert'] !== false && !gitHubReady) {
      io.stdout('no revert pull request: set GITHUB_TOKEN and GITHUB_REPOSITORY to open one\n');
    }
    // Last, so a run killed before it is finished by the next one (flagops watch adopts the rollback).
    // The rollback is done either way: a record GitHub refuses (a commit it does not know is written
    // on the default branch instead; anything else) is a warning, as for `flagops deploy`.
    if (gitHubReady && result.deploymentNumber !== undefined) {
      const { octokit, api } = gitHubFromEnv(io.env);
      const by = result.adopted ? result.adopted.by : 'flagops rollback';
      await recordRollback(
        ctx,
        gitHubBakeStore(octokit, api.repo),
        resolved,
        result.deploymentNumber,
        `rolled back by ${by} (${result.action}): ${reason}`,
        (await workingTreeContent(root)()).commit.sha,
        {
          rollback: {
            action: result.action,
            at: result.at,
            by,
            ...(result.serving ? { serving: result.serving.number } : {}),
          },
          ...(revert?.pullRequest ? { pullRequest: revert.pullRequest } : {}),
        },
      ).catch((e: unknown) => {
        io.stderr(
          `warning: the rollback was not recorded on GitHub (flagops watch will adopt it from AppConfig): ${failureOf(e).message}\n`,
        );
      });
    }
    if (json) io.stdout(`${JSON.stringify(revert ? { ...result, revert } : result, null, 2)}\n`);
    return result.verified ? EXIT.ok : EXIT.failed;
  },
};
