/**
 * The shape of a CLI command. Each command lives in `commands/<name>.ts`, declares its options, and
 * gets parsed arguments plus an IO object (so tests run commands in-process and capture output).
 */
import { EXIT, Failure, type FailureCode } from '../core/failure.ts';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is a terminal: colour, progress bars and countdowns are allowed. */
  isTTY: boolean;
}

export type OptionType = 'string' | 'boolean' | 'number';

export interface OptionSpec {
  type: OptionType;
  description: string;
  /** Allowed values for string options. */
  choices?: readonly string[];
  default?: string | boolean | number;
  required?: boolean;
  /** Placeholder in help, e.g. `REF`. */
  placeholder?: string;
}

export interface ParsedArgs {
  options: Record<string, string | boolean | number | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  summary: string;
  /** Longer help text shown by `flagops <name> --help` after the usage line. */
  description?: string;
  options: Record<string, OptionSpec>;
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

export { EXIT } from '../core/failure.ts';

/** A failure the CLI prints as one line before exiting with `exitCode`. */
export class CliError extends Failure {
  constructor(message: string, exitCode: FailureCode = EXIT.failed) {
    super(message, exitCode);
    this.name = 'CliError';
  }
}
