/**
 * Debian's AWS CLI (awsQuery: form-encoded requests, XML answers) against the sandbox's CloudWatch,
 * for every operation flagops and the migration guide use, with the errors AWS gives. Each CLI run
 * costs a Python start, so the finer rules of each operation are covered over both protocols with
 * the SDK in cloudwatch-protocols.test.ts.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../packages/sandbox/src/clock.ts';
import { createCloudWatch } from '../../packages/sandbox/src/cloudwatch/service.ts';
import { type RunningServer, startServer } from '../../packages/sandbox/src/server.ts';
import { type AwsRun, assertAwsCli, awsCli } from '../helpers/aws-cli.ts';

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 5, 12, 0, 0);
const NS = 'ONS/TrafficSwitching';
const ALARM = 'ons-data-platform-influxdb-migration-error-rate';
const DASHBOARD = 'ons-data-platform-production-traffic-switching';
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** How the CLI prints a timestamp it parsed from XML. */
const printed = (ms: number) => iso(ms).replace('Z', '+00:00');
const base = START - 15 * MINUTE;
const CLI_TIMEOUT = 120_000;

let server: RunningServer;
const aws = (...args: string[]): Promise<AwsRun> => awsCli(server.url, ['cloudwatch', ...args]);

function expectOk(run: AwsRun): void {
  expect(run.code, run.stderr).toBe(0);
}

function expectAwsError(run: AwsRun, code: string, message?: RegExp): void {
  expect(run.code, run.stdout).toBe(254);
  expect(run.stderr).toContain(`An error occurred (${code})`);
  if (message) expect(run.stderr).toMatch(message);
}

beforeAll(async () => {
  assertAwsCli();
  const clock = new SimClock({ start: START, speed: 1 });
  server = await startServer({ clock, services: (ctx) => [createCloudWatch(ctx)] });
  // Three 5-minute periods before START: 10, 20 and 30 requests a minute; one latency distribution.
  const data: unknown[] = [];
  for (let m = 0; m < 15; m++) {
    data.push({
      MetricName: 'RequestCount',
      Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
      Timestamp: iso(base + m * MINUTE + 30_000),
      Value: 10 * (Math.floor(m / 5) + 1),
      Unit: 'Count',
    });
  }
  data.push({
    MetricName: 'ResponseTime',
    Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
    Timestamp: iso(base + MINUTE),
    Values: [100, 200, 300, 400, 1000],
    Counts: [10, 5, 3, 1, 1],
    Unit: 'Milliseconds',
  });
  expectOk(await aws('put-metric-data', '--namespace', NS, '--metric-data', JSON.stringify(data)));
}, CLI_TIMEOUT);

afterAll(async () => {
  await server?.close();
});

describe('aws cloudwatch get-metric-statistics', () => {
  const metric = ['--namespace', NS, '--dimensions', 'Name=Backend,Value=influxdb'];

  it(
    "answers the guide's command (Sum per 300 s for one backend) and extended statistics by unit",
    async () => {
      const [sums, p95] = await Promise.all([
        aws(
          'get-metric-statistics',
          ...metric,
          '--metric-name',
          'RequestCount',
          '--start-time',
          iso(START - 3600_000),
          '--end-time',
          iso(START),
          '--period',
          '300',
          '--statistics',
          'Sum',
          'SampleCount',
        ),
        aws(
          'get-metric-statistics',
          ...metric,
          '--metric-name',
          'ResponseTime',
          '--start-time',
          iso(base),
          '--end-time',
          iso(START),
          '--period',
          '900',
          '--extended-statistics',
          'p50',
          'p95',
          '--unit',
          'Milliseconds',
        ),
      ]);
      expectOk(sums);
      const out = sums.json as { Label: string; Datapoints: Array<{ Timestamp: string }> };
      expect(out.Label).toBe('RequestCount');
      expect([...out.Datapoints].sort((a, b) => a.Timestamp.localeCompare(b.Timestamp))).toEqual(
        [50, 100, 150].map((sum, i) => ({
          Timestamp: printed(base + i * 5 * MINUTE),
          Sum: sum,
          SampleCount: 5,
          Unit: 'Count',
        })),
      );
      expectOk(p95);
      // 20 samples: the 10th smallest is 100 ms, the 19th 400 ms (nearest rank).
      expect((p95.json as { Datapoints: unknown[] }).Datapoints).toEqual([
        { Timestamp: printed(base), Unit: 'Milliseconds', ExtendedStatistics: { p50: 100, p95: 400 } },
      ]);
    },
    CLI_TIMEOUT,
  );

  it(
    'refuses more than 1,440 datapoints',
    async () => {
      const run = await aws(
        'get-metric-statistics',
        ...metric,
        '--metric-name',
        'RequestCount',
        '--start-time',
        iso(START - 2 * 24 * 3600_000),
        '--end-time',
        iso(START),
        '--period',
        '60',
        '--statistics',
        'Sum',
      );
      expectAwsError(
        run,
        'InvalidParameterCombination',
        /requested up to 2880 datapoints, which exceeds the limit of 1440/,
      );
    },
    CLI_TIMEOUT,
  );
});

describe('aws cloudwatch get-metric-data', () => {
  const queries = JSON.stringify([
    {
      Id: 'req',
      MetricStat: {
        Metric: {
          Namespace: NS,
          MetricName: 'RequestCount',
          Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
        },
        Period: 60,
        Stat: 'Sum',
      },
    },
    { Id: 'double', Expression: 'req * 2' },
  ]);
  const window = [
    '--metric-data-queries',
    queries,
    '--start-time',
    iso(base),
    '--end-time',
    iso(base + 6 * MINUTE),
  ];

  it(
    'pages by MaxDatapoints with a NextToken; the CLI follows the pages; a foreign token is refused',
    async () => {
      const [first, paged] = await Promise.all([
        aws('get-metric-data', ...window, '--max-datapoints', '4', '--no-paginate'),
        aws('get-metric-data', ...window, '--page-size', '4'),
      ]);
      expectOk(first);
      const page = first.json as {
        NextToken?: string;
        MetricDataResults: Array<{ Id: string; Values: number[]; StatusCode: string }>;
      };
      expect(page.NextToken).toEqual(expect.any(String));
      expect(page.MetricDataResults.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
        ['req', [20, 10, 10, 10], 'PartialData'],
        ['double', [], 'PartialData'],
      ]);

      // The CLI concatenates each page's results; joined per Id they are the whole answer, which
      // the SDK (JSON 1.0) gets in one page.
      expectOk(paged);
      const joined: Record<string, number[]> = {};
      for (const r of (paged.json as { MetricDataResults: Array<{ Id: string; Values: number[] }> })
        .MetricDataResults)
        joined[r.Id] = [...(joined[r.Id] ?? []), ...r.Values];
      const json = new CloudWatchClient({
        endpoint: server.url,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      });
      const whole = await json.send(
        new GetMetricDataCommand({
          MetricDataQueries: JSON.parse(queries),
          StartTime: new Date(base),
          EndTime: new Date(base + 6 * MINUTE),
        }),
      );
      json.destroy();
      expect(joined).toEqual(
        Object.fromEntries((whole.MetricDataResults ?? []).map((r) => [r.Id, r.Values])),
      );
      expect(joined['double']).toEqual([40, 20, 20, 20, 20, 20]);

      const foreign = await aws(
        'get-metric-data',
        '--metric-data-queries',
        queries,
        '--start-time',
        iso(base - MINUTE),
        '--end-time',
        iso(START),
        '--next-token',
        page.NextToken as string,
        '--no-paginate',
      );
      expectAwsError(foreign, 'InvalidNextToken');
    },
    CLI_TIMEOUT,
  );
});

describe('aws cloudwatch alarms', () => {
  it(
    'puts and describes a metric alarm; refuses an out-of-range page size',
    async () => {
      expectOk(
        await aws(
          'put-metric-alarm',
          '--alarm-name',
          ALARM,
          '--namespace',
          NS,
          '--metric-name',
          'ErrorCount',
          '--dimensions',
          'Name=Backend,Value=influxdb',
          '--statistic',
          'Sum',
          '--period',
          '60',
          '--evaluation-periods',
          '2',
          '--threshold',
          '5',
          '--comparison-operator',
          'GreaterThanThreshold',
        ),
      );
      const [described, tooMany] = await Promise.all([
        aws('describe-alarms', '--alarm-names', ALARM),
        aws('describe-alarms', '--max-records', '1000'),
      ]);
      expectOk(described);
      const alarm = (described.json as { MetricAlarms: Array<Record<string, unknown>> }).MetricAlarms[0];
      expect(alarm).toMatchObject({
        AlarmName: ALARM,
        Namespace: NS,
        Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
        Threshold: 5,
        EvaluationPeriods: 2,
        ComparisonOperator: 'GreaterThanThreshold',
        ActionsEnabled: true,
      });
      expect(String(alarm?.['AlarmConfigurationUpdatedTimestamp'])).toMatch(/^2026-01-05T12:/);
      expectAwsError(tooMany, 'InvalidParameterValue', /MaxRecords must be between 1 and 100/);
    },
    CLI_TIMEOUT,
  );
});

describe('aws cloudwatch dashboards', () => {
  const body = JSON.stringify({
    widgets: [
      {
        type: 'metric',
        width: 12,
        height: 6,
        properties: {
          region: 'eu-west-2',
          metrics: [[NS, 'RequestCount', 'Backend', 'influxdb']],
          annotations: {
            horizontal: [{ value: 5, label: 'limit' }],
            vertical: [{ value: '2026-01-05T11:00:00Z' }],
          },
        },
      },
    ],
  });

  it(
    'puts and gets a dashboard; refuses an invalid body with the validation messages',
    async () => {
      const [put, bad] = await Promise.all([
        aws('put-dashboard', '--dashboard-name', DASHBOARD, '--dashboard-body', body),
        aws(
          'put-dashboard',
          '--dashboard-name',
          'broken',
          '--dashboard-body',
          JSON.stringify({ widgets: [{ type: 'metric', width: 30, properties: { metrics: [] } }] }),
        ),
      ]);
      expectOk(put);
      expect(put.json).toEqual({ DashboardValidationMessages: [] });
      expectAwsError(bad, 'InvalidParameterInput', /there are 2 validation errors/);
      expect(bad.stderr).toContain('/widgets/0/width');
      expect(bad.stderr).toContain("Should have required property 'region'");
      const got = await aws('get-dashboard', '--dashboard-name', DASHBOARD);
      expect(got.json).toEqual({
        DashboardArn: `arn:aws:cloudwatch::123456789012:dashboard/${DASHBOARD}`,
        DashboardBody: body,
        DashboardName: DASHBOARD,
      });
    },
    CLI_TIMEOUT,
  );
});
