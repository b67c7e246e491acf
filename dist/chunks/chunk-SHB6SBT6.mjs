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

export {
  EXIT,
  Failure
};
