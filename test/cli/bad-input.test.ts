/**
 * Every bad-input class of the foundation issue, end to end through `flagops validate`: exit 1, a
 * `path:line:col: error:` line naming the file and the line, a message that says what to do, and
 * never a stack trace. (The loader's own tests go deeper into each class.)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyOfRepository, runCli } from '../helpers/cli.ts';

const APP = 'flags/ons-data-platform-app';
const PROD = `${APP}/production/feature-flags.yaml`;
const PROD_TEXT = readFileSync(join(import.meta.dirname, '..', '..', PROD), 'utf8');
const MODELINE = PROD_TEXT.split('\n')[0]!;

interface Case {
  name: string;
  file: string;
  /** File content: bytes or text. */
  content: string | Buffer;
  line: number;
  message: RegExp;
}

const CASES: Case[] = [
  {
    name: 'duplicate keys',
    file: PROD,
    content: `${PROD_TEXT}use_influxdb_for_api_queries: { enabled: true }\n`,
    line: 9,
    message: /duplicate|more than once/i,
  },
  {
    name: 'tabs for indentation',
    file: PROD,
    content: PROD_TEXT.replace('  percentage: 0', '\tpercentage: 0'),
    line: 7,
    message: /tab/i,
  },
  {
    name: 'a YAML 1.1 boolean',
    file: PROD,
    content: PROD_TEXT.replace(
      'use_influxdb_for_api_queries: { enabled: false }',
      'use_influxdb_for_api_queries: { enabled: no }',
    ),
    line: 4,
    message: /string.*true|false|YAML 1\.2/i,
  },
  {
    name: 'an alias bomb',
    file: PROD,
    content: `${MODELINE}\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`,
    line: 0,
    message: /alias/i,
  },
  { name: 'an empty file', file: PROD, content: '', line: 1, message: /empty/i },
  {
    name: 'a root that is not a mapping',
    file: PROD,
    content: `${MODELINE}\n- one\n- two\n`,
    line: 2,
    message: /mapping/i,
  },
  {
    name: '.nan',
    file: PROD,
    content: PROD_TEXT.replace('percentage: 0', 'percentage: .nan'),
    line: 7,
    message: /nan|finite|number/i,
  },
  {
    name: 'a __proto__ key',
    file: PROD,
    content: `${PROD_TEXT}__proto__: { polluted: true }\n`,
    line: 9,
    message: /__proto__/,
  },
  {
    name: 'invalid UTF-8',
    file: PROD,
    content: Buffer.concat([Buffer.from(`${MODELINE}\n# caf`), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    line: 2,
    message: /UTF-8/i,
  },
  {
    name: 'a file over 1 MiB',
    file: PROD,
    content: `${PROD_TEXT}${'# padding\n'.repeat(110_000)}`,
    line: 1,
    message: /1 MiB|too large|MiB/i,
  },
  {
    name: 'a path-like environment name escaping flags/',
    file: `${APP}/..evil/feature-flags.yaml`,
    content: PROD_TEXT,
    line: 1,
    message: /name|environment/i,
  },
  {
    name: 'an unknown flag, with a did-you-mean',
    file: PROD,
    content: PROD_TEXT.replace('enable_query_performance_monitoring', 'enable_query_performance_monitorng'),
    line: 8,
    message: /did you mean `?enable_query_performance_monitoring/i,
  },
  {
    name: 'a value over its maximum',
    file: PROD,
    content: PROD_TEXT.replace('percentage: 0', 'percentage: 101'),
    line: 7,
    message: /100/,
  },
  {
    name: 'a value of the wrong type',
    file: PROD,
    content: PROD_TEXT.replace('percentage: 0', 'percentage: "ten"'),
    line: 7,
    message: /number/i,
  },
  {
    name: 'a missing required attribute',
    file: PROD,
    content: PROD_TEXT.replace('  percentage: 0 # share of API queries served by InfluxDB\n', ''),
    line: 5,
    message: /percentage/i,
  },
];

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

describe('flagops validate on bad input', () => {
  it.each(CASES)('$name: exit 1, file and line, no stack trace', async (c) => {
    const dir = copyOfRepository();
    scratch.push(dir);
    mkdirSync(dirname(join(dir, c.file)), { recursive: true });
    writeFileSync(join(dir, c.file), c.content);
    const run = await runCli(['validate'], { cwd: dir });
    expect(run.code).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.includes(': error: '));
    const here = errors.filter((l) => l.startsWith(`${c.file}:`) || l.startsWith(`${dirname(c.file)}`));
    expect(here.length, run.stdout).toBeGreaterThan(0);
    if (c.line > 0)
      expect(
        here.some((l) => l.startsWith(`${c.file}:${c.line}:`)),
        run.stdout,
      ).toBe(true);
    expect(
      here.some((l) => c.message.test(l)),
      run.stdout,
    ).toBe(true);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  });

  it('refuses a compiled document over AppConfig’s 1 MB limit', async () => {
    const dir = copyOfRepository();
    scratch.push(dir);
    const file = join(dir, `${APP}/production/app-settings.yaml`);
    // Under the 1 MiB file limit as YAML, over 1 MiB once compiled to JSON (escaping doubles it).
    const big = `'https://x/${'"'.repeat(600_000)}'`;
    writeFileSync(file, readFileSync(file, 'utf8').replace(/endpoint: .*/, `endpoint: ${big}`));
    const run = await runCli(['validate'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/app-settings\.yaml:\d+:\d+: error: .*limited to 1,048,576 bytes/);
  });
});
