/**
 * Every CloudWatch operation the sandbox serves answers the same over AWS JSON 1.0 (the v3 SDK's
 * default) and awsQuery (the same SDK with its AwsQueryProtocol: form-encoded requests, XML
 * answers), successes and errors alike; the rules of GetMetricStatistics and GetMetricData
 * pagination; and the raw XML of awsQuery errors.
 */
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DeleteDashboardsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  GetDashboardCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  type GetMetricStatisticsCommandInput,
  ListDashboardsCommand,
  ListMetricsCommand,
  PutCompositeAlarmCommand,
  PutDashboardCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../packages/sandbox/src/clock.ts';
import { servedOperations } from '../../packages/sandbox/src/cloudwatch/model.ts';
import { createCloudWatch } from '../../packages/sandbox/src/cloudwatch/service.ts';
import { type RunningServer, startServer } from '../../packages/sandbox/src/server.ts';

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 5, 12, 0, 0);
const NS = 'ONS/TrafficSwitching';
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const influx = [{ Name: 'Backend', Value: 'influxdb' }];

type Protocol = 'json' | 'query';
const servers: Record<Protocol, RunningServer> = {} as Record<Protocol, RunningServer>;
const clients: Record<Protocol, CloudWatchClient> = {} as Record<Protocol, CloudWatchClient>;

beforeAll(async () => {
  for (const protocol of ['json', 'query'] as const) {
    // A stopped clock, so both servers see the same instants.
    const clock = new SimClock({ start: START, realNow: () => 0 });
    servers[protocol] = await startServer({ clock, services: (ctx) => [createCloudWatch(ctx)] });
    clients[protocol] = new CloudWatchClient({
      endpoint: servers[protocol].url,
      region: 'eu-west-2',
      credentials,
      maxAttempts: 1,
      ...(protocol === 'query' ? { protocol: AwsQueryProtocol } : {}),
    });
  }
});

afterAll(async () => {
  for (const protocol of ['json', 'query'] as const) {
    clients[protocol]?.destroy();
    await servers[protocol]?.close();
  }
});

interface Outcome {
  operation: string;
  output?: unknown;
  error?: { name: string; message: string; status: number | undefined; extra: Record<string, unknown> };
}

// biome-ignore lint/suspicious/noExplicitAny: one list holds commands of every operation
type AnyCommand = any;

async function outcome(client: CloudWatchClient, command: AnyCommand): Promise<Outcome> {
  const operation = (command.constructor.name as string).replace(/Command$/, '');
  try {
    const { $metadata: _m, ...output } = await client.send(command);
    return { operation, output };
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } } & Record<string, unknown>;
    const extra: Record<string, unknown> = {};
    // An absent list reads as [] from XML and undefined from JSON: both mean none.
    if ((err['dashboardValidationMessages'] as unknown[] | undefined)?.length)
      extra['dashboardValidationMessages'] = err['dashboardValidationMessages'];
    return {
      operation,
      error: { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, extra },
    };
  }
}

const at = (minutesBefore: number) => new Date(START - minutesBefore * MINUTE);

const stats = (input: Partial<GetMetricStatisticsCommandInput>) =>
  new GetMetricStatisticsCommand({
    Namespace: NS,
    MetricName: 'RequestCount',
    Dimensions: influx,
    StartTime: at(60),
    EndTime: at(0),
    Period: 300,
    ...input,
  } as GetMetricStatisticsCommandInput);

const body = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    widgets: [
      {
        type: 'metric',
        x: 0,
        y: 0,
        width: 12,
        height: 6,
        properties: { region: 'eu-west-2', metrics: [[NS, 'RequestCount', 'Backend', 'influxdb']], ...extra },
      },
    ],
  });

/** One story through every operation, run unchanged over each protocol. */
function story(): AnyCommand[] {
  return [
    new PutMetricDataCommand({
      Namespace: NS,
      MetricData: [
        ...Array.from({ length: 12 }, (_, m) => ({
          MetricName: 'RequestCount',
          Dimensions: influx,
          Timestamp: at(30 - m * 2),
          Value: 5 + m,
          Unit: 'Count' as const,
        })),
        {
          MetricName: 'ResponseTime',
          Dimensions: influx,
          Timestamp: at(20),
          Values: [120, 250, 900],
          Counts: [8, 1, 1],
          Unit: 'Milliseconds' as const,
        },
        {
          MetricName: 'ResponseTime',
          Dimensions: influx,
          Timestamp: at(19),
          StatisticValues: { SampleCount: 4, Sum: 2000, Minimum: 100, Maximum: 800 },
          Unit: 'Seconds' as const,
        },
      ],
    }),
    new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'x', Value: 1 }] }),
    new ListMetricsCommand({ Namespace: NS }),
    new ListMetricsCommand({ NextToken: 'garbage' }),
    stats({ Statistics: ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'] }),
    stats({
      MetricName: 'ResponseTime',
      ExtendedStatistics: ['p50', 'p99.5'],
      Period: 3600,
      StartTime: at(120),
    }),
    stats({ MetricName: 'ResponseTime', Statistics: ['Average'], Period: 3600, StartTime: at(120) }),
    stats({ Statistics: ['Sum'], Unit: 'Seconds' }),
    stats({ Statistics: ['Sum'], Period: 10, StartTime: at(4 * 60) }),
    stats({ Statistics: ['Sum'], Period: 60, StartTime: at(25 * 60) }),
    stats({ Statistics: ['Sum'], ExtendedStatistics: ['p95'] }),
    stats({}),
    stats({ Statistics: ['Sum'], Period: 45 }),
    stats({ ExtendedStatistics: ['p101'] }),
    stats({ Statistics: ['Sum'], StartTime: at(0), EndTime: at(10) }),
    new GetMetricDataCommand({
      MetricDataQueries: [
        {
          Id: 'req',
          MetricStat: {
            Metric: { Namespace: NS, MetricName: 'RequestCount', Dimensions: influx },
            Period: 120,
            Stat: 'Sum',
          },
        },
        { Id: 'pct', Expression: '100 * req / 50', Label: 'share' },
      ],
      StartTime: at(30),
      EndTime: at(0),
      ScanBy: 'TimestampAscending',
      MaxDatapoints: 7,
    }),
    new GetMetricDataCommand({
      MetricDataQueries: [{ Id: 'x', Expression: 'nope * 2' }],
      StartTime: at(30),
      EndTime: at(0),
    }),
    new PutMetricAlarmCommand({
      AlarmName: 'errors',
      Namespace: NS,
      MetricName: 'ErrorCount',
      Dimensions: influx,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 2,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      Tags: [{ Key: 'team', Value: 'platform' }],
    }),
    new PutMetricAlarmCommand({
      AlarmName: 'bad',
      Namespace: NS,
      MetricName: 'x',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
    new PutCompositeAlarmCommand({ AlarmName: 'any', AlarmRule: 'ALARM("errors")' }),
    new SetAlarmStateCommand({ AlarmName: 'errors', StateValue: 'ALARM', StateReason: 'drill' }),
    new SetAlarmStateCommand({ AlarmName: 'missing', StateValue: 'OK', StateReason: 'x' }),
    new DisableAlarmActionsCommand({ AlarmNames: ['errors'] }),
    new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
    new EnableAlarmActionsCommand({ AlarmNames: ['errors'] }),
    new DescribeAlarmHistoryCommand({ AlarmName: 'errors' }),
    new DescribeAlarmsCommand({ MaxRecords: 1000 }),
    new DeleteAlarmsCommand({ AlarmNames: ['any', 'errors'] }),
    new PutDashboardCommand({ DashboardName: 'traffic', DashboardBody: body() }),
    new PutDashboardCommand({ DashboardName: 'traffic-b', DashboardBody: body({ view: 'singleValue' }) }),
    new PutDashboardCommand({ DashboardName: 'bad name', DashboardBody: body() }),
    new PutDashboardCommand({ DashboardName: 'x', DashboardBody: '{"widgets": [{"type": "chart"}' }),
    new PutDashboardCommand({
      DashboardName: 'x',
      DashboardBody: body({ view: 'pie3d', annotations: { vertical: [{ value: 'soon' }] } }),
    }),
    new GetDashboardCommand({ DashboardName: 'traffic' }),
    new GetDashboardCommand({ DashboardName: 'never' }),
    new ListDashboardsCommand({ DashboardNamePrefix: 'traffic' }),
    new DeleteDashboardsCommand({ DashboardNames: ['traffic', 'never'] }),
    new DeleteDashboardsCommand({ DashboardNames: ['traffic', 'traffic-b'] }),
    new ListDashboardsCommand({}),
  ];
}

describe('JSON 1.0 and awsQuery', () => {
  let results: Record<Protocol, Outcome[]>;

  beforeAll(async () => {
    results = { json: [], query: [] };
    for (const protocol of ['json', 'query'] as const) {
      for (const command of story()) results[protocol].push(await outcome(clients[protocol], command));
    }
  });

  it('the story exercises every operation the sandbox serves', () => {
    expect(new Set(results.json.map((r) => r.operation))).toEqual(new Set(servedOperations()));
  });

  it('every operation gives the same answer, or the same error, over both', () => {
    expect(results.query).toEqual(results.json);
  });

  it('the answers are what CloudWatch gives', () => {
    const by = (i: number) => results.json[i] as Outcome;
    expect(by(1).error).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(by(3).error).toMatchObject({ name: 'InvalidNextToken' });
    // Sum etc. per 5 minutes over the 12 samples (one every 2 minutes from 30 minutes before).
    const sums = (
      by(4).output as { Datapoints: Array<{ Sum: number; SampleCount: number; Minimum: number }> }
    ).Datapoints;
    expect(sums.reduce((n, p) => n + p.Sum, 0)).toBe(
      Array.from({ length: 12 }, (_, m) => 5 + m).reduce((a, b) => a + b),
    );
    expect(sums.reduce((n, p) => n + p.SampleCount, 0)).toBe(12);
    // Percentiles come from the raw values only; the StatisticSet (published in Seconds) is its own datapoint.
    expect((by(5).output as { Datapoints: unknown[] }).Datapoints).toEqual([
      {
        Timestamp: new Date(Date.UTC(2026, 0, 5, 11)),
        Unit: 'Milliseconds',
        ExtendedStatistics: { p50: 120, 'p99.5': 900 },
      },
      { Timestamp: new Date(Date.UTC(2026, 0, 5, 11)), Unit: 'Seconds', ExtendedStatistics: {} },
    ]);
    expect((by(6).output as { Datapoints: Array<{ Average: number; Unit: string }> }).Datapoints).toEqual([
      expect.objectContaining({ Average: (8 * 120 + 250 + 900) / 10, Unit: 'Milliseconds' }),
      expect.objectContaining({ Average: 500, Unit: 'Seconds' }),
    ]);
    expect((by(7).output as { Datapoints: unknown[] }).Datapoints).toEqual([]);
    // A 10-second period reaches back only 3 hours.
    expect((by(8).output as { Datapoints: unknown[] }).Datapoints).toEqual([]);
    expect(by(9).error).toMatchObject({
      name: 'InvalidParameterCombinationException',
      message: expect.stringMatching(/up to 1500 datapoints, which exceeds the limit of 1440/),
    });
    expect(by(10).error).toMatchObject({
      name: 'InvalidParameterCombinationException',
      message: expect.stringMatching(/not both/),
    });
    expect(by(11).error).toMatchObject({ name: 'MissingRequiredParameterException' });
    expect(by(12).error).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/Period/),
    });
    expect(by(13).error).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/p101/),
    });
    expect(by(14).error).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/StartTime/),
    });
    const page = by(15).output as {
      NextToken?: string;
      MetricDataResults: Array<{ Values: number[]; StatusCode: string }>;
    };
    expect(page.NextToken).toEqual(expect.any(String));
    expect(page.MetricDataResults.map((r) => [r.Values.length, r.StatusCode])).toEqual([
      [7, 'PartialData'],
      [0, 'PartialData'],
    ]);
    expect(by(16).error).toMatchObject({ name: 'ValidationException' });
    expect(by(18).error).toMatchObject({ name: 'InvalidParameterCombinationException', status: 400 });
    expect(by(21).error).toMatchObject({ name: 'ResourceNotFound', status: 404 });
    const alarms = by(23).output as {
      MetricAlarms: Array<{ ActionsEnabled: boolean; StateValue: string }>;
      CompositeAlarms: unknown[];
    };
    expect(alarms.MetricAlarms).toEqual([
      expect.objectContaining({ ActionsEnabled: false, StateValue: 'ALARM' }),
    ]);
    expect(alarms.CompositeAlarms).toHaveLength(1);
    expect(by(26).error).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(by(30).error).toMatchObject({
      name: 'DashboardInvalidInputError',
      message: expect.stringMatching(/alphanumerics/),
    });
    expect(by(31).error?.extra).toEqual({
      dashboardValidationMessages: [
        { DataPath: '', Message: 'The field DashboardBody must be a valid JSON object' },
      ],
    });
    expect(by(32).error?.extra['dashboardValidationMessages']).toEqual([
      {
        DataPath: '/widgets/0/properties/annotations/vertical/0/value',
        Message: 'Should be an ISO 8601 time',
      },
      { DataPath: '/widgets/0/properties/view', Message: expect.stringContaining('timeSeries') },
    ]);
    expect(by(33).output).toMatchObject({ DashboardName: 'traffic', DashboardBody: body() });
    expect(by(34).error).toMatchObject({ status: 404 });
    expect(
      (by(35).output as { DashboardEntries: Array<{ DashboardName: string }> }).DashboardEntries.map(
        (d) => d.DashboardName,
      ),
    ).toEqual(['traffic', 'traffic-b']);
    expect(by(36).error).toMatchObject({ status: 404 });
    expect(by(38).output).toEqual({ DashboardEntries: [] });
  });

  it('GetMetricData pages join into the one-page answer, over both', async () => {
    for (const protocol of ['json', 'query'] as const) {
      const client = clients[protocol];
      const input = {
        MetricDataQueries: [
          {
            Id: 'req',
            MetricStat: {
              Metric: { Namespace: NS, MetricName: 'RequestCount', Dimensions: influx },
              Period: 60,
              Stat: 'Sum',
            },
          },
          { Id: 'twice', Expression: 'req * 2' },
        ],
        StartTime: at(30),
        EndTime: at(0),
      };
      const whole = await client.send(new GetMetricDataCommand(input));
      expect(whole.NextToken).toBeUndefined();
      const joined: Record<string, number[]> = {};
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await client.send(
          new GetMetricDataCommand({ ...input, MaxDatapoints: 5, NextToken: token }),
        );
        for (const r of page.MetricDataResults ?? [])
          joined[r.Id as string] = [...(joined[r.Id as string] ?? []), ...(r.Values ?? [])];
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(Math.ceil(24 / 5));
      expect(joined).toEqual(
        Object.fromEntries((whole.MetricDataResults ?? []).map((r) => [r.Id, r.Values])),
      );
    }
  });
});

describe('awsQuery on the wire', () => {
  const post = (form: string) =>
    fetch(servers.query.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: form,
    });

  it('answers in XML with the Result element and the request id', async () => {
    const res = await post('Action=ListDashboards&Version=2010-08-01');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml');
    const text = await res.text();
    const id = res.headers.get('x-amzn-requestid');
    expect(text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<ListDashboardsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">' +
        '<ListDashboardsResult><DashboardEntries></DashboardEntries></ListDashboardsResult>' +
        `<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></ListDashboardsResponse>`,
    );
    const get = await fetch(`${servers.query.url}/?Action=ListDashboards&Version=2010-08-01`);
    expect(get.status).toBe(200);
  });

  it('errors are an ErrorResponse with Type, Code and Message', async () => {
    const res = await post('Action=GetDashboard&Version=2010-08-01&DashboardName=none%26such');
    expect(res.status).toBe(404);
    const id = res.headers.get('x-amzn-requestid');
    expect(await res.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>Sender</Type>' +
        `<Code>ResourceNotFound</Code><Message>Dashboard does not exist</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
    );
    for (const [form, code] of [
      ['Version=2010-08-01', 'MissingAction'],
      ['Action=ListDashboards', 'MissingParameter'],
      ['Action=ListDashboards&Version=2009-01-01', 'InvalidParameterValue'],
      ['Action=DescribeAnomalyDetectors&Version=2010-08-01', 'InvalidAction'],
      [
        'Action=GetMetricStatistics&Version=2010-08-01&Namespace=a&MetricName=b&StartTime=x',
        'InvalidParameterValue',
      ],
      ['Action=GetMetricStatistics&Version=2010-08-01&Period=five', 'InvalidParameterValue'],
    ] as const) {
      const r = await post(form);
      expect(r.status, form).toBe(400);
      expect(await r.text(), form).toContain(`<Code>${code}</Code>`);
    }
  });

  it('injected throttling answers in the protocol of the request', async () => {
    servers.query.faults.add({ operation: 'ListDashboards', kind: 'throttle', count: 1 } as never);
    const res = await post('Action=ListDashboards&Version=2010-08-01');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>Throttling</Code>');
    servers.query.faults.clear();
  });
});
