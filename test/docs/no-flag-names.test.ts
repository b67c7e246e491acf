/**
 * flagops serves any application's flags: the product names none of the example migration's
 * backends. `src/demo/` (the sandbox's story, moving to its own package) may, and so may the
 * repository's own data under flags/ and the tests.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/cli.ts';

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else out.push(path);
  }
  return out;
}

describe('the product names no flag of the example', () => {
  it('no file in src/ outside src/demo/ names InfluxDB or Timestream', () => {
    const src = join(PROJECT_ROOT, 'src');
    const demo = join(src, 'demo');
    const offenders = filesUnder(src)
      .filter((f) => !f.startsWith(`${demo}/`))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            /influx|timestream/i.test(line) ? [`${relative(PROJECT_ROOT, f)}:${i + 1}`] : [],
          ),
      );
    expect(offenders).toEqual([]);
  });
});
