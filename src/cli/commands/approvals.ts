/**
 * `flagops approvals --pr N`: the change-control verdict for a pull request, posted as the commit
 * status `flagops/change-control` on its head commit. Policy comes from the checkout this runs in —
 * in the workflow, the pull request's base — so a pull request cannot lower its own bar.
 */

import { runChangeControl } from '../../approvals/gate.ts';
import { gitHubFromEnv } from '../../github/from-env.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import { gateInputs } from '../../runtime/gate-inputs.ts';
import { CliError, type Command, EXIT } from '../command.ts';
import { findRepoRoot } from '../context.ts';

export const command: Command = {
  name: 'approvals',
  summary: 'Count approvals on a pull request and post the flagops/change-control status',
  description:
    'Needs GITHUB_TOKEN and GITHUB_REPOSITORY (and GITHUB_API_URL off github.com). Exit 0 when the\n' +
    'pull request has the approvals its environments require, 1 when not, 3 when GitHub fails.',
  options: {
    pr: { type: 'number', description: 'Pull request number', placeholder: 'N', required: true },
    'app-login': {
      type: 'string',
      description: "The flagops App's bot login (<slug>[bot]): only its pull requests can be reverts",
      placeholder: 'LOGIN',
    },
  },
  async run(args, io) {
    const pr = args.options['pr'];
    if (typeof pr !== 'number' || !Number.isInteger(pr) || pr < 1)
      throw new CliError(`--pr must be a pull request number, got ${String(pr)}`, EXIT.usage);
    const root = findRepoRoot(io.cwd, io.env);
    loadWorkingTree(root); // Refuses a repository that does not load, with its diagnostics.
    const login = args.options['app-login'];
    const { api } = gitHubFromEnv(io.env);
    const { repository, options } = await gateInputs(
      root,
      io.env,
      typeof login === 'string' ? { appLogin: login } : {},
    );
    const result = await runChangeControl(api, repository, pr, options);
    for (const rule of result.verdict.rules) {
      const who = rule.approvedBy.length > 0 ? rule.approvedBy.join(', ') : 'nobody';
      io.stdout(
        `${rule.rule.environment}: ${rule.approvedBy.length}/${rule.rule.required} approvals (${who})\n`,
      );
    }
    for (const error of result.policy?.errors ?? []) io.stdout(`policy: ${error}\n`);
    io.stdout(`${result.satisfied ? 'approved' : 'not approved'}: ${result.description}\n`);
    return result.satisfied ? EXIT.ok : EXIT.failed;
  },
};
