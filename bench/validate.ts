/**
 * `flagops validate` over a generated repository of 1,000 targets, against ajv-cli validating the same
 * files against the same schemas. ajv-cli checks schema only; flagops also checks values against the
 * definitions in app.yaml, runs the policy's state rules and maps every error to a line. The aim is
 * ours ≤ 1.0× ajv-cli.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, ROOT } from '../scripts/build-lib.mjs';
import { generateRepository } from './generate-repo.ts';
import { type BenchResult, formatMs, measureRounds, median, timeCommand } from './lib.ts';

const APPLICATIONS = 125;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const AJV = join(ROOT, 'node_modules/.bin/ajv');
// The same ajv options flagops uses (schemas.ts): every error, with data, union types allowed.
const AJV_OPTIONS = ['--spec=draft2020', '--all-errors', '--verbose', '--allow-union-types', '--errors=text'];

export async function run(): Promise<BenchResult> {
  const workspace = mkdtempSync(join(tmpdir(), 'flagops-bench-validate-'));
  try {
    const repo = generateRepository(join(workspace, 'repo'), APPLICATIONS, ROOT);
    const { cli, cliNote } = await cliUnderTest(workspace);

    const schema = (name: string) => join(repo.root, 'schemas', name);
    // ajv-cli takes one schema per invocation: one run is three processes, one per schema.
    const ajvInvocations: Record<string, string[]> = {
      'app.yaml × app.schema': ['-s', schema('app.schema.json'), ...repo.appFiles.flatMap((f) => ['-d', f])],
      'flag values × feature-flags.schema': [
        '-s',
        schema('feature-flags.schema.json'),
        ...repo.featureFlagFiles.flatMap((f) => ['-d', f]),
      ],
      'freeform × ons-app-settings.schema': [
        '-s',
        schema('ons-app-settings.schema.json'),
        ...repo.freeformFiles.flatMap((f) => ['-d', f]),
      ],
    };

    const ours = async () =>
      checked(await timeCommand(process.execPath, [cli, 'validate'], repo.root), 'flagops validate');
    const ajvParts: Record<string, number[]> = Object.fromEntries(
      Object.keys(ajvInvocations).map((k) => [k, []]),
    );
    const ajvCli = async () => {
      let total = 0;
      for (const [label, args] of Object.entries(ajvInvocations)) {
        const milliseconds = checked(
          await timeCommand(AJV, ['validate', ...AJV_OPTIONS, ...args], repo.root),
          `ajv ${label}`,
        );
        ajvParts[label]!.push(milliseconds);
        total += milliseconds;
      }
      return total;
    };
    const nodeStart = async () =>
      checked(await timeCommand(process.execPath, ['-e', '0'], repo.root), 'node -e 0');

    const samples = await measureRounds({ ours, ajvCli, nodeStart }, RUNS);
    const oursMedian = median(samples['ours']!);
    const ajvMedian = median(samples['ajvCli']!);
    const rows = [
      ['flagops validate (1 process)', formatMs(oursMedian), `${(oursMedian / ajvMedian).toFixed(2)}×`],
      ['ajv-cli, 3 schemas (3 processes)', formatMs(ajvMedian), '1.00×'],
      // Warm-up round included in ajvParts; drop it so the medians match the totals' rounds.
      ...Object.entries(ajvParts).map(([label, all]) => [
        `  ajv-cli ${label}`,
        formatMs(median(all.slice(1))),
        '',
      ]),
      ['node -e 0 (process start, for scale)', formatMs(median(samples['nodeStart']!)), ''],
    ];
    return {
      title: `validate: ${repo.targets} targets (${APPLICATIONS} applications × 2 environments × 4 profiles), median of ${RUNS} runs after 1 warm-up`,
      table: { headers: ['what', 'median wall time', 'ours / ajv-cli'], rows },
      notes: [
        `Data: ${repo.appFiles.length} app.yaml, ${repo.featureFlagFiles.length} feature-flag values files, ${repo.freeformFiles.length} freeform files, all valid; both tools read the same YAML (ajv-cli through js-yaml).`,
        `ajv-cli ${AJV_OPTIONS.join(' ')}: schema checks only. flagops validate also checks values against app.yaml definitions, runs policy state rules and maps errors to lines.`,
        cliNote,
      ],
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Fails the benchmark when a tool did not accept the data: timing an error path would mislead. */
function checked(result: Awaited<ReturnType<typeof timeCommand>>, label: string): number {
  if (result.exitCode !== 0) {
    throw new Error(
      `${label} exited ${result.exitCode}:\n${(result.stderr || result.stdout).slice(0, 2000)}`,
    );
  }
  return result.milliseconds;
}

/**
 * The committed CLI bundle when it is current; otherwise a fresh build of the sources in the
 * workspace (the same bytes `npm run build` would write), so the figures always describe this code.
 */
async function cliUnderTest(workspace: string): Promise<{ cli: string; cliNote: string }> {
  const built = (await buildAll({ write: false })).find((file) => file.path === 'dist/cli/index.mjs');
  if (!built) throw new Error('the build produced no dist/cli/index.mjs');
  const committed = join(ROOT, built.path);
  if (existsSync(committed) && readFileSync(committed).equals(built.contents)) {
    return {
      cli: join(ROOT, 'bin/flagops.mjs'),
      cliNote: 'CLI: bin/flagops.mjs with dist/cli/index.mjs, which equals a fresh build of the sources.',
    };
  }
  const tool = join(workspace, 'tool');
  mkdirSync(join(tool, 'bin'), { recursive: true });
  mkdirSync(join(tool, 'dist/cli'), { recursive: true });
  writeFileSync(join(tool, 'bin/flagops.mjs'), readFileSync(join(ROOT, 'bin/flagops.mjs')));
  writeFileSync(join(tool, 'dist/cli/index.mjs'), built.contents);
  return {
    cli: join(tool, 'bin/flagops.mjs'),
    cliNote: 'CLI: dist/ is missing or stale, so a fresh in-memory build of the sources was measured.',
  };
}
