import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  describeGitHubError
} from "./chunk-5ASYAPI3.mjs";
import {
  EXIT,
  Failure,
  messageOf
} from "./chunk-QKVV5EAQ.mjs";

// src/runtime/failure.ts
function knownFailure(error) {
  if (error instanceof Failure) return { message: error.message, exitCode: error.exitCode };
  const github = describeGitHubError(error);
  if (github !== void 0) return { message: github, exitCode: EXIT.unavailable };
  return void 0;
}
function failureOf(error) {
  return knownFailure(error) ?? { message: messageOf(error), exitCode: EXIT.failed };
}

export {
  knownFailure,
  failureOf
};
