import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  companionCommand
} from "./chunk-ZVXAKQAG.mjs";
import "./chunk-QKVV5EAQ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/sandbox.ts
var command = await companionCommand(
  "sandbox",
  "Run the local AppConfig, CloudWatch and GitHub emulator"
);
export {
  command
};
