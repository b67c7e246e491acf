#!/usr/bin/env node
// Where `npm test`'s time goes: the slowest test files of a vitest JSON report, slowest first.
// `npm run test:times` writes the report (test-artifacts/vitest-report.json) and prints this table.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [file = 'test-artifacts/vitest-report.json', count = '20'] = process.argv.slice(2);

let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  process.stderr.write(
    `slowest-tests: cannot read ${file} (${error.code ?? error.message}); run \`npm run test:times\` first\n`,
  );
  process.exit(1);
}

const files = (report.testResults ?? []).map((r) => ({
  name: relative(process.cwd(), r.name),
  seconds: (r.endTime - r.startTime) / 1000,
  tests: (r.assertionResults ?? []).length,
}));
const total = files.reduce((sum, f) => sum + f.seconds, 0);
const top = files.sort((a, b) => b.seconds - a.seconds).slice(0, Number(count));
const wall = (report.testResults ?? []).reduce(
  (span, r) => ({ from: Math.min(span.from, r.startTime), to: Math.max(span.to, r.endTime) }),
  { from: Number.POSITIVE_INFINITY, to: 0 },
);
process.stdout.write(
  `${files.length} files, ${report.numTotalTests ?? '?'} tests; ${total.toFixed(1)} s summed over files, ${((wall.to - wall.from) / 1000).toFixed(0)} s from the first file's start to the last one's end\n`,
);
process.stdout.write('seconds  share  tests  file\n');
for (const f of top)
  process.stdout.write(
    `${f.seconds.toFixed(1).padStart(7)}  ${((100 * f.seconds) / total).toFixed(1).padStart(4)}%  ${String(f.tests).padStart(5)}  ${f.name}\n`,
  );
