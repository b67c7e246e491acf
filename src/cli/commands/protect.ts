/**
 * `flagops protect --print|--apply`: the branch protection, environments and CODEOWNERS change
 * control needs, from app.yaml. `--print` shows them; `--apply` puts the branch protection and the
 * environments through the GitHub API and writes .github/CODEOWNERS into the working tree (commit
 * it in a pull request: main is protected).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitHubFromEnv } from '../../github/from-env.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import { protectionFor, renderProtection } from '../../protect/settings.ts';
import { CliError, type Command, EXIT } from '../command.ts';
import { findRepoRoot } from '../context.ts';

export const command: Command = {
  name: 'protect',
  summary: 'Branch protection, environments and CODEOWNERS for change control, from app.yaml',
  description:
    '--print shows them; --apply sets the branch protection of main and the environments through\n' +
    'the GitHub API (GITHUB_TOKEN of an admin, GITHUB_REPOSITORY) and writes .github/CODEOWNERS.',
  options: {
    print: { type: 'boolean', description: 'Print what would be set', default: false },
    apply: { type: 'boolean', description: 'Set it through the GitHub API', default: false },
    owners: {
      type: 'string',
      description: 'Code owners of everything outside the values files, e.g. @ons/platform-leads',
      placeholder: 'TEAM',
      required: true,
    },
    'app-id': { type: 'number', description: "The flagops App's id", placeholder: 'ID', required: true },
  },
  async run(args, io) {
    const print = args.options['print'] === true;
    const apply = args.options['apply'] === true;
    if (print === apply) throw new CliError('give exactly one of --print or --apply', EXIT.usage);
    const owners = String(args.options['owners']);
    if (!/^@[\w-]+(\/[\w-]+)?$/.test(owners))
      throw new CliError(`--owners must be @user or @org/team, got ${owners}`, EXIT.usage);
    const appId = Number(args.options['app-id']);
    if (!Number.isInteger(appId) || appId < 1)
      throw new CliError(
        `--app-id must be the App's numeric id, got ${String(args.options['app-id'])}`,
        EXIT.usage,
      );
    const root = findRepoRoot(io.cwd, io.env);
    const p = protectionFor(loadWorkingTree(root), { owners, appId });
    if (print) {
      io.stdout(renderProtection(p));
      return EXIT.ok;
    }
    const { octokit, api } = gitHubFromEnv(io.env);
    const base = { owner: api.repo.owner, repo: api.repo.repo };
    // `checks` (with the App's id) replaces the deprecated `contexts` the types still insist on.
    const body = { ...base, branch: p.branch, ...p.protection };
    await octokit.rest.repos.updateBranchProtection(
      body as unknown as Parameters<typeof octokit.rest.repos.updateBranchProtection>[0],
    );
    io.stdout(`branch protection of ${p.branch} set\n`);
    for (const e of p.environments) {
      // Protected branches only: main, once the protection above is set.
      await octokit.rest.repos.createOrUpdateEnvironment({
        ...base,
        environment_name: e.name,
        deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
      });
      io.stdout(`environment ${e.name}: protected branches only\n`);
    }
    mkdirSync(join(root, '.github'), { recursive: true });
    writeFileSync(join(root, '.github', 'CODEOWNERS'), p.codeOwners);
    io.stdout('.github/CODEOWNERS written: commit it in a pull request\n');
    return EXIT.ok;
  },
};
