/**
 * Plain git, run synchronously in a directory: the one place flagops spawns git for commands that
 * change or inspect a clone. Failures become messages naming the command and git's last words.
 */
import { execFileSync } from 'node:child_process';
import { Failure } from '../core/failure.ts';

/** git refused or failed; the message names the command (exit code 1: the change was not made). */
export class GitProblem extends Failure {
  constructor(message: string) {
    super(message);
    this.name = 'GitProblem';
  }
}

/** Run git; trimmed stdout. Throws GitProblem with git's stderr when it fails. */
export function git(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync('git', args, {
      cwd,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new GitProblem(
      `git ${args.join(' ')} failed: ${stderr.split('\n').slice(-2).join(' ') || 'no output'}`,
    );
  }
}

/** Whether git succeeds (a probe: `rev-parse --verify`, `cat-file -e`); output is discarded. */
export function gitSucceeds(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  try {
    execFileSync('git', args, { cwd, env, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Trimmed stdout, or undefined when git fails (outside a repository, no such revision). */
export function gitOutput(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  try {
    return execFileSync('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString('utf8')
      .trim();
  } catch {
    return undefined;
  }
}

/**
 * The author for commits flagops makes in a fresh clone: the environment's or the clone's own
 * identity when there is one, else flagops (a clone on a runner often has none, and git refuses to
 * commit without).
 */
export function commitIdentity(work: string, env: NodeJS.ProcessEnv): string[] {
  if (env['GIT_AUTHOR_EMAIL'] || gitSucceeds(work, ['config', 'user.email'], env)) return [];
  return ['-c', 'user.name=flagops', '-c', 'user.email=flagops@users.noreply.github.com'];
}
