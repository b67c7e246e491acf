/**
 * `flagops plan`: what a change does, per target — each value old → new, the policy verdicts, the
 * rollout (strategy, bake, guards), the approvals it needs and the revert that would follow a
 * breach. The markdown form is the pull request's plan comment.
 */

import { loadRevision, loadWorkingTree } from '../../model/revision.ts';
import { buildPlan, renderJson, renderMarkdown, renderText } from '../../plan/index.ts';
import { policyNow } from '../../policy/now.ts';
import { type Command, EXIT } from '../command.ts';
import { findRepoRoot } from '../context.ts';

export const command: Command = {
  name: 'plan',
  summary: 'Show what a change does per target, with policy verdicts and approvals',
  description:
    'Compares the working tree with --base (default: the pull request base in GitHub Actions,\n' +
    'else HEAD). Exit 1 when the change breaks policy or does not validate.',
  options: {
    base: { type: 'string', description: 'Git revision to compare with', placeholder: 'REF' },
    format: {
      type: 'string',
      description: 'Output format',
      choices: ['text', 'markdown', 'json'],
      default: 'text',
    },
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const baseRef = (args.options['base'] as string | undefined) ?? defaultBase(io.env);
    const plan = buildPlan(loadRevision(root, baseRef), loadWorkingTree(root), {
      now: policyNow(io.env),
      baseLabel: baseRef,
    });
    const format = args.options['format'] as 'text' | 'markdown' | 'json';
    const out =
      format === 'json'
        ? renderJson(plan)
        : format === 'markdown'
          ? renderMarkdown(plan)
          : renderText(plan, { color: io.isTTY && !io.env['NO_COLOR'] });
    io.stdout(out.endsWith('\n') ? out : `${out}\n`);
    return plan.verdict === 'fail' ? EXIT.failed : EXIT.ok;
  },
};

function defaultBase(env: NodeJS.ProcessEnv): string {
  const prBase = env['GITHUB_BASE_REF'];
  return prBase ? `origin/${prBase}` : 'HEAD';
}
