/**
 * The glue every edit command shares (`flagops set`, `flagops rollout` and the commands an
 * application declares in app.yaml): select the target, edit, judge with validation and policy,
 * then write the working tree or open the pull request, and print what happened.
 */
import { verificationFromEnv } from '../acceptance/record.ts';
import { type EditSpec, editAsPullRequest, editWorkingTree, ValidationFailed } from '../edit/change.ts';
import { EditError } from '../edit/yaml-edit.ts';
import { gitRemote } from '../git/remote.ts';
import { gitHubFromEnv } from '../github/from-env.ts';
import { formatDiagnostic } from '../model/index.ts';
import { loadWorkingTree } from '../model/revision.ts';
import type { Application } from '../model/types.ts';
import { policyNow } from '../policy/now.ts';
import { validateRepository } from '../policy/validate.ts';
import { dwellFromEnv } from '../rollout/bake-record.ts';
import { CliError, type CliIO, EXIT, type OptionSpec, type ParsedArgs } from './command.ts';
import { findRepoRoot, selectTarget, TARGET_OPTIONS } from './context.ts';

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

export function numberOption(args: ParsedArgs, name: string): number {
  const value = args.options[name];
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new CliError(`--${name} needs a number, got ${String(value)}`, EXIT.usage);
  return value;
}

export interface PreparedEdit {
  apply(text: string): string;
  /** Extra lines for the pull request body (a rollout plan, say). */
  notes?: string[];
}

export interface EditCommand {
  name: string;
  /** The command's own arguments, for the recorded invocation. */
  flags: string;
  /** The edit for the selected application; throws EditError when the arguments do not fit it. */
  prepare(app: Application): PreparedEdit;
  /** The application to use when `--app-name` is omitted (a preset knows its own). */
  defaultApp?: string;
}

/** Select the target, edit, judge, then write it or open the pull request; print what happened. */
export async function runEdit(args: ParsedArgs, io: CliIO, edit: EditCommand): Promise<number> {
  const root = findRepoRoot(io.cwd, io.env);
  const environment = String(args.options['environment']);
  const appName = (args.options['app-name'] as string | undefined) ?? edit.defaultApp;
  const current = loadWorkingTree(root);
  const { app, target } = selectTarget(current, { appName, environment });
  try {
    const prepared = edit.prepare(app);
    const spec: EditSpec = {
      application: app.name,
      environment,
      profile: target.profile,
      file: target.file,
      apply: prepared.apply,
      invocation:
        `flagops ${edit.name} --app-name ${app.name} --environment ${environment} ${edit.flags}`.trimEnd(),
      ...(prepared.notes ? { notes: prepared.notes } : {}),
    };
    const validate = await validatorFor(io.env, current);
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
    const verb = { created: 'opened', updated: 'updated', unchanged: 'unchanged' }[outcome.action];
    io.stdout(
      `${verb} pull request #${outcome.pullRequest.number} (${outcome.branch}): ${outcome.changes.join(', ')}\n${outcome.pullRequest.url}\n`,
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

/** Everything `validate` checks, with the recorded evidence (acceptance, dwell) policy asks for. */
async function validatorFor(env: NodeJS.ProcessEnv, current: ReturnType<typeof loadWorkingTree>) {
  const now = policyNow(env);
  const verification = await verificationFromEnv(env, current);
  const dwell = await dwellFromEnv(env, current);
  return (head: Parameters<typeof validateRepository>[0], base: Parameters<typeof validateRepository>[1]) =>
    validateRepository(head, base, now, {
      ...(verification ? { verification } : {}),
      ...(dwell ? { dwell } : {}),
    });
}
