/**
 * `flagops compile`: the exact document a target deploys — the bytes AppConfig receives (followed
 * by a newline), or an indented copy with `--pretty`.
 */
import { compileTarget, formatDiagnostic } from '../../model/index.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import { type Command, EXIT } from '../command.ts';
import { TARGET_OPTIONS, targetFromArgs } from '../context.ts';

export const command: Command = {
  name: 'compile',
  summary: 'Print the AppConfig document a target deploys',
  options: {
    ...TARGET_OPTIONS,
    pretty: {
      type: 'boolean',
      description: 'Indent for reading (the deployed bytes are compact)',
      default: false,
    },
  },
  async run(args, io) {
    const { repo, app, target } = targetFromArgs(args, io, loadWorkingTree);
    const own = repo.diagnostics.filter(
      (d) =>
        d.severity === 'error' && (d.position.file === target.file || d.position.file.endsWith('app.yaml')),
    );
    const compiled = own.length === 0 ? compileTarget(app, target) : { ok: false as const, diagnostics: own };
    if (!compiled.ok) {
      for (const d of compiled.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      return EXIT.failed;
    }
    const text = compiled.document.content.toString('utf8');
    io.stdout(args.options['pretty'] ? `${JSON.stringify(JSON.parse(text), null, 2)}\n` : `${text}\n`);
    return EXIT.ok;
  },
};
