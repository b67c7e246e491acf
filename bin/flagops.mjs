#!/usr/bin/env node
// The published entry point runs the committed bundle (fast start, no TypeScript at run time).
// During development `npm run flagops:dev -- …` runs the sources directly.
import { runFromShell } from '../dist/cli/index.mjs';

process.exitCode = await runFromShell(process.argv.slice(2));
