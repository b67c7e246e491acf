/**
 * One rule, two enforcers: the job running `flagops deploy` is killed (SIGKILL) while the
 * deployment is in flight, and the breach that follows is still rolled back — by AppConfig itself,
 * through the managed alarm `flagops bootstrap` compiled from the error-rate guard and attached as
 * the environment's monitor.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { resolveTarget } from '../../src/pipeline/resolve.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';
import { PROJECT_ROOT } from '../helpers/cli.ts';

let h: PipelineHarness | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await h?.close();
  h = undefined;
});

describe('a job killed mid-bake', () => {
  it('still ends in a rollback: AppConfig acts on the managed alarm', async () => {
    h = await startPipelineHarness({ scenario: 'influxdb-overload-above-40', speed: 30 });
    await bootstrap(h.ctx, h.snapshot().repo, {
      alarmRoleArn: 'arn:aws:iam::123456789012:role/appconfig-alarms',
      alarmArnPrefix: 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:',
    });
    h.setPercentage('production', 50);
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'deploy', '--environment', 'production'],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...h.sandbox.env, FLAGOPS_ROOT: h.root, GITHUB_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    let out = '';
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the deploy never started: ${out}`)), 60_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        if (/started deployment \d+/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
    });
    proc.kill('SIGKILL'); // The runner is lost: nobody watches the bake any more.
    await exited;
    expect(proc.signalCode).toBe('SIGKILL');

    // Time goes on without the job: the canary passes 40 %, InfluxDB overloads, the alarm trips.
    await h.control('clock', { speed: 600 });
    const t = await resolveTarget(h.aws, PRODUCTION);
    const deadline = Date.now() + 60_000;
    let state = '';
    let events: Array<{ type: string; triggeredBy: string; description: string }> = [];
    while (Date.now() < deadline) {
      const [d] = await h.aws.appconfig.listDeployments(t.application.id, t.environment.id);
      const full = d
        ? await h.aws.appconfig.getDeployment(t.application.id, t.environment.id, d.number)
        : undefined;
      state = full?.state ?? '';
      events = full?.events ?? [];
      if (state === 'ROLLED_BACK' || state === 'COMPLETE') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toBe('ROLLED_BACK');
    const rollback = events.find((e) => e.type === 'ROLLBACK_STARTED');
    expect(rollback?.triggeredBy).toBe('CLOUDWATCH_ALARM');
    expect(rollback?.description).toMatch(/ons-data-platform-/);
  }, 120_000);
});
