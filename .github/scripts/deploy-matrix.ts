/**
 * Prints `matrix=<json>` for the deploy workflow: the (application, environment) pairs a push
 * changed, or, for a manual run, the ones asked for. Inputs come from the environment (never
 * interpolated into the shell): BEFORE and AFTER (the push range), APPLICATION and ENVIRONMENT
 * (workflow_dispatch inputs, optional).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { allEnvironments, deployMatrix, touchedEnvironments } from '../../src/approvals/touched.ts';
import { loadRepository } from '../../src/model/index.ts';
import { WorkingTreeSource } from '../../src/model/source.ts';

const env = process.env;
const root = process.cwd();
const repo = loadRepository(new WorkingTreeSource(root));
const before = env['BEFORE'] ?? '';
const after = env['AFTER'] || 'HEAD';
const application = env['APPLICATION'] || undefined;
const environment = env['ENVIRONMENT'] || undefined;

// A new branch or a force push has no usable range: deploy everything (unchanged targets are no-ops).
const knownRange = /^[0-9a-f]{40}$/.test(before) && !/^0+$/.test(before);
let touched = allEnvironments(repo, application);
if (knownRange && !application && !environment) {
  const paths = execFileSync('git', ['diff', '--name-only', before, after], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
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
if (env['GITHUB_OUTPUT']) appendFileSync(env['GITHUB_OUTPUT'], outputs);
process.stdout.write(outputs);
