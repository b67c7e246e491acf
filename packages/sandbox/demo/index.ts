/**
 * The door from the CLI to the sandbox and the demo: `flagops sandbox` and `flagops demo` import
 * this module lazily, and the build makes it a bundle of its own (dist/sandbox/index.mjs), so the
 * actions and every other command never load the emulator.
 */
export { type Sandbox, type SandboxOptions, startSandbox } from '../src/index.ts';
export { runFullDemo } from './full.ts';
export { runDemo } from './story.ts';
