/**
 * What a user sees on the terminal has no AWS SDK warnings: `npm start` (the demo, through the
 * committed bin) on the machine's Node, and a command calling AWS on Node 24. On a Node older than
 * 22 the CLI prints one line of its own instead of the SDK's eight-line NodeVersionSupportWarning,
 * which it silences with the SDK's documented switch (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED,
 * https://github.com/aws/aws-sdk-js-v3/issues/7983).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { MIN_NODE_MAJOR, nodeSupportNotice } from '../../src/cli/node-support.ts';
import { PROJECT_ROOT } from '../helpers/cli.ts';

const BIN = join(PROJECT_ROOT, 'bin', 'flagops.mjs');
const NODE24 = join(PROJECT_ROOT, 'node_modules', 'node', 'bin', 'node');
/** Marks of Node's and the SDK's warnings: `(node:123) …Warning`, the SDK's a.co links. */
const WARNING = /\(node:\d+\)|NodeVersionSupportWarning|NodeDeprecationWarning|a\.co\//;

function run(
  node: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      node,
      [BIN, ...args],
      { cwd: PROJECT_ROOT, env, timeout: 900_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
}

/** A user's environment: none of the SDK switches set beforehand. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], ...extra };
  return env;
}

describe('the notice', () => {
  it('is one line on an unsupported Node and nothing on a supported one', () => {
    expect(nodeSupportNotice('v20.20.2')).toBe(
      `flagops: Node v20.20.2 is not supported; use Node ${MIN_NODE_MAJOR} or newer (carrying on)\n`,
    );
    expect(nodeSupportNotice('v22.0.0')).toBeUndefined();
    expect(nodeSupportNotice('v24.9.0')).toBeUndefined();
  });
});

describe('npm start on the machine’s Node', () => {
  it('tells the whole story with no SDK or Node warning; at most our one line', async () => {
    const out = await run(process.execPath, ['demo'], userEnv());
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/roll/i);
    expect(out.stdout + out.stderr).not.toMatch(WARNING);
    const notice = nodeSupportNotice(process.version);
    expect(out.stderr).toBe(notice ?? '');
    // The story is told by the workflows' runs (each a dozen processes on a loaded CI machine), so the
    // limit is generous; how long it takes is reported, not asserted.
  }, 900_000);
});

describe('on Node 24', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 60 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('a command calling AppConfig and CloudWatch prints nothing on stderr', async () => {
    const out = await run(NODE24, ['drift', '--json', '--no-issue'], userEnv(sandbox.env));
    // Nothing is deployed on a fresh sandbox, so drift reports (exit 1) — with AWS answering.
    expect(out.code, out.stderr).toBe(1);
    expect(JSON.parse(out.stdout).targets.length).toBeGreaterThan(0);
    expect(out.stderr).toBe('');
  }, 120_000);
});
