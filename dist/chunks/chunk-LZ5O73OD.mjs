import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EXIT,
  Failure
} from "./chunk-QKVV5EAQ.mjs";

// src/pipeline/context.ts
var DEFAULT_SETTINGS = {
  pollIntervalMs: 3e4,
  readDelayMs: 1e3,
  ingestionAllowanceMs: 12e4,
  deployPollMinMs: 5e3,
  deployPollMaxMs: 3e4,
  inFlightWaitMs: 2 * 60 * 6e4,
  toleratedPollFailures: 6
};
function makeContext(parts) {
  return { ...parts, settings: { ...DEFAULT_SETTINGS, ...parts.settings } };
}
function say(ctx, target, event) {
  ctx.reporter.emit({ ...event, at: ctx.clock.now(), target });
}
var PipelineError = class extends Failure {
  constructor(message, exitCode = EXIT.failed) {
    super(message, exitCode);
    this.name = "PipelineError";
  }
};

export {
  makeContext,
  say,
  PipelineError
};
