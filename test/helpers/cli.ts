/**
 * Run the CLI in-process with captured output, as a user would from a terminal in `cwd`.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...options.env, FLAGOPS_ROOT: options.cwd ?? PROJECT_ROOT },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

/** A scratch copy of the project's flags/ and schemas/ to break on purpose. */
export function copyOfRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-cli-'));
  cpSync(join(PROJECT_ROOT, 'flags'), join(dir, 'flags'), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
  return dir;
}

/**
 * A copy of the repository with the second example application (examples/checkout-app) added
 * under flags/, as a team would add its own: two applications, neither special to flagops.
 */
export function copyWithSecondApplication(): string {
  const dir = copyOfRepository();
  const example = join(PROJECT_ROOT, 'examples', 'checkout-app');
  cpSync(join(example, 'flags'), join(dir, 'flags'), { recursive: true });
  cpSync(join(example, 'schemas'), join(dir, 'schemas'), { recursive: true });
  return dir;
}
