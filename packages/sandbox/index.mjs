// The entry plain Node loads (the flagops CLI's `demo` and `sandbox` commands import this package by
// name). The sources are TypeScript and run through tsx: no bundle to build, none to go stale.
// Vitest resolves the package to demo/index.ts itself (vitest.config.ts), and so does TypeScript.
import { tsImport } from 'tsx/esm/api';

const sandbox = await tsImport('./demo/index.ts', import.meta.url);

export const { commands, startSandbox, runDemo, runFullDemo } = sandbox;
