/**
 * The commands an application declares in app.yaml's `commands:` (docs/reference.md#commands),
 * run as if they were built in: `flagops set-percentage --percentage 25` in this repository is
 * `flagops set FLAG.ATTRIBUTE=25` with the names its app.yaml gives. A `set:` command takes one
 * required option per `$placeholder`; a `rollout:` command takes --target, --step-size and
 * --wait-minutes. Nothing here knows any flag: the names come from the repository.
 */
import { applyAssignments, resolveAssignments } from '../../edit/assign.ts';
import { AssignmentError, parseAssignment, placeholderOf } from '../../model/assignment.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import type { Application, CommandPreset } from '../../model/types.ts';
import { CliError, type CliIO, type Command, EXIT, type OptionSpec, type ParsedArgs } from '../command.ts';
import { findRepoRoot } from '../context.ts';
import { EDIT_OPTIONS, numberOption, runEdit } from '../edit-run.ts';
import { rolloutEdit } from './rollout.ts';

/**
 * The command `name` as the repository's applications declare it, or undefined when none does.
 * With several applications declaring it, `--app-name` in `argv` chooses.
 */
export function presetCommand(
  name: string,
  argv: readonly string[],
  io: Pick<CliIO, 'cwd' | 'env'>,
): Command | undefined {
  const repo = loadWorkingTree(findRepoRoot(io.cwd, io.env));
  const chosen = appNameIn(argv);
  const declaring = Object.values(repo.applications).filter(
    (app) => app.commands?.[name] !== undefined && (chosen === undefined || app.name === chosen),
  );
  if (declaring.length === 0) return undefined;
  if (declaring.length > 1)
    throw new CliError(
      `flagops ${name} is declared by several applications (${declaring.map((a) => a.name).join(', ')}): choose one with --app-name`,
      EXIT.usage,
    );
  const app = declaring[0]!;
  return commandOf(app, app.commands![name]!);
}

/** `[name, summary]` of every command the repository's applications declare, for `flagops --help`. */
export function presetSummaries(io: Pick<CliIO, 'cwd' | 'env'>): [string, string][] {
  const repo = loadWorkingTree(findRepoRoot(io.cwd, io.env));
  return Object.values(repo.applications).flatMap((app) =>
    Object.values(app.commands ?? {}).map((preset): [string, string] => [
      preset.name,
      commandOf(app, preset).summary,
    ]),
  );
}

function appNameIn(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--app-name') return argv[i + 1];
    if (arg.startsWith('--app-name=')) return arg.slice('--app-name='.length);
  }
  return undefined;
}

function commandOf(app: Application, preset: CommandPreset): Command {
  const summary = preset.summary ?? `${app.name}'s command from ${app.dir}/app.yaml`;
  if (preset.kind === 'rollout') return rolloutCommand(app, preset, summary);
  const assignments = preset.assignments.map((text) => {
    try {
      return parseAssignment(text);
    } catch (error) {
      if (!(error instanceof AssignmentError)) throw error;
      throw new CliError(
        `${app.dir}/app.yaml: command \`${preset.name}\`: ${error.message} (flagops validate shows where)`,
      );
    }
  });
  const options: Record<string, OptionSpec> = { ...EDIT_OPTIONS };
  for (const assignment of assignments) {
    const option = placeholderOf(assignment);
    if (option === undefined) continue;
    const type =
      app.flags[assignment.flag]?.attributes[assignment.attribute]?.type === 'number' ? 'number' : 'string';
    options[option] = {
      type,
      description: `Value of ${assignment.flag}.${assignment.attribute}`,
      placeholder: 'VALUE',
      required: true,
    };
  }
  return {
    name: preset.name,
    summary,
    description: `Declared in ${app.dir}/app.yaml as: flagops set ${preset.assignments.join(' ')}`,
    options,
    async run(args, io) {
      const concrete = assignments.map((a) => {
        const option = placeholderOf(a);
        return option === undefined ? a : { ...a, value: String(args.options[option]) };
      });
      const flags = Object.keys(options)
        .filter((o) => !(o in EDIT_OPTIONS))
        .map((o) => `--${o} ${String(args.options[o])}`)
        .join(' ');
      return runEdit(args, io, {
        name: preset.name,
        flags,
        defaultApp: app.name,
        prepare: (selected) => {
          const resolved = resolveAssignments(selected, concrete);
          return { apply: (text) => applyAssignments(text, resolved) };
        },
      });
    },
  };
}

function rolloutCommand(
  app: Application,
  preset: Extract<CommandPreset, { kind: 'rollout' }>,
  summary: string,
): Command {
  return {
    name: preset.name,
    summary,
    description: `Declared in ${app.dir}/app.yaml as: flagops rollout ${preset.rollout}`,
    options: {
      ...EDIT_OPTIONS,
      target: { type: 'number', description: 'Final value', placeholder: 'N', required: true },
      'step-size': { type: 'number', description: 'Increase per step', placeholder: 'S', required: true },
      'wait-minutes': {
        type: 'number',
        description: 'Healthy minutes between steps',
        placeholder: 'W',
        required: true,
      },
    },
    async run(args: ParsedArgs, io) {
      const plan = {
        to: numberOption(args, 'target'),
        step: numberOption(args, 'step-size'),
        wait: numberOption(args, 'wait-minutes'),
      };
      const flags = `--target ${plan.to} --step-size ${plan.step} --wait-minutes ${plan.wait}`;
      return runEdit(args, io, rolloutEdit(preset.name, preset.rollout, plan, flags, app.name));
    },
  };
}
