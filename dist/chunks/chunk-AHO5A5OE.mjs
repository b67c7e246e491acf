import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EXIT,
  Failure
} from "./chunk-XMGGJPA5.mjs";

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
