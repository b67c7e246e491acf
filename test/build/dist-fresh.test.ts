/**
 * The committed bundles under dist/ must be exactly what `npm run build` makes from the sources now:
 * actions run dist/ as committed, so a stale bundle would ship old behaviour silently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuiltFile } from '../../scripts/build-lib.mjs';
import { buildAll, DIST, listFiles, ROOT } from '../../scripts/build-lib.mjs';

describe('dist/', () => {
  let built: BuiltFile[] = [];
  beforeAll(async () => {
    built = await buildAll({ write: false });
  }, 120_000);

  it('is fresh: every bundle equals a rebuild byte for byte, and nothing else is there', () => {
    const committed = listFiles(DIST);
    const problems: string[] = [];
    for (const file of built) {
      if (!committed.includes(file.path)) problems.push(`${file.path} (missing)`);
      else if (!readFileSync(join(ROOT, file.path)).equals(file.contents))
        problems.push(`${file.path} (differs)`);
    }
    const produced = new Set(built.map((f) => f.path));
    for (const path of committed)
      if (!produced.has(path)) problems.push(`${path} (no entry point produces it)`);
    expect(problems, `dist/ is stale: run npm run build and commit\n  ${problems.join('\n  ')}`).toEqual([]);
  });

  it('is reproducible: bundles hold no absolute paths or build times', { timeout: 120_000 }, async () => {
    const first = built;
    const second: BuiltFile[] = await buildAll({ write: false });
    // Buffer.equals, not a deep equal: the bundles are megabytes and a deep equal walks every byte.
    expect(second.map((f) => f.path)).toEqual(first.map((f) => f.path));
    const differing = second.filter((f, i) => !f.contents.equals(first[i]!.contents)).map((f) => f.path);
    expect(differing, 'two builds of the same sources differ').toEqual([]);
    expect(first.map((f) => f.path)).toContain('dist/cli/index.mjs');
    for (const file of first) {
      const text = file.contents.toString('utf8');
      expect(text.includes(ROOT), `${file.path} contains the absolute path ${ROOT}`).toBe(false);
      if (!file.path.endsWith('.mjs')) continue;
      expect(text.startsWith("import { createRequire as __flagopsCreateRequire } from 'node:module';")).toBe(
        true,
      );
    }
  });
});
