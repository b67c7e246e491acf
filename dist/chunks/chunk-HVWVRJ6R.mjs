import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  AwsProblem,
  PipelineError
} from "./chunk-3H3MUTW2.mjs";

// src/runtime/failure.ts
function failureOf(error) {
  if (error instanceof AwsProblem) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof PipelineError) return { message: error.message, exitCode: error.exitCode };
  return { message: error instanceof Error ? error.message : String(error), exitCode: 1 };
}

export {
  failureOf
};
