/**
 * Git's content of a target from before a change: what a rollback goes back to when AppConfig ran
 * no earlier version (the target's first deployment). The bad version's label names its commit;
 * the content of its first parent, compiled as deploy would, is what ran before the change as far
 * as git knows. Undefined when the checkout lacks that commit or its parent had no such target.
 */
import { type TargetRef, targetId } from '../core/target.ts';
import { gitOutput } from '../git/run.ts';
import { compileTarget } from '../model/compile.ts';
import { loadRepository } from '../model/load.ts';
import { GitRevisionSource } from '../model/source.ts';
import type { PriorContentLookup } from '../pipeline/rollback.ts';
import { versionLabel } from '../pipeline/versions.ts';
import { labelCommit } from '../revert/restore.ts';

export function priorContentFromGit(root: string, ref: TargetRef): PriorContentLookup {
  return async (badLabel) => {
    const commit = labelCommit(badLabel);
    if (!commit) return undefined;
    const parent = gitOutput(root, ['rev-parse', '--verify', '--quiet', `${commit}^1^{commit}`]);
    if (!parent) return undefined;
    const repo = loadRepository(new GitRevisionSource(root, parent));
    const target = repo.targets.find((x) => targetId(x) === targetId(ref));
    const app = repo.applications[ref.application];
    if (!target || !app) return undefined;
    const compiled = compileTarget(app, target);
    if (!compiled.ok) return undefined;
    return {
      content: compiled.document.content,
      contentType: compiled.document.contentType,
      label: versionLabel(parent, compiled.document.sha256),
      description: `flagops rollback: ${targetId(ref)} as git had it before commit ${commit} (at ${parent})`,
    };
  };
}
