/**
 * The shape of a CLI command. Each command lives in `commands/<name>.ts`, declares its options, and
 * gets parsed arguments plus an IO object (so tests run commands in-process and capture output).
 */

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

/** Exit codes (DESIGN §5). */
export const EXIT = {
  ok: 0,
  /** Invalid input, policy violation or breach. */
  failed: 1,
  usage: 2,
  /** AWS or GitHub unreachable or refusing. */
  unavailable: 3,
} as const;

/** A failure with a message a person can act on and the exit code it maps to. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}
