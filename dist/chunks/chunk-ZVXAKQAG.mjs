import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  CliError,
  EXIT
} from "./chunk-QKVV5EAQ.mjs";

// src/cli/companion.ts
var COMPANION = "flagops-sandbox";
async function companionCommand(name, summary) {
  const specifier = COMPANION;
  let loaded;
  try {
    loaded = await import(specifier);
  } catch (error) {
    if (!isMissing(error)) throw error;
    return notInstalled(name, summary);
  }
  const command = loaded.commands?.[name];
  if (command === void 0)
    throw new CliError(`${COMPANION} has no "${name}" command: update it to flagops' version`, EXIT.failed);
  return command;
}
function isMissing(error) {
  const { code, message } = error ?? {};
  return code === "ERR_MODULE_NOT_FOUND" && typeof message === "string" && message.includes(COMPANION);
}
function notInstalled(name, summary) {
  return {
    name,
    summary,
    options: {},
    async run() {
      throw new CliError(
        `flagops ${name} needs the emulator package ${COMPANION}, which is not installed here. In a clone of flagops, \`npm ci\` installs it (packages/sandbox) and \`npm start\` runs the demo.`,
        EXIT.failed
      );
    }
  };
}

export {
  companionCommand
};
