/**
 * The product knows nothing of its test double (issue 16): the emulator is the workspace package
 * packages/sandbox, and nothing under src/ names its control routes, its URL variable or its clock.
 * It adapts to the product through the seams any user has: AWS_ENDPOINT_URL and GITHUB_API_URL, the
 * clock pair FLAGOPS_CLOCK_SPEED + FLAGOPS_CLOCK_ORIGIN, and FLAGOPS_AWS_RETRY_BASE_DELAY_MS.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the word may appear: the CLI's command table and the list of its command names (which an
 * application's `commands:` may not take), and the thin `flagops sandbox` / `flagops demo` commands
 * that load the emulator package by name and say how to get it when it is missing.
 */
const MAY_NAME_THE_PACKAGE = new Set([
  'src/cli/main.ts',
  'src/model/command-checks.ts',
  'src/cli/companion.ts',
  'src/cli/commands/sandbox.ts',
  'src/cli/commands/demo.ts',
]);

/** What the product must never say, wherever it is: the emulator's control API, URL and clock. */
const NEVER = [/_sandbox/, /FLAGOPS_SANDBOX_URL/, /SimClock/, /clockSpeed/];

function productFiles(): string[] {
  return readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

describe('the product and the emulator', () => {
  const files = productFiles();

  it('reads the whole product', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('src/pipeline/clock.ts');
  });

  it('names none of the emulator’s routes, variables or clock anywhere in src/', () => {
    const found = files.flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return NEVER.filter((pattern) => pattern.test(text)).map((pattern) => `${file}: ${pattern}`);
    });
    expect(found).toEqual([]);
  });

  it('mentions the sandbox only in the CLI commands that load its package', () => {
    const found = files.filter(
      (file) => !MAY_NAME_THE_PACKAGE.has(file) && /sandbox/i.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(found).toEqual([]);
  });

  it('has no demo of its own: the stories live in the emulator package', () => {
    expect(existsSync(join(ROOT, 'src', 'demo'))).toBe(false);
    expect(existsSync(join(ROOT, 'packages', 'sandbox', 'demo', 'story.ts'))).toBe(true);
  });

  it("leaves the emulator's libraries out of the product's dependencies", () => {
    const product = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const emulator = JSON.parse(readFileSync(join(ROOT, 'packages/sandbox/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of [
      'mermaid',
      'marked',
      'sanitize-html',
      '@actions/workflow-parser',
      '@actions/expressions',
    ]) {
      expect(Object.keys(emulator.dependencies)).toContain(name);
      expect(Object.keys(product.dependencies)).not.toContain(name);
    }
  });
});
