/**
 * Commands that are not the product's own: `flagops demo` and `flagops sandbox` live in the
 * emulator's package, `flagops-sandbox` (packages/sandbox in a clone of flagops). It is loaded by
 * name when one of them runs, so the product's bundles hold nothing of it and an install of flagops
 * works without it; when it is missing, the command says how to get it.
 */
import { CliError, type Command, EXIT } from './command.ts';

export const COMPANION = 'flagops-sandbox';

/** The companion package's `name` command, or one that explains how to install the package. */
export async function companionCommand(name: string, summary: string): Promise<Command> {
  // A name in a variable: bundlers leave the import alone, and TypeScript does not type it.
  const specifier: string = COMPANION;
  let loaded: { commands?: Record<string, Command> };
  try {
    loaded = (await import(specifier)) as typeof loaded;
  } catch (error) {
    if (!isMissing(error)) throw error;
    return notInstalled(name, summary);
  }
  const command = loaded.commands?.[name];
  if (command === undefined)
    throw new CliError(`${COMPANION} has no "${name}" command: update it to flagops' version`, EXIT.failed);
  return command;
}

function isMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(COMPANION);
}

function notInstalled(name: string, summary: string): Command {
  return {
    name,
    summary,
    options: {},
    async run() {
      throw new CliError(
        `flagops ${name} needs the emulator package ${COMPANION}, which is not installed here. ` +
          `In a clone of flagops, \`npm ci\` installs it (packages/sandbox) and \`npm start\` runs the demo.`,
        EXIT.failed,
      );
    },
  };
}
