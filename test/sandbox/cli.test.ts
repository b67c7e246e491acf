/**
 * `flagops sandbox` as a person runs it: a child process started from source, whose stdout carries
 * the `export` lines, whose endpoint a real SDK client uses, and which stops cleanly on Ctrl-C.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { connect } from 'node:net';
import {
  AppConfigClient,
  CreateApplicationCommand,
  ListApplicationsCommand,
} from '@aws-sdk/client-appconfig';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../packages/sandbox/src/index.ts';
import { runCli } from '../helpers/cli.ts';

const REQUIRED = [
  'AWS_ENDPOINT_URL',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'GITHUB_API_URL',
  'GITHUB_TOKEN',
  'GITHUB_REPOSITORY',
  'FLAGOPS_GIT_REMOTE',
  'FLAGOPS_CLOCK_SPEED',
  'FLAGOPS_CLOCK_ORIGIN',
];

let child: ChildProcessWithoutNullStreams | undefined;

afterAll(() => {
  // Only if a failed assertion left it running.
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Collect stdout until the banner's last line, or fail with everything seen when the process ends first. */
function readBanner(proc: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const onData = (chunk: Buffer): void => {
      stdout += chunk.toString('utf8');
      if (/^# Ctrl-C to stop$/m.test(stdout)) {
        proc.stdout.off('data', onData);
        resolve(stdout);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    proc.once('exit', (code, signal) =>
      reject(
        new Error(`sandbox exited (${code ?? signal}) before printing its exports:\n${stdout}\n${stderr}`),
      ),
    );
  });
}

function exited(proc: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => proc.once('exit', (code) => resolve({ code, stderr })));
}

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe('flagops sandbox', () => {
  it('prints the export lines, serves real SDK clients on them, and exits 0 on SIGINT with the port closed', async () => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', '--port', '0', '--speed', '60'],
      { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    child = proc;
    const ended = exited(proc);
    const banner = await readBanner(proc);

    const exportLines = banner.split('\n').filter((line) => line.startsWith('export '));
    const env = new Map<string, string>();
    for (const line of exportLines) {
      const match = /^export ([A-Z][A-Z0-9_]*)=(\S+)$/.exec(line);
      expect(match, line).not.toBeNull();
      env.set(match![1]!, match![2]!);
    }
    expect(env.size).toBe(exportLines.length);
    for (const name of REQUIRED) expect(env.has(name), name).toBe(true);
    const endpoint = env.get('AWS_ENDPOINT_URL')!;
    const match = /^http:\/\/127\.0\.0\.1:(\d+)$/.exec(endpoint);
    expect(match, endpoint).not.toBeNull();
    const port = Number(match![1]);
    expect(port).toBeGreaterThan(0);
    expect(env.get('FLAGOPS_CLOCK_SPEED')).toBe('60');
    expect(env.get('GITHUB_API_URL')).toBe(`${endpoint}/github`);
    expect(banner).toContain(`flagops sandbox on ${endpoint} (speed 60x, scenario healthy)`);
    // What a person needs beside the exports: the endpoint for clients that ignore the variable,
    // and the simulated clock explained, with the command that prints it.
    expect(banner).toContain(`#   aws --endpoint-url ${endpoint} cloudwatch describe-alarms`);
    expect(banner).toMatch(
      /^# Some AWS clients ignore AWS_ENDPOINT_URL [\s\S]*send these dummy keys to real AWS/m,
    );
    expect(banner).toMatch(/FLAGOPS_CLOCK_SPEED and FLAGOPS_CLOCK_ORIGIN tell flagops the simulated time/);
    // The origin pairs a real instant with the simulated one: ahead of the real clock at 60x.
    const [realMs, simMs] = (env.get('FLAGOPS_CLOCK_ORIGIN') ?? '').split(':').map(Number);
    expect(realMs).toBeGreaterThan(0);
    expect(simMs).toBeGreaterThanOrEqual(realMs!);
    expect(banner).toContain(
      '--start-time "$(flagops sandbox clock --ago 1h)" --end-time "$(flagops sandbox clock)"',
    );
    for (const line of banner.trim().split('\n')) expect(line, line).toMatch(/^(# |#$|export )/);

    // `flagops sandbox clock` prints the simulated now (ahead of the real one at 60x), to the second.
    const sandboxNow = async () =>
      ((await (await fetch(`${endpoint}/_sandbox/clock`)).json()) as { now: number }).now;
    const before = await sandboxNow();
    const clockRun = await runCli(['sandbox', 'clock'], { env: { FLAGOPS_SANDBOX_URL: endpoint } });
    const after = await sandboxNow();
    expect(clockRun.code, clockRun.stderr).toBe(0);
    expect(clockRun.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    const printed = Date.parse(clockRun.stdout.trim());
    expect(printed).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(printed).toBeLessThanOrEqual(after);
    const hourAgo = await runCli(['sandbox', 'clock', '--ago', '1h', '--epoch'], {
      env: { FLAGOPS_SANDBOX_URL: endpoint },
    });
    const afterAgo = await sandboxNow();
    expect(Number(hourAgo.stdout) * 1000).toBeLessThanOrEqual(afterAgo - 3_600_000);
    expect(Number(hourAgo.stdout) * 1000).toBeGreaterThanOrEqual(Math.floor(after / 1000) * 1000 - 3_600_000);

    // The printed endpoint and region are what a shell's SDK would use.
    const config = {
      endpoint,
      region: env.get('AWS_REGION')!,
      credentials: {
        accessKeyId: env.get('AWS_ACCESS_KEY_ID')!,
        secretAccessKey: env.get('AWS_SECRET_ACCESS_KEY')!,
      },
    };
    const appconfig = new AppConfigClient(config);
    const cloudwatch = new CloudWatchClient(config);
    try {
      const created = await appconfig.send(new CreateApplicationCommand({ Name: 'from-the-cli-test' }));
      const listed = await appconfig.send(new ListApplicationsCommand({}));
      expect(listed.Items?.map((a) => a.Id)).toEqual([created.Id]);
      const alarms = await cloudwatch.send(new DescribeAlarmsCommand({}));
      expect(alarms.MetricAlarms).toEqual([]);
    } finally {
      appconfig.destroy();
      cloudwatch.destroy();
    }

    expect(await portRefuses(port)).toBe(false);
    proc.kill('SIGINT');
    const { code, stderr } = await ended;
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('sandbox stopped');
    expect(await portRefuses(port)).toBe(true);
  });

  it('`flagops sandbox clock` names the fix when no sandbox runs, and refuses a bad duration', async () => {
    const none = await runCli(['sandbox', 'clock'], { env: { FLAGOPS_SANDBOX_URL: 'http://127.0.0.1:9' } });
    expect(none.code).toBe(3);
    expect(none.stderr).toContain(
      'no sandbox answers at http://127.0.0.1:9: start one with `flagops sandbox`',
    );
    const bad = await runCli(['sandbox', 'clock', '--ago', 'an hour'], {
      env: { FLAGOPS_SANDBOX_URL: 'http://127.0.0.1:9' },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--ago an hour: use a number and a unit');
    const unknown = await runCli(['sandbox', 'time']);
    expect(unknown.code).toBe(2);
  });
});
