/** Plain git, run synchronously in a directory; failures become messages naming the command. */
import { execFileSync } from 'node:child_process';
import { EditError } from './yaml-edit.ts';

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
    throw new EditError(
      `git ${args.join(' ')} failed: ${stderr.split('\n').slice(-2).join(' ') || 'no output'}`,
    );
  }
}

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
