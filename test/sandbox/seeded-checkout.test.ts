/**
 * The sandbox's repository is a working checkout of the project: a clone of its remote holds the
 * action and CLI bundles, so `uses: ./actions/…` and `npx flagops` run there as README says; a
 * checkout without the bundles gets one line saying what to run, never node's stack trace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { git } from '../helpers/git.ts';

let tmp: string;
let sandbox: Sandbox;
let clone: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-seeded-'));
  sandbox = await startSandbox({ workDir: join(tmp, 'work') });
  clone = join(tmp, 'clone');
  git(tmp, 'clone', '--quiet', sandbox.gitRemote, clone);
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the seeded repository', () => {
  it('holds every action bundle the action.yml files name, byte for byte the project’s', () => {
    for (const action of ['deploy', 'bake', 'revert', 'plan', 'change-control']) {
      const main = /main: (\S+)/.exec(
        readFileSync(join(clone, 'actions', action, 'action.yml'), 'utf8'),
      )?.[1];
      expect(main, action).toBeDefined();
      const bundle = join('actions', action, main!);
      expect(readFileSync(join(clone, bundle)).equals(readFileSync(join(PROJECT_ROOT, bundle))), bundle).toBe(
        true,
      );
    }
    // The sandbox's own bundle is not part of the product a user checks out.
    expect(existsSync(join(clone, 'dist', 'sandbox'))).toBe(false);
  });

  it('runs the CLI from a plain clone (no npm install)', () => {
    const out = execFileSync(process.execPath, ['bin/flagops.mjs', 'validate'], {
      cwd: clone,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toMatch(/^ok: \d+ targets/m);
  });
});

describe('a checkout without its bundles', () => {
  it('says in one line which bundle is missing and what to run', () => {
    const bare = join(tmp, 'unbuilt');
    mkdirSync(join(bare, 'bin'), { recursive: true });
    copyFileSync(join(PROJECT_ROOT, 'bin', 'flagops.mjs'), join(bare, 'bin', 'flagops.mjs'));
    const r = spawnSync(process.execPath, ['bin/flagops.mjs', 'validate'], { cwd: bare, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^flagops: the bundle .*dist\/cli\/index\.mjs is missing; run `npm ci && npm run build`/,
    );
    expect(r.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
  });
});
