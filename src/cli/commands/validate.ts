/**
 * `flagops validate`: schemas, flag definitions, compiled-document limits and policy — every problem
 * at once, each at its exact line. With `--base REF` the transition rules (largest step, ladder,
 * freeze windows) apply to the change from REF to the working tree.
 */

import { formatDiagnostic, formatGithubAnnotation } from '../../model/index.ts';
import { loadRevision, loadWorkingTree } from '../../model/revision.ts';
import { policyNow } from '../../policy/now.ts';
import { validateRepository } from '../../policy/validate.ts';
import { type Command, EXIT } from '../command.ts';
import { findRepoRoot } from '../context.ts';

export const command: Command = {
  name: 'validate',
  summary: 'Check flags/ against the schemas, the flag definitions and policy',
  description:
    'Prints every problem as path:line:col: error: message (or GitHub annotations with --format github,\n' +
    'the default when GITHUB_ACTIONS=true). Exit 1 when anything is wrong.',
  options: {
    base: {
      type: 'string',
      description: 'Also check the change from this git revision (transition rules)',
      placeholder: 'REF',
    },
    format: { type: 'string', description: 'Output format', choices: ['text', 'json', 'github'] },
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const format =
      (args.options['format'] as string | undefined) ??
      (io.env['GITHUB_ACTIONS'] === 'true' ? 'github' : 'text');
    const head = loadWorkingTree(root);
    const base =
      typeof args.options['base'] === 'string' ? loadRevision(root, args.options['base']) : undefined;
    // Loaded only with --base: they read GitHub (Octokit and its HTTP client), which a plain
    // `validate` never needs, and loading them was a tenth of its start-up.
    const verification = base
      ? await (await import('../../acceptance/record.ts')).verificationFromEnv(io.env, head)
      : undefined;
    const dwell = base
      ? await (await import('../../rollout/bake-record.ts')).dwellFromEnv(io.env, base)
      : undefined;
    const diagnostics = validateRepository(head, base, policyNow(io.env), {
      ...(verification ? { verification } : {}),
      ...(dwell ? { dwell } : {}),
    });
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    const summary = `${head.targets.length} target${head.targets.length === 1 ? '' : 's'} in ${Object.keys(head.applications).length} application(s): ${errors} error(s), ${warnings} warning(s)`;

    if (format === 'json') {
      io.stdout(
        `${JSON.stringify({ ok: errors === 0, errors, warnings, targets: head.targets.length, diagnostics }, null, 2)}\n`,
      );
    } else {
      const line = format === 'github' ? formatGithubAnnotation : formatDiagnostic;
      for (const d of diagnostics) io.stdout(`${line(d)}\n`);
      io.stdout(`${errors === 0 ? 'ok' : 'failed'}: ${summary}\n`);
    }
    return errors === 0 ? EXIT.ok : EXIT.failed;
  },
};
