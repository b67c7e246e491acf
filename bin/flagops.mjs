#!/usr/bin/env node
// The published entry point runs the committed bundle (fast start, no TypeScript at run time).
// During development `npm run flagops:dev -- …` runs the sources directly.

/** A checkout without its bundles (dist/ not built or not committed): one line saying what to run. */
function missingBundle(error) {
  const text = error instanceof Error ? error.message : String(error);
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/[/\\]dist[/\\]/.test(text)) return false;
  const file = /'([^']*[/\\]dist[/\\][^']*)'/.exec(text)?.[1] ?? 'dist/';
  process.stderr.write(
    `flagops: the bundle ${file} is missing; run \`npm ci && npm run build\` in the repository (or use \`npm run flagops:dev --\`)\n`,
  );
  return true;
}

try {
  const { runFromShell } = await import('../dist/cli/index.mjs');
  process.exitCode = await runFromShell(process.argv.slice(2));
} catch (error) {
  if (!missingBundle(error)) throw error;
  process.exitCode = 1;
}
