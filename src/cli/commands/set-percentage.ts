/**
 * `flagops set-percentage --environment E --percentage N [--pr]`: the guide's traffic step as a
 * one-line edit of the values file. Raising traffic above 0 needs `use_influxdb_for_api_queries`
 * on: run `flagops enable-queries` first (merged on its own, or stacked on the same `--pr` branch;
 * see src/edit/change.ts). Also home of the glue the three edit commands share.
 */
import { verificationFromEnv } from '../../acceptance/record.ts';
import { type EditSpec, editAsPullRequest, editWorkingTree, ValidationFailed } from '../../edit/change.ts';
import { setPercentage } from '../../edit/traffic.ts';
import { EditError } from '../../edit/yaml-edit.ts';
import { gitRemote } from '../../git/remote.ts';
import { gitHubFromEnv } from '../../github/from-env.ts';
import { formatDiagnostic } from '../../model/index.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import { policyNow } from '../../policy/now.ts';
import { validateRepository } from '../../policy/validate.ts';
import { dwellFromEnv } from '../../rollout/bake-record.ts';
import { CliError, type CliIO, type Command, EXIT, type OptionSpec, type ParsedArgs } from '../command.ts';
import { findRepoRoot, selectTarget, TARGET_OPTIONS } from '../context.ts';

export const EDIT_OPTIONS = {
  'app-name': TARGET_OPTIONS['app-name'],
  environment: TARGET_OPTIONS.environment,
  pr: {
    type: 'boolean',
    description: 'Commit on a branch, push it (FLAGOPS_GIT_REMOTE or origin) and open its pull request',
  },
  update: {
    type: 'boolean',
    description: "With --pr: add this change to the target's open pull request instead of refusing",
  },
} as const satisfies Record<string, OptionSpec>;

export const command: Command = {
  name: 'set-percentage',
  summary: 'Set the share of API queries served by InfluxDB in one environment',
  description:
    'Edits flags/<app>/<env>/feature-flags.yaml in place (comments and layout kept), validates it with\n' +
    'policy and refuses an illegal change with the reason. With --pr the change goes to a pull request\n' +
    '(GITHUB_TOKEN, GITHUB_REPOSITORY); re-running updates the same pull request.',
  options: {
    ...EDIT_OPTIONS,
    percentage: { type: 'number', description: 'Percentage 0-100', placeholder: 'N', required: true },
  },
  async run(args, io) {
    const percentage = numberOption(args, 'percentage');
    return runEdit(args, io, {
      name: 'set-percentage',
      flags: `--percentage ${percentage}`,
      apply: (text) => setPercentage(text, percentage),
    });
  },
};

export function numberOption(args: ParsedArgs, name: string): number {
  const value = args.options[name];
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new CliError(`--${name} needs a number, got ${String(value)}`, EXIT.usage);
  return value;
}

export interface EditCommand {
  name: string;
  /** The command's own options, for the recorded invocation. */
  flags: string;
  apply(text: string): string;
  notes?: string[];
}

/** Select the target, edit, judge, then write it or open the pull request; print what happened. */
export async function runEdit(args: ParsedArgs, io: CliIO, edit: EditCommand): Promise<number> {
  const root = findRepoRoot(io.cwd, io.env);
  const environment = String(args.options['environment']);
  const appName = args.options['app-name'] as string | undefined;
  const { app, target } = selectTarget(loadWorkingTree(root), { appName, environment });
  const spec: EditSpec = {
    application: app.name,
    environment,
    profile: target.profile,
    file: target.file,
    apply: edit.apply,
    invocation: `flagops ${edit.name} --app-name ${app.name} --environment ${environment} ${edit.flags}`,
    ...(edit.notes ? { notes: edit.notes } : {}),
  };
  const now = policyNow(io.env);
  const current = loadWorkingTree(root);
  const verification = await verificationFromEnv(io.env, current);
  // The dwell and the soak after enabling queries: the bake records of the steps that run now.
  const dwell = await dwellFromEnv(io.env, current);
  const validate = (
    head: Parameters<typeof validateRepository>[0],
    base: Parameters<typeof validateRepository>[1],
  ) =>
    validateRepository(head, base, now, {
      ...(verification ? { verification } : {}),
      ...(dwell ? { dwell } : {}),
    });
  try {
    if (args.options['pr'] !== true) {
      const outcome = editWorkingTree(root, spec, validate);
      if (!outcome.changed) io.stdout(`${outcome.file}: already so, nothing to change\n`);
      else io.stdout(`${outcome.file}: ${outcome.changes.join(', ') || 'updated'}\n`);
      return EXIT.ok;
    }
    const { api } = gitHubFromEnv(io.env);
    const remote = gitRemote(root, io.env);
    const outcome = await editAsPullRequest(spec, {
      remote: remote.url,
      github: api,
      validate,
      env: remote.env,
      update: args.options['update'] === true,
    });
    io.stdout(
      `${outcome.action === 'created' ? 'opened' : outcome.action === 'updated' ? 'updated' : 'unchanged'} pull request #${outcome.pullRequest.number} (${outcome.branch}): ${outcome.changes.join(', ')}\n${outcome.pullRequest.url}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ValidationFailed) {
      for (const d of error.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      throw new CliError(error.message, EXIT.failed);
    }
    if (error instanceof EditError) throw new CliError(error.message, EXIT.failed);
    throw error;
  }
}
