/**
 * The shape of a flagops CLI command, as the sandbox package hands `demo` and `sandbox` to the
 * product's CLI. It matches the product's `Command` (src/cli/command.ts) structurally, so neither
 * package imports the other's types: the product loads this package by name and runs what it finds.
 *
 * The product recognises its own failures by class; an error class of this package is another
 * class, so `guarded` prints a `SandboxCommandError`'s message and returns its exit code itself.
 */

export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
}

export interface CommandOption {
  type: 'string' | 'boolean' | 'number';
  description: string;
  choices?: readonly string[];
  default?: string | boolean | number;
  placeholder?: string;
}

export interface CommandArgs {
  options: Record<string, string | boolean | number | undefined>;
  positionals: string[];
}

export interface SandboxCommand {
  name: string;
  summary: string;
  description?: string;
  options: Record<string, CommandOption>;
  run(args: CommandArgs, io: CommandIO): Promise<number>;
}

/** The product's exit codes (README, "Exit codes"). */
export const EXIT = { ok: 0, failed: 1, usage: 2, unavailable: 3 } as const;

/** A failure the command reports as one line before exiting with `exitCode`. */
export class SandboxCommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'SandboxCommandError';
  }
}

/** The command with its own failures turned into a printed line and an exit code. */
export function guarded(command: SandboxCommand): SandboxCommand {
  return {
    ...command,
    async run(args, io) {
      try {
        return await command.run(args, io);
      } catch (error) {
        if (!(error instanceof SandboxCommandError)) throw error;
        io.stderr(`${error.message}\n`);
        return error.exitCode;
      }
    },
  };
}
