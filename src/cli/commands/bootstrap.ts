/**
 * `flagops bootstrap`: create the AppConfig resources the repository names and that are missing.
 * Never deletes or changes anything; reports what differs. With FLAGOPS_ALARM_ROLE_ARN set, new
 * environments get monitors for their watched alarms, so AppConfig can roll back by itself too.
 * With FLAGOPS_RELEASE_GUARD_LAMBDA_ARN set, the release guard extension is created and associated
 * with every environment (src/pipeline/release-guard-setup.ts).
 */

import { createExtensionsApi } from '../../aws/extensions.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import type { Repository } from '../../model/types.ts';
import { alarmArnPrefixFor, bootstrap } from '../../pipeline/bootstrap.ts';
import { makeContext } from '../../pipeline/context.ts';
import { appConfigArnPrefix, setUpReleaseGuard } from '../../pipeline/release-guard-setup.ts';
import { awsRolesFor } from '../../protect/aws-roles.ts';
import { runtimeFromEnvironment } from '../../runtime/env.ts';
import { CliError, type CliIO, type Command, EXIT } from '../command.ts';
import { findRepoRoot, selectApplication } from '../context.ts';
import { runDashboards } from './dashboard.ts';

/** The roles declaration (src/protect/aws-roles.ts): what to create in IAM before the first run. */
function printRoles(repo: Repository, options: Record<string, unknown>, io: CliIO): number {
  const repository = (options['repository'] as string | undefined) ?? io.env['GITHUB_REPOSITORY'] ?? '';
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository))
    throw new CliError(
      `--repository must be OWNER/REPO (or set GITHUB_REPOSITORY), got "${repository}"`,
      EXIT.usage,
    );
  const account = options['account'] as string | undefined;
  if (account !== undefined && !/^\d{12}$/.test(account))
    throw new CliError(`--account must be a 12-digit AWS account id, got "${account}"`, EXIT.usage);
  io.stdout(`${JSON.stringify(awsRolesFor(repo, repository, account), null, 2)}\n`);
  return EXIT.ok;
}

export const command: Command = {
  name: 'bootstrap',
  summary: 'Create missing AppConfig resources; never deletes',
  options: {
    'app-name': { type: 'string', description: 'Only this application (default: all)', placeholder: 'NAME' },
    json: { type: 'boolean', description: 'Print what was done as JSON', default: false },
    'print-roles': {
      type: 'boolean',
      description:
        'Print the IAM roles the workflows assume (trust and permissions) as JSON; touches nothing',
      default: false,
    },
    repository: {
      type: 'string',
      description: 'OWNER/REPO the roles trust (default: GITHUB_REPOSITORY)',
      placeholder: 'OWNER/REPO',
    },
    account: { type: 'string', description: 'AWS account id in the OIDC provider ARN', placeholder: 'ID' },
  },
  async run(args, io) {
    const repo = loadWorkingTree(findRepoRoot(io.cwd, io.env));
    if (args.options['print-roles'] === true) return printRoles(repo, args.options, io);
    const appName = args.options['app-name'] as string | undefined;
    if (appName !== undefined) selectApplication(repo, appName);
    const roleArn = io.env['FLAGOPS_ALARM_ROLE_ARN'];
    const region = io.env['AWS_REGION'] ?? io.env['AWS_DEFAULT_REGION'] ?? '';
    const prefix = roleArn ? alarmArnPrefixFor(roleArn, region) : undefined;
    if (roleArn && !prefix) {
      throw new CliError(
        `FLAGOPS_ALARM_ROLE_ARN="${roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>), or AWS_REGION is unset`,
        EXIT.usage,
      );
    }
    const json = args.options['json'] === true;
    const runtime = await runtimeFromEnvironment(io.env);
    const ctx = makeContext({
      ...runtime,
      reporter: { emit: (e) => (json ? undefined : io.stdout(`${e.message}\n`)) },
    });
    const actions = await bootstrap(ctx, repo, {
      ...(roleArn && prefix ? { alarmRoleArn: roleArn, alarmArnPrefix: prefix } : {}),
      ...(appName ? { applications: [appName] } : {}),
    });
    // The release guard (README, "Threat model"): deployments flagops did not sign are refused.
    const guardArn = io.env['FLAGOPS_RELEASE_GUARD_LAMBDA_ARN'];
    if (guardArn) {
      if (!appConfigArnPrefix(guardArn))
        throw new CliError(
          `FLAGOPS_RELEASE_GUARD_LAMBDA_ARN="${guardArn}" is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)`,
          EXIT.usage,
        );
      const guardRole = io.env['FLAGOPS_RELEASE_GUARD_ROLE_ARN'];
      actions.push(
        ...(await setUpReleaseGuard(ctx, createExtensionsApi(region ? { region } : {}), repo, {
          lambdaArn: guardArn,
          ...(guardRole ? { roleArn: guardRole } : {}),
          ...(appName ? { applications: [appName] } : {}),
        })),
      );
      for (const a of actions.filter((x) => x.resource.startsWith('extension')))
        if (!json) io.stdout(`${a.resource} ${a.name}: ${a.action}${a.detail ? ` — ${a.detail}` : ''}\n`);
    }
    // The dashboards app.yaml names are resources too: written from the guards when they differ.
    const dashboards = await runDashboards(
      runtime.aws,
      appName ? [selectApplication(repo, appName)] : Object.values(repo.applications),
      { mode: 'apply', region: region || 'us-east-1' },
      { stdout: (t) => (json ? undefined : io.stdout(t)) },
    );
    const dashboardActions = dashboards.map((d) => ({
      resource: 'dashboard',
      name: d.dashboard,
      action: d.state === 'unchanged' ? 'exists' : d.state,
    }));
    if (json) io.stdout(`${JSON.stringify([...actions, ...dashboardActions], null, 2)}\n`);
    else {
      const created = actions.filter((a) => a.action === 'created').length;
      io.stdout(`${created} created, ${actions.length - created} already there\n`);
    }
    return EXIT.ok;
  },
};
