import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The emulator package from its sources (plain Node loads it through packages/sandbox/index.mjs).
    alias: { 'flagops-sandbox': fileURLToPath(new URL('packages/sandbox/demo/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start their own sandbox on a free port; files run in parallel safely.
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one file at a time on a 2-core machine.
    // Most files spend their time waiting on child processes, servers and simulated clocks, not on
    // a core, so every core runs a file (npm run test:times shows where the time goes).
    maxWorkers: Math.max(2, availableParallelism()),
    // @actions/workflow-parser imports its JSON schema without an import attribute, which Node's
    // loader refuses; inlined, vite resolves it (the esbuild bundles do the same).
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
