import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/build-lib.mjs';
import { USER_AGENT } from '../../src/aws/config.ts';
import { VERSION } from '../../src/core/version.ts';

describe('the version', () => {
  it('is package.json’s, and the AWS user agent names it', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(manifest.version);
    expect(USER_AGENT).toBe(`flagops/${manifest.version}`);
  });
});
