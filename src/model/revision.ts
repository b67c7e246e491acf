/**
 * Loading the repository as a command sees it: the working tree, or a revision git can resolve. A
 * revision git cannot resolve is a usage error naming the ref.
 */
import { execFileSync } from 'node:child_process';
import { EXIT, Failure } from '../core/failure.ts';
import { loadRepository } from './load.ts';
import { GitRevisionSource, WorkingTreeSource } from './source.ts';
import type { Repository } from './types.ts';

export function loadWorkingTree(root: string): Repository {
  return loadRepository(new WorkingTreeSource(root));
}

export function loadRevision(root: string, ref: string): Repository {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      cwd: root,
      stdio: 'ignore',
    });
  } catch {
    throw new Failure(
      `--base ${ref}: git cannot resolve this revision in ${root}; fetch it or name another`,
      EXIT.usage,
    );
  }
  return loadRepository(new GitRevisionSource(root, ref));
}
