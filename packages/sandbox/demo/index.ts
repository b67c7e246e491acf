/**
 * The package's door: the product's CLI loads it by name (`flagops demo`, `flagops sandbox`, see
 * src/cli/companion.ts) and finds its commands in `commands`; tests and the demo start the emulator
 * with `startSandbox`.
 */
import { demoCommand } from './demo-command.ts';
import { sandboxCommand } from './sandbox-command.ts';

export { type Sandbox, type SandboxOptions, startSandbox } from '../src/index.ts';
export { runFullDemo } from './full.ts';
export { runDemo } from './story.ts';

/** The commands the flagops CLI runs from this package, by name. */
export const commands = { demo: demoCommand, sandbox: sandboxCommand };
