/**
 * The CLI commands in-process against the sandbox, configured the way a shell would be: AWS_* for
 * the SDK, FLAGOPS_CLOCK_SPEED and FLAGOPS_CLOCK_ORIGIN for the clock.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseArgs } from '../../src/cli/args.ts';
import type { CliIO, Command } from '../../src/cli/command.ts';
import { command as bootstrapCommand } from '../../src/cli/commands/bootstrap.ts';
import { command as deployCommand } from '../../src/cli/commands/deploy.ts';
import { command as rollbackCommand } from '../../src/cli/commands/rollback.ts';
import { command as statusCommand } from '../../src/cli/commands/status.ts';
import { type PipelineHarness, startPipelineHarness } from '../../testkit/pipeline-harness.ts';

let h: PipelineHarness;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  h = await startPipelineHarness();
  env = { ...h.sandbox.env, FLAGOPS_ROOT: h.root };
  // The SDK reads its endpoint and credentials from the process environment, as in a real shell.
  for (const [k, v] of Object.entries(h.sandbox.env)) vi.stubEnv(k, v);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await h?.close();
});

async function run(command: Command, argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env,
    cwd: h.root,
    isTTY: false,
  };
  const code = await command.run(parseArgs(command, argv), io);
  return { code, stdout, stderr };
}

describe('flagops CLI over the pipeline', () => {
  it('bootstraps, deploys, reports status, and rolls back', async () => {
    const boot = await run(bootstrapCommand, []);
    expect(boot.code).toBe(0);
    expect(boot.stdout).toMatch(/11 created/);
    expect(boot.stdout).toMatch(
      /alarm ons-data-platform-influxdb-migration-error-rate: created — from guard influxdb-error-rate/,
    );

    const deployed = await run(deployCommand, ['--environment', 'development', '--no-bake']);
    expect(deployed.stderr).toBe('');
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toMatch(
      /development\/feature-flags: deployed version 1 .*deployment 1, not baked/,
    );

    const again = await run(deployCommand, ['--environment', 'development', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'unchanged', changed: false });

    const status = await run(statusCommand, ['--environment', 'development']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/deployed +version 1 .*influxdb_traffic_percentage on percentage=25/);
    expect(status.stdout).toMatch(/in sync +yes/);

    const back = await run(rollbackCommand, ['--environment', 'development', '--reason', 'drill', '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ action: 'reverted', verified: true });
    // The scratch tree is no git checkout, so its commit ("local") is no ref GitHub knows: the
    // rollback is recorded all the same, on the default branch, with no warning.
    expect(back.stderr).not.toMatch(/warning/);

    const after = await run(statusCommand, ['--environment', 'development', '--json']);
    expect(JSON.parse(after.stdout)).toMatchObject({ inSync: false });
    expect(JSON.parse(after.stdout).deployed).toBeUndefined();
  });

  it('exits 3 with an actionable message when AWS is unreachable', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    try {
      const r = await run(statusCommand, ['--environment', 'development']).catch(
        (e: Error & { exitCode?: number }) => ({
          code: e.exitCode,
          stdout: '',
          stderr: e.message,
        }),
      );
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/could not reach AWS .*AWS_ENDPOINT_URL/);
    } finally {
      vi.stubEnv('AWS_ENDPOINT_URL', h.sandbox.env.AWS_ENDPOINT_URL);
    }
  });
});
