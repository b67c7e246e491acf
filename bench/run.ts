/**
 * `npm run bench [-- name…]`: runs the named benchmarks (all when none is named) one after another
 * and prints a table per benchmark. To add one, write bench/<name>.ts exporting
 * `run(): Promise<BenchResult>` and list it below.
 */
import { type Benchmark, formatTable } from './lib.ts';

const BENCHMARKS: Record<string, () => Promise<Benchmark>> = {
  validate: () => import('./validate.ts'),
  sandbox: () => import('./sandbox.ts'),
  pipeline: () => import('./pipeline.ts'),
  decisions: () => import('./decisions.ts'),
  rollout: () => import('./rollout.ts'),
  runner: () => import('./runner.ts'),
  judge: () => import('./judge.ts'),
  backtest: () => import('./backtest.ts'),
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark: ${unknown.join(', ')} (available: ${Object.keys(BENCHMARKS).join(', ')})`,
  );
  process.exit(2);
}

let failed = false;
for (const name of requested.length > 0 ? requested : Object.keys(BENCHMARKS)) {
  try {
    const result = await (await BENCHMARKS[name]!()).run();
    console.log(`\n## ${result.title}\n\n${formatTable(result.table.headers, result.table.rows)}\n`);
    for (const note of result.notes) console.log(`- ${note}`);
    if (result.machineLine !== undefined) console.log(result.machineLine);
  } catch (error) {
    failed = true;
    console.error(`\n## ${name}: failed\n${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exitCode = failed ? 1 : 0;
