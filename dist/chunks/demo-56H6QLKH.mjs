import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  companionCommand
} from "./chunk-ZVXAKQAG.mjs";
import "./chunk-QKVV5EAQ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/demo.ts
var command = await companionCommand(
  "demo",
  "The whole story on a local emulator, told by the repository’s own workflows"
);
export {
  command
};
