/**
 * app.yaml's `commands:` (docs/reference.md#commands): every assignment names a declared flag and
 * attribute, every placeholder is a usable option name, and a rollout moves a number attribute.
 * Reported like every other app.yaml problem, at the file and line of the word that is wrong.
 */
import { AssignmentError, parseAssignment, placeholderOf, resolveAssignment } from './assignment.ts';
import { diagnostic } from './diagnostics.ts';
import type { Application, CommandPreset, Diagnostic } from './types.ts';
import type { NodeIndex } from './yaml.ts';

/**
 * flagops' own commands, in the order `flagops --help` lists them. An application's command may not
 * take one of these names: the built-in would always win and the declaration would never run.
 * src/cli/main.ts's command table must name exactly these (the compiler checks it).
 */
export const BUILT_IN_COMMANDS = [
  'validate',
  'plan',
  'backtest',
  'compile',
  'status',
  'deploy',
  'deploy-targets',
  'rollback',
  'dashboard',
  'bootstrap',
  'set',
  'rollout',
  'advance',
  'watch',
  'drift',
  'verify',
  'approvals',
  'protect',
  'demo',
  'sandbox',
] as const;

export type BuiltInCommand = (typeof BUILT_IN_COMMANDS)[number];

/** Options every edit command has; a placeholder may not take their names. */
export const EDIT_OPTION_NAMES: readonly string[] = ['app-name', 'environment', 'pr', 'update'];

export function checkCommands(app: Application, index: NodeIndex, out: Diagnostic[]): void {
  for (const preset of Object.values(app.commands ?? {})) {
    const base = `commands.${preset.name}`;
    if ((BUILT_IN_COMMANDS as readonly string[]).includes(preset.name)) {
      out.push(
        diagnostic(
          'command',
          index.key(base),
          `command \`${preset.name}\` is one of flagops' own commands, which always wins; give it another name.`,
        ),
      );
      continue;
    }
    const problems = preset.kind === 'rollout' ? rolloutProblems(app, preset) : setProblems(app, preset);
    for (const { at, message } of problems)
      out.push(
        diagnostic(
          'command',
          index.value(at === undefined ? base : `${base}.${at}`),
          `command \`${preset.name}\`: ${message}`,
        ),
      );
  }
}

interface Problem {
  /** Path below the command, e.g. `set.0`. */
  at?: string;
  message: string;
}

function setProblems(app: Application, preset: Extract<CommandPreset, { kind: 'set' }>): Problem[] {
  if (preset.assignments.length === 0)
    return [{ message: 'declare `set: [FLAG.ATTRIBUTE=VALUE, …]` or `rollout: FLAG.ATTRIBUTE`.' }];
  const problems: Problem[] = [];
  preset.assignments.forEach((text, i) => {
    try {
      const assignment = parseAssignment(text);
      resolveAssignment(app, assignment);
      const option = placeholderOf(assignment);
      if (option && EDIT_OPTION_NAMES.includes(option))
        problems.push({
          at: `set.${i}`,
          message: `placeholder $${option} is an option every edit command already has; rename it.`,
        });
    } catch (error) {
      if (!(error instanceof AssignmentError)) throw error;
      problems.push({ at: `set.${i}`, message: error.message });
    }
  });
  return problems;
}

function rolloutProblems(app: Application, preset: Extract<CommandPreset, { kind: 'rollout' }>): Problem[] {
  const [flag = '', attribute = '', ...rest] = preset.rollout.split('.');
  if (rest.length > 0 || attribute === '')
    return [{ at: 'rollout', message: `\`${preset.rollout}\` is not FLAG.ATTRIBUTE.` }];
  try {
    const definition = resolveAssignment(app, { flag, attribute });
    if (definition === 'enabled' || definition.type !== 'number')
      return [
        { at: 'rollout', message: `a rollout moves a number attribute; \`${preset.rollout}\` is not one.` },
      ];
  } catch (error) {
    if (!(error instanceof AssignmentError)) throw error;
    return [{ at: 'rollout', message: error.message }];
  }
  return [];
}
