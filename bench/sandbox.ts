/**
 * The sandbox as the ground of every integration test: how many requests per second it serves to
 * the real AWS SDK clients on loopback, and how long `startSandbox()` takes. Aims: ≥ 2,000 req/s on
 * a 2-core machine, and < 300 ms to start.
 *
 * Requests per second: the sandbox runs as `flagops sandbox` in its own process (as people and CI run
 * it), and this process drives it with the real @aws-sdk/client-appconfig and client-cloudwatch at a
 * fixed concurrency, a fixed number of requests per round (GetEnvironment, DescribeAlarms and
 * GetMetricData in turn). The baseline is a bare node:http server in its own process answering `{}`
 * to everything, driven by the same clients with the same mix: the SDK's own cost per request is in
 * both, so the ratio is what the sandbox's routing and work cost.
 *
 * Start time: `startSandbox()` + `close()` in this process with default options (seeded from the
 * whole project, as `flagops sandbox` is), against an empty node:http server's listen + close and,
 * for scale, `node -e 0`.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppConfigClient,
  CreateApplicationCommand,
  CreateEnvironmentCommand,
  GetEnvironmentCommand,
} from '@aws-sdk/client-appconfig';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { PROJECT_ROOT, startSandbox } from '../packages/sandbox/src/index.ts';
import { type BenchResult, formatMs, measureRounds, median, timeCommand } from './lib.ts';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const REQUESTS = Number(process.env['BENCH_SANDBOX_REQUESTS'] ?? 3_000);
const CONCURRENCY = 12;
const START_RUNS = Math.max(RUNS, 7);
const RPS_AIM = 2_000;
const START_AIM_MS = 300;

/** A bare HTTP server answering `{}` to everything, in its own process; prints its port. */
const BASELINE_SERVER = `
const http = require('node:http');
const body = Buffer.from('{}');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'x-amzn-requestid': 'x' });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log('export AWS_ENDPOINT_URL=http://127.0.0.1:' + server.address().port + '\\n# Ctrl-C to stop'));
process.on('SIGINT', () => server.close(() => process.exit(0)));
server.on('connection', (s) => process.once('SIGINT', () => s.destroy()));
`;

interface ServerProcess {
  endpoint: string;
  stop(): Promise<void>;
}

/** Spawn a server process and wait for its `export AWS_ENDPOINT_URL=` line. */
function startServerProcess(args: string[]): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, {
      cwd: PROJECT_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      const match = /^export AWS_ENDPOINT_URL=(\S+)$/m.exec(stdout);
      if (match && /^# Ctrl-C to stop$/m.test(stdout)) {
        resolve({
          endpoint: match[1]!,
          async stop() {
            child.kill('SIGINT');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`server exited ${code} before listening:\n${stdout}${stderr}`)),
    );
  });
}

function clientsFor(endpoint: string) {
  const config = {
    endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    // No retries: a throttled or failed request must fail the benchmark, not hide in a backoff.
    maxAttempts: 1,
  };
  return { appconfig: new AppConfigClient(config), cloudwatch: new CloudWatchClient(config) };
}

/** The fixed request mix, `REQUESTS` calls with `CONCURRENCY` in flight; returns wall milliseconds. */
async function drive(
  clients: ReturnType<typeof clientsFor>,
  ids: { applicationId: string; environmentId: string },
): Promise<number> {
  const end = new Date();
  const start = new Date(end.getTime() - 60 * 60_000);
  const call = (i: number): Promise<unknown> => {
    switch (i % 3) {
      case 0:
        return clients.appconfig.send(
          new GetEnvironmentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId }),
        );
      case 1:
        return clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'bench-' }));
      default:
        return clients.cloudwatch.send(
          new GetMetricDataCommand({
            StartTime: start,
            EndTime: end,
            MetricDataQueries: [
              {
                Id: 'errors',
                MetricStat: {
                  Metric: {
                    Namespace: 'ONS/TrafficSwitching',
                    MetricName: 'ErrorCount',
                    Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
                  },
                  Period: 60,
                  Stat: 'Sum',
                },
              },
            ],
          }),
        );
    }
  };
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < REQUESTS) await call(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Resources for the mix to read in the sandbox: an environment, alarms, an hour of metrics. */
async function prepareSandbox(clients: ReturnType<typeof clientsFor>) {
  const applicationId = (await clients.appconfig.send(new CreateApplicationCommand({ Name: 'bench' }))).Id!;
  const environmentId = (
    await clients.appconfig.send(
      new CreateEnvironmentCommand({ ApplicationId: applicationId, Name: 'bench' }),
    )
  ).Id!;
  for (let i = 0; i < 5; i++) {
    await clients.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: `bench-${i}`,
        Namespace: 'ONS/TrafficSwitching',
        MetricName: 'ErrorCount',
        Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 50,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
  }
  const now = Date.now();
  for (let minute = 0; minute < 60; minute += 20) {
    await clients.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'ONS/TrafficSwitching',
        MetricData: Array.from({ length: 20 }, (_, i) => ({
          MetricName: 'ErrorCount',
          Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
          Value: (minute + i) % 7,
          Timestamp: new Date(now - (minute + i + 1) * 60_000),
        })),
      }),
    );
  }
  return { applicationId, environmentId };
}

async function startTime(): Promise<Record<string, number[]>> {
  const emptyServer = async (): Promise<number> => {
    const started = process.hrtime.bigint();
    const server = createServer((_req, res) => res.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const sandbox = async (): Promise<number> => {
    const started = process.hrtime.bigint();
    const running = await startSandbox();
    await running.close();
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const nodeStart = async (): Promise<number> => {
    const result = await timeCommand(process.execPath, ['-e', '0'], PROJECT_ROOT);
    if (result.exitCode !== 0) throw new Error(`node -e 0 exited ${result.exitCode}`);
    return result.milliseconds;
  };
  return measureRounds({ sandbox, emptyServer, nodeStart }, START_RUNS);
}

export async function run(): Promise<BenchResult> {
  const workspace = mkdtempSync(join(tmpdir(), 'flagops-bench-sandbox-'));
  try {
    // The served repository does not matter for throughput; a small seed keeps the child's start short.
    const seed = join(workspace, 'seed');
    cpSync(join(PROJECT_ROOT, 'flags'), join(seed, 'flags'), { recursive: true });

    const sandboxProcess = await startServerProcess([
      '--import',
      'tsx',
      'src/cli/main.ts',
      'sandbox',
      '--port',
      '0',
      '--speed',
      '1',
      '--seed',
      seed,
    ]);
    const baselineProcess = await startServerProcess(['-e', BASELINE_SERVER]);
    const sandboxClients = clientsFor(sandboxProcess.endpoint);
    const baselineClients = clientsFor(baselineProcess.endpoint);
    let rps: Record<string, number[]>;
    try {
      const ids = await prepareSandbox(sandboxClients);
      rps = await measureRounds(
        {
          sandbox: () => drive(sandboxClients, ids),
          baseline: () => drive(baselineClients, { applicationId: 'a', environmentId: 'e' }),
        },
        RUNS,
      );
    } finally {
      for (const c of [sandboxClients, baselineClients]) {
        c.appconfig.destroy();
        c.cloudwatch.destroy();
      }
      await sandboxProcess.stop();
      await baselineProcess.stop();
    }

    const start = await startTime();
    const perSecond = (ms: number) => REQUESTS / (ms / 1000);
    const sandboxRps = perSecond(median(rps['sandbox']!));
    const baselineRps = perSecond(median(rps['baseline']!));
    const sandboxStart = median(start['sandbox']!);
    const emptyStart = median(start['emptyServer']!);
    const nodeStart = median(start['nodeStart']!);
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

    return {
      title: `sandbox: requests per second to real SDK clients on loopback (${REQUESTS} requests, ${CONCURRENCY} in flight, median of ${RUNS} rounds) and start time (median of ${START_RUNS})`,
      table: {
        headers: ['what', 'median', 'vs baseline', 'aim'],
        rows: [
          [
            'sandbox (flagops sandbox process)',
            `${sandboxRps.toFixed(0)} req/s`,
            `${(sandboxRps / baselineRps).toFixed(2)}× of bare http`,
            `≥ ${RPS_AIM} req/s: ${verdict(sandboxRps >= RPS_AIM)}`,
          ],
          ['bare node:http answering {} (baseline)', `${baselineRps.toFixed(0)} req/s`, '1.00×', ''],
          [
            'startSandbox() + close(), project seed',
            formatMs(sandboxStart),
            `+${formatMs(sandboxStart - emptyStart)} over empty server`,
            `< ${START_AIM_MS} ms: ${verdict(sandboxStart < START_AIM_MS)}`,
          ],
          ['empty node:http listen + close (baseline)', formatMs(emptyStart), '', ''],
          [
            'node -e 0 (process start, for scale)',
            formatMs(nodeStart),
            `sandbox = ${(sandboxStart / nodeStart).toFixed(2)}×`,
            '',
          ],
        ],
      },
      notes: [
        'Mix per round: GetEnvironment (AppConfig, restJson1), DescribeAlarms over 5 alarms and GetMetricData over an hour of minutely data (CloudWatch, AWS JSON 1.0), in turn; clients with maxAttempts 1 so no request hides in a retry.',
        'Both servers run in their own process and the same clients drive both, so SDK serialisation and parsing weigh on both figures alike; the ratio is what routing, the services and per-request ticking cost.',
        `startSandbox() with default options seeds the GitHub repository from the whole project (git ls-files + fast-import) and removes its temp directory on close; module loading is not counted (one warm-up round).`,
      ],
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
