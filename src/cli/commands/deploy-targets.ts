/**
 * `flagops deploy-targets`: the deploy workflow's matrix — the (application, environment) pairs a
 * push changed (`--before`/`--after`), or for a manual run the ones asked for — as `matrix=` and
 * `count=` lines, also appended to `$GITHUB_OUTPUT` when it is set. A CLI command so the workflow
 * runs the committed bundle: no `npm ci`, no TypeScript at run time.
 */
import { appendFileSync } from 'node:fs';
import { allEnvironments, deployMatrix, touchedEnvironments } from '../../approvals/touched.ts';
import { git } from '../../git/run.ts';
import { loadRepository } from '../../model/index.ts';
import { WorkingTreeSource } from '../../model/source.ts';
import { type Command, EXIT } from '../command.ts';

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export const command: Command = {
  name: 'deploy-targets',
  summary: 'Print the deploy matrix: the targets a push changed, or those asked for',
  options: {
    before: {
      type: 'string',
      description: 'Commit before the push (github.event.before)',
      placeholder: 'SHA',
    },
    after: { type: 'string', description: 'Commit after the push (default HEAD)', placeholder: 'SHA' },
    'app-name': { type: 'string', description: 'Only this application', placeholder: 'NAME' },
    environment: { type: 'string', description: 'Only this environment', placeholder: 'ENV' },
  },
  async run(args, io) {
    const repo = loadRepository(new WorkingTreeSource(io.cwd));
    const before = text(args.options['before']) ?? '';
    const after = text(args.options['after']) ?? 'HEAD';
    const application = text(args.options['app-name']);
    const environment = text(args.options['environment']);
    // A new branch or a force push has no usable range: deploy everything (unchanged targets are no-ops).
    const knownRange = /^[0-9a-f]{40}$/.test(before) && !/^0+$/.test(before);
    let touched = allEnvironments(repo, application);
    if (knownRange && !application && !environment) {
      const paths = git(io.cwd, ['diff', '--name-only', before, after], io.env).split('\n').filter(Boolean);
      touched = touchedEnvironments(repo, paths);
    }
    if (environment)
      for (const [app, envs] of touched)
        touched.set(
          app,
          envs.filter((e) => e === environment),
        );
    const matrix = deployMatrix(touched);
    const outputs = `matrix=${JSON.stringify(matrix)}\ncount=${matrix.include.length}\n`;
    if (io.env['GITHUB_OUTPUT']) appendFileSync(io.env['GITHUB_OUTPUT'], outputs);
    io.stdout(outputs);
    return EXIT.ok;
  },
};
