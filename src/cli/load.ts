/**
 * Loading the repository for a command: the working tree, and a base revision when `--base` is given.
 * A base that git cannot resolve is a usage error naming the ref.
 */
import { execFileSync } from 'node:child_process';
import { loadRepository } from '../model/index.ts';
import { GitRevisionSource, WorkingTreeSource } from '../model/source.ts';
import type { Repository } from '../model/types.ts';
import { CliError, EXIT } from './command.ts';

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
    throw new CliError(
      `--base ${ref}: git cannot resolve this revision in ${root}; fetch it or name another`,
      EXIT.usage,
    );
  }
  return loadRepository(new GitRevisionSource(root, ref));
}

/** The policy clock: real time, or `FLAGOPS_NOW` (ISO-8601) to ask "would this pass then?". */
export function policyNow(env: NodeJS.ProcessEnv): Date {
  const raw = env['FLAGOPS_NOW'];
  if (!raw) return new Date();
  const at = new Date(raw);
  if (Number.isNaN(at.getTime()))
    throw new CliError(`FLAGOPS_NOW="${raw}" is not an ISO-8601 instant`, EXIT.usage);
  return at;
}
