import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EXIT,
  Failure
} from "./chunk-SHB6SBT6.mjs";

// src/cli/command.ts
var CliError = class extends Failure {
  constructor(message, exitCode = EXIT.failed) {
    super(message, exitCode);
    this.name = "CliError";
  }
};

export {
  CliError
};
