import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// src/core/failure.ts
var EXIT = {
  ok: 0,
  /** Invalid input, policy violation or breach. */
  failed: 1,
  usage: 2,
  /** AWS or GitHub unreachable or refusing. */
  unavailable: 3,
  /** The bake ended without enough evidence (`unverified` or `no-data`): nothing rolled back. */
  unverified: 4
};
var Failure = class extends Error {
  constructor(message, exitCode = EXIT.failed) {
    super(message);
    this.exitCode = exitCode;
    this.name = "Failure";
  }
  exitCode;
};
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
function exitCodeOf(error) {
  return error instanceof Failure ? error.exitCode : EXIT.failed;
}

// src/cli/command.ts
var CliError = class extends Failure {
  constructor(message, exitCode = EXIT.failed) {
    super(message, exitCode);
    this.name = "CliError";
  }
};

export {
  EXIT,
  Failure,
  messageOf,
  exitCodeOf,
  CliError
};
