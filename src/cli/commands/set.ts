/**
 * `flagops set FLAG.ATTRIBUTE=VALUE… --environment E [--app-name A] [--pr]`: change any values of
 * one target's feature flags at once, each on its own line of the values file. `FLAG=on|off`
 * switches `enabled`. Names are checked against app.yaml's `flags:` before anything is read; the
 * result is judged like `flagops validate`, and a refused change leaves the file untouched.
 */
import { applyAssignments, resolveAssignments } from '../../edit/assign.ts';
import { AssignmentError, parseAssignment } from '../../model/assignment.ts';
import { CliError, type Command, EXIT } from '../command.ts';
import { EDIT_OPTIONS, runEdit } from '../edit-run.ts';

export const command: Command = {
  name: 'set',
  summary: 'Set flag values of one environment: FLAG.ATTRIBUTE=VALUE or FLAG=on|off, several at once',
  description:
    'Usage: flagops set FLAG.ATTRIBUTE=VALUE [FLAG=on|off ...] --environment E [--app-name A] [--pr]\n\n' +
    'Edits flags/<app>/<env>/feature-flags.yaml in place (only the changed lines; comments and layout\n' +
    'kept), validates it with policy and refuses an illegal change with file:line and the reason.\n' +
    'With --pr the change goes to a pull request (GITHUB_TOKEN, GITHUB_REPOSITORY); re-running\n' +
    'updates the same pull request.',
  options: { ...EDIT_OPTIONS },
  async run(args, io) {
    if (args.positionals.length === 0)
      throw new CliError('flagops set: name at least one FLAG.ATTRIBUTE=VALUE (or FLAG=on|off)', EXIT.usage);
    const assignments = args.positionals.map((text) => {
      try {
        return parseAssignment(text);
      } catch (error) {
        if (error instanceof AssignmentError) throw new CliError(`flagops set: ${error.message}`, EXIT.usage);
        throw error;
      }
    });
    return runEdit(args, io, {
      name: 'set',
      flags: args.positionals.join(' '),
      prepare: (app) => {
        const resolved = resolveAssignments(app, assignments);
        return { apply: (text) => applyAssignments(text, resolved) };
      },
    });
  },
};
