/**
 * The sandbox's CloudWatch driven by the real, unmodified @aws-sdk/client-cloudwatch over HTTP:
 * error classes, metrics and statistics, metric math, alarm evaluation on the simulated clock,
 * composite alarms, DescribeAlarms filters and pagination, history, throttling and persistence.
 */
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  InvalidFormatFault,
  InvalidNextToken,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  type MetricDataQuery,
  MissingRequiredParameterException,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
  PutMetricDataCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
  ValidationException,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../packages/sandbox/src/clock.ts';
import { type CloudWatchService, createCloudWatch } from '../../packages/sandbox/src/cloudwatch/service.ts';
import { type RunningServer, startServer } from '../../packages/sandbox/src/server.ts';

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 5, 12, 0, 0);
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

let server: RunningServer;
let clock: SimClock;
let cw: CloudWatchClient;
let service: CloudWatchService;

beforeAll(async () => {
  clock = new SimClock({ start: START, speed: 1 });
  server = await startServer({
    clock,
    services: (ctx) => {
      service = createCloudWatch(ctx);
      return [service];
    },
  });
  cw = new CloudWatchClient({ endpoint: server.url, region: 'eu-west-2', credentials });
});

afterAll(async () => {
  cw.destroy();
  await server.close();
});

/** The start of the current simulated minute. */
const minuteStart = () => Math.floor(clock.now() / MINUTE) * MINUTE;

function advance(ms: number): void {
  clock.advance(ms);
  server.tick();
}

async function put(
  namespace: string,
  name: string,
  value: number,
  at: number,
  dims: Record<string, string> = {},
) {
  await cw.send(
    new PutMetricDataCommand({
      Namespace: namespace,
      MetricData: [
        {
          MetricName: name,
          Value: value,
          Timestamp: new Date(at),
          Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
        },
      ],
    }),
  );
}

async function stateOf(name: string): Promise<string | undefined> {
  const out = await cw.send(
    new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
  );
  return [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])][0]?.StateValue;
}

const stat = (
  id: string,
  ns: string,
  name: string,
  s: string,
  period = 60,
  returnData = true,
): MetricDataQuery => ({
  Id: id,
  MetricStat: { Metric: { Namespace: ns, MetricName: name }, Period: period, Stat: s },
  ReturnData: returnData,
});

async function query(
  input: Omit<GetMetricDataCommandInput, 'StartTime' | 'EndTime'> & { start: number; end: number },
) {
  const { start, end, ...rest } = input;
  const out = await cw.send(
    new GetMetricDataCommand({ ...rest, StartTime: new Date(start), EndTime: new Date(end) }),
  );
  return out.MetricDataResults ?? [];
}

async function expectError(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  message?: RegExp,
) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  if (message) expect((err as Error).message).toMatch(message);
}

function alarm(name: string, extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput {
  return {
    AlarmName: name,
    Namespace: `Test/${name}`,
    MetricName: 'Errors',
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 2,
    Threshold: 5,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    ...extra,
  };
}

describe('errors arrive as the SDK classes', () => {
  it('maps each query code to its exception class', async () => {
    await expectError(
      cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'x' })),
      ResourceNotFound,
      /nope does not exist/,
    );
    await expectError(
      cw.send(
        new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'm', Value: 1 }] }),
      ),
      InvalidParameterValueException,
      /reserved/,
    );
    await expectError(
      cw.send(new PutMetricDataCommand({ Namespace: 'T', MetricData: [{ MetricName: 'm' }] })),
      MissingRequiredParameterException,
    );
    await expectError(
      cw.send(
        new PutMetricDataCommand({
          Namespace: 'T',
          MetricData: [{ MetricName: 'm', Value: 1, Values: [1] }],
        }),
      ),
      InvalidParameterCombinationException,
    );
    await expectError(
      cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })),
      InvalidParameterCombinationException,
    );
    await expectError(cw.send(new DescribeAlarmsCommand({ NextToken: 'garbage' })), InvalidNextToken);
    await cw.send(new PutMetricAlarmCommand(alarm('errors-format')));
    await expectError(
      cw.send(
        new SetAlarmStateCommand({
          AlarmName: 'errors-format',
          StateValue: 'OK',
          StateReason: 'x',
          StateReasonData: '{',
        }),
      ),
      InvalidFormatFault,
    );
    await expectError(
      cw.send(new PutMetricAlarmCommand(alarm('errors-period', { Period: 45 }))),
      InvalidParameterValueException,
      /Period/,
    );
  });

  it('rejects bad metric data values and timestamps', async () => {
    await expectError(
      cw.send(
        new PutMetricDataCommand({ Namespace: 'T', MetricData: [{ MetricName: 'm', Value: Number.NaN }] }),
      ),
      InvalidParameterValueException,
    );
    await expectError(
      cw.send(
        new PutMetricDataCommand({
          Namespace: 'T',
          MetricData: [
            { MetricName: 'm', Value: 1, Timestamp: new Date(clock.now() - 15 * 24 * 3600 * 1000) },
          ],
        }),
      ),
      InvalidParameterValueException,
      /two weeks/,
    );
    await expectError(
      cw.send(
        new PutMetricDataCommand({
          Namespace: 'T',
          MetricData: [{ MetricName: 'm', Values: [1, 2], Counts: [1] }],
        }),
      ),
      InvalidParameterValueException,
      /one count per value/,
    );
  });
});

describe('metrics', () => {
  it('computes every statistic per period, newest first unless asked otherwise', async () => {
    const ns = 'Test/Stats';
    const m = minuteStart() - 10 * MINUTE;
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [
          {
            MetricName: 'Latency',
            Values: [1, 2, 3, 100],
            Counts: [1, 1, 2, 1],
            Timestamp: new Date(m + 5_000),
          },
          { MetricName: 'Latency', Value: 4, Timestamp: new Date(m + 50_000) },
          { MetricName: 'Latency', Value: 7, Timestamp: new Date(m + MINUTE + 1_000) },
        ],
      }),
    );
    const stats = ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount', 'p50', 'p90'];
    const results = await query({
      MetricDataQueries: stats.map((s, i) => stat(`q${i}`, ns, 'Latency', s)),
      start: m,
      end: m + 2 * MINUTE,
    });
    const byStat = Object.fromEntries(results.map((r, i) => [stats[i], r]));
    // First minute: 1, 2, 3, 3, 100, 4 (six samples); second minute: 7.
    expect(byStat['Sum']?.Values).toEqual([7, 113]);
    expect(byStat['Average']?.Values?.[1]).toBeCloseTo(113 / 6);
    expect(byStat['Minimum']?.Values).toEqual([7, 1]);
    expect(byStat['Maximum']?.Values).toEqual([7, 100]);
    expect(byStat['SampleCount']?.Values).toEqual([1, 6]);
    expect(byStat['p50']?.Values).toEqual([7, 3]);
    expect(byStat['p90']?.Values).toEqual([7, 100]);
    expect(byStat['Sum']?.Timestamps).toEqual([new Date(m + MINUTE), new Date(m)]);
    expect(byStat['Sum']?.StatusCode).toBe('Complete');
    expect(byStat['Sum']?.Label).toBe('Latency');

    const ascending = await query({
      MetricDataQueries: [{ ...stat('s', ns, 'Latency', 'Sum'), Label: 'total' }],
      start: m,
      end: m + 2 * MINUTE,
      ScanBy: 'TimestampAscending',
    });
    expect(ascending[0]?.Values).toEqual([113, 7]);
    expect(ascending[0]?.Label).toBe('total');
  });

  it('keeps pre-aggregated StatisticValues, which have no percentiles', async () => {
    const ns = 'Test/StatSet';
    const m = minuteStart() - 5 * MINUTE;
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [
          {
            MetricName: 'Bytes',
            StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 2, Maximum: 20 },
            Timestamp: new Date(m),
          },
        ],
      }),
    );
    const [sum, avg, p50] = await query({
      MetricDataQueries: [
        stat('a', ns, 'Bytes', 'Sum'),
        stat('b', ns, 'Bytes', 'Average'),
        stat('c', ns, 'Bytes', 'p50'),
      ],
      start: m,
      end: m + MINUTE,
    });
    expect(sum?.Values).toEqual([40]);
    expect(avg?.Values).toEqual([10]);
    expect(p50?.Values).toEqual([]);
  });

  it('aligns buckets to the period: StartTime rounds down, EndTime is exclusive', async () => {
    const ns = 'Test/Align';
    const h = Math.floor(clock.now() / (3600 * 1000)) * 3600 * 1000 - 3600 * 1000;
    for (const [offset, v] of [
      [10_000, 1],
      [50_000, 2],
      [70_000, 4],
      [310_000, 8],
    ] as const) {
      await put(ns, 'Hits', v, h + offset);
    }
    const perMinute = await query({
      MetricDataQueries: [stat('a', ns, 'Hits', 'Sum')],
      start: h + 30_000,
      end: h + 70_000,
    });
    expect(perMinute[0]?.Timestamps).toEqual([new Date(h)]);
    expect(perMinute[0]?.Values).toEqual([3]);
    const inclusiveEnd = await query({
      MetricDataQueries: [stat('a', ns, 'Hits', 'Sum')],
      start: h,
      end: h + 70_001,
    });
    expect(inclusiveEnd[0]?.Values).toEqual([4, 3]);
    const fiveMinutes = await query({
      MetricDataQueries: [stat('a', ns, 'Hits', 'Sum', 300)],
      start: h + 60_000,
      end: h + 600_000,
    });
    expect(fiveMinutes[0]?.Timestamps).toEqual([new Date(h + 300_000), new Date(h)]);
    expect(fiveMinutes[0]?.Values).toEqual([8, 7]);
  });

  it('uses the simulated time when a datum has no Timestamp', async () => {
    const ns = 'Test/Now';
    await cw.send(
      new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: 'Ping', Value: 1 }] }),
    );
    const now = clock.now();
    const results = await query({
      MetricDataQueries: [stat('a', ns, 'Ping', 'SampleCount')],
      start: now - MINUTE,
      end: now + MINUTE,
    });
    expect(results[0]?.Values).toEqual([1]);
    expect(results[0]?.Timestamps?.[0]?.getTime()).toBe(Math.floor(now / MINUTE) * MINUTE);
    // Far from the real wall clock: the sandbox's time is the simulated one.
    expect(Math.abs(now - START)).toBeLessThan(24 * 3600 * 1000);
  });

  it('accepts a large PutMetricData the SDK sends gzipped', async () => {
    const ns = 'Test/Gzip';
    const m = minuteStart() - 2 * MINUTE;
    const data = Array.from({ length: 300 }, (_, i) => ({
      MetricName: 'Bulk',
      Dimensions: [{ Name: 'Shard', Value: `shard-${i % 3}` }],
      Value: 1,
      Timestamp: new Date(m + (i % 60) * 1000),
    }));
    // Well above the SDK's 10 KB compression threshold.
    expect(JSON.stringify(data).length).toBeGreaterThan(20_000);
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: data }));
    const [shard] = await query({
      MetricDataQueries: [
        {
          Id: 's',
          MetricStat: {
            Metric: { Namespace: ns, MetricName: 'Bulk', Dimensions: [{ Name: 'Shard', Value: 'shard-1' }] },
            Period: 60,
            Stat: 'SampleCount',
          },
        },
      ],
      start: m,
      end: m + MINUTE,
    });
    expect(shard?.Values).toEqual([100]);
  });

  it('treats each dimension set as its own metric', async () => {
    const ns = 'Test/Dims';
    const m = minuteStart() - 3 * MINUTE;
    await put(ns, 'Req', 10, m, { Backend: 'influxdb' });
    await put(ns, 'Req', 90, m, { Backend: 'postgres' });
    const [influx] = await query({
      MetricDataQueries: [
        {
          Id: 'i',
          MetricStat: {
            Metric: {
              Namespace: ns,
              MetricName: 'Req',
              Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
            },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
      start: m,
      end: m + MINUTE,
    });
    expect(influx?.Values).toEqual([10]);
  });
});

describe('metric math', () => {
  it('evaluates a guard expression from hidden metric queries', async () => {
    const ns = 'ONS/TrafficSwitchingTest';
    const m = minuteStart() - 6 * MINUTE;
    const backend = { Backend: 'influxdb' };
    // Minute 0: 3 errors of 60; minute 1: no requests (division dropped); minute 2: errors missing.
    await put(ns, 'ErrorCount', 3, m, backend);
    await put(ns, 'RequestCount', 60, m, backend);
    await put(ns, 'ErrorCount', 1, m + MINUTE, backend);
    await put(ns, 'RequestCount', 0, m + MINUTE, backend);
    await put(ns, 'RequestCount', 50, m + 2 * MINUTE, backend);
    const metric = (id: string, name: string): MetricDataQuery => ({
      Id: id,
      MetricStat: {
        Metric: { Namespace: ns, MetricName: name, Dimensions: [{ Name: 'Backend', Value: 'influxdb' }] },
        Period: 60,
        Stat: 'Sum',
      },
      ReturnData: false,
    });
    const results = await query({
      MetricDataQueries: [
        metric('errors', 'ErrorCount'),
        metric('requests', 'RequestCount'),
        { Id: 'error_rate', Expression: '100 * errors / requests', Label: 'influxdb-error-rate' },
      ],
      start: m,
      end: m + 3 * MINUTE,
    });
    expect(results.map((r) => r.Id)).toEqual(['error_rate']);
    expect(results[0]?.Label).toBe('influxdb-error-rate');
    expect(results[0]?.Timestamps).toEqual([new Date(m)]);
    expect(results[0]?.Values).toEqual([5]);
  });

  it('handles subtraction, scaling, unary minus and expressions of expressions', async () => {
    const ns = 'Test/Math';
    const m = minuteStart() - 4 * MINUTE;
    await put(ns, 'A', 4500, m);
    await put(ns, 'B', 500, m);
    await put(ns, 'A', 2000, m + MINUTE);
    await put(ns, 'B', 1000, m + MINUTE);
    const results = await query({
      MetricDataQueries: [
        stat('a', ns, 'A', 'Sum', 60, false),
        stat('b', ns, 'B', 'Sum', 60, false),
        { Id: 'seconds', Expression: '(a - b) / 1000' },
        { Id: 'negated', Expression: '-seconds + 1' },
      ],
      start: m,
      end: m + 2 * MINUTE,
      ScanBy: 'TimestampAscending',
    });
    expect(results.find((r) => r.Id === 'seconds')?.Values).toEqual([4, 1]);
    expect(results.find((r) => r.Id === 'negated')?.Values).toEqual([-3, 0]);
    expect(results.find((r) => r.Id === 'seconds')?.Label).toBe('seconds');
  });

  it('validates ids, references and syntax', async () => {
    const ns = 'Test/Math';
    const now = clock.now();
    const run = (queries: MetricDataQuery[]) =>
      cw.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(now - MINUTE),
          EndTime: new Date(now),
        }),
      );
    await expectError(
      run([stat('Bad', ns, 'A', 'Sum')]),
      ValidationException,
      /must start with a lowercase letter/,
    );
    await expectError(
      run([stat('a', ns, 'A', 'Sum'), stat('a', ns, 'B', 'Sum')]),
      ValidationException,
      /unique/,
    );
    await expectError(run([{ Id: 'e', Expression: 'x * 2' }]), ValidationException, /x, which is not the Id/);
    await expectError(
      run([stat('a', ns, 'A', 'Sum'), { Id: 'e', Expression: 'a +* 2' }]),
      ValidationException,
      /unexpected/,
    );
    await expectError(
      run([
        { Id: 'e', Expression: 'f + 1' },
        { Id: 'f', Expression: 'e + 1' },
      ]),
      ValidationException,
      /cycle/,
    );
    await expectError(run([stat('a', ns, 'A', 'tm99')]), InvalidParameterValueException, /not supported/);
  });
});

describe('alarm evaluation on the simulated clock', () => {
  it('starts INSUFFICIENT_DATA and alarms when 2 of the last 3 periods breach', async () => {
    const name = 'm-of-n';
    await cw.send(new PutMetricAlarmCommand(alarm(name)));
    expect(await stateOf(name)).toBe('INSUFFICIENT_DATA');
    const ns = `Test/${name}`;
    // One breaching period out of three: OK (missing periods are not breaching).
    await put(ns, 'Errors', 9, minuteStart() + 1_000);
    advance(MINUTE);
    expect(await stateOf(name)).toBe('OK');
    // A second, non-consecutive breach within the window: ALARM.
    await put(ns, 'Errors', 2, minuteStart() + 1_000);
    advance(MINUTE);
    expect(await stateOf(name)).toBe('OK');
    await put(ns, 'Errors', 6, minuteStart() + 1_000);
    advance(MINUTE);
    const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
    const a = out.MetricAlarms?.[0];
    expect(a?.StateValue).toBe('ALARM');
    expect(a?.StateReason).toMatch(
      /^Threshold Crossed: 2 out of the last 3 datapoints \[6\.0 .*, 9\.0 .*\] were greater than the threshold \(5\.0\)/,
    );
    const data = JSON.parse(a?.StateReasonData ?? '{}') as {
      threshold: number;
      period: number;
      statistic: string;
      recentDatapoints: number[];
    };
    expect(data).toMatchObject({ threshold: 5, period: 60, statistic: 'Sum', recentDatapoints: [9, 2, 6] });
    expect(a?.StateUpdatedTimestamp?.getTime()).toBe(a?.StateTransitionedTimestamp?.getTime());
    expect(Math.abs((a?.StateUpdatedTimestamp?.getTime() ?? 0) - clock.now())).toBeLessThan(5_000);
    // The 9 leaves the window: one breach of three, back to OK — stamped at the period boundary
    // even when the clock jumps further in one go.
    const boundary = minuteStart() + MINUTE;
    advance(5 * MINUTE);
    const back = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0];
    expect(back?.StateValue).toBe('OK');
    // The server ticks in steps of at most a second, so the evaluation lands within a second of it.
    const transitioned = back?.StateTransitionedTimestamp?.getTime() ?? 0;
    expect(transitioned).toBeGreaterThanOrEqual(boundary);
    expect(transitioned).toBeLessThan(boundary + 1_000);
  });

  it('evaluates a metric-math alarm', async () => {
    const ns = 'Test/MathAlarm';
    const metric = (id: string, name: string) => ({
      Id: id,
      MetricStat: { Metric: { Namespace: ns, MetricName: name }, Period: 60, Stat: 'Sum' },
      ReturnData: false,
    });
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'math-alarm',
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: [
          metric('errors', 'ErrorCount'),
          metric('requests', 'RequestCount'),
          { Id: 'rate', Expression: '100 * errors / requests', ReturnData: true },
        ],
      }),
    );
    await put(ns, 'ErrorCount', 10, minuteStart() + 1_000);
    await put(ns, 'RequestCount', 100, minuteStart() + 1_000);
    advance(MINUTE);
    expect(await stateOf('math-alarm')).toBe('ALARM');
    await put(ns, 'ErrorCount', 1, minuteStart() + 1_000);
    await put(ns, 'RequestCount', 100, minuteStart() + 1_000);
    advance(MINUTE);
    expect(await stateOf('math-alarm')).toBe('OK');
    await expectError(
      cw.send(
        new PutMetricAlarmCommand({
          AlarmName: 'math-two-returns',
          EvaluationPeriods: 1,
          Threshold: 5,
          ComparisonOperator: 'GreaterThanThreshold',
          Metrics: [
            metric('errors', 'ErrorCount'),
            { ...metric('requests', 'RequestCount'), ReturnData: true },
            { Id: 'r', Expression: 'errors / requests' },
          ],
        }),
      ),
      ValidationException,
      /Exactly one entry of Metrics/,
    );
  });

  it('treats missing data as missing, breaching, notBreaching or ignore', async () => {
    const make = (name: string, treat: string) =>
      cw.send(
        new PutMetricAlarmCommand(
          alarm(name, { EvaluationPeriods: 2, DatapointsToAlarm: 2, TreatMissingData: treat }),
        ),
      );
    await make('tmd-missing', 'missing');
    await make('tmd-breaching', 'breaching');
    await make('tmd-not-breaching', 'notBreaching');
    await make('tmd-ignore', 'ignore');
    // A good datapoint for `missing` first, so its later INSUFFICIENT_DATA is a real transition.
    await put('Test/tmd-missing', 'Errors', 1, minuteStart() + 1_000);
    advance(MINUTE);
    expect(await stateOf('tmd-missing')).toBe('OK');
    expect(await stateOf('tmd-breaching')).toBe('ALARM');
    expect(await stateOf('tmd-not-breaching')).toBe('OK');
    expect(await stateOf('tmd-ignore')).toBe('INSUFFICIENT_DATA');
    await cw.send(
      new SetAlarmStateCommand({ AlarmName: 'tmd-ignore', StateValue: 'ALARM', StateReason: 'testing' }),
    );
    advance(2 * MINUTE);
    expect(await stateOf('tmd-missing')).toBe('INSUFFICIENT_DATA');
    expect(await stateOf('tmd-ignore')).toBe('ALARM');
  });

  it('snaps a metric alarm set by SetAlarmState back at its next evaluation', async () => {
    const name = 'snap-back';
    await cw.send(new PutMetricAlarmCommand(alarm(name, { EvaluationPeriods: 1, DatapointsToAlarm: 1 })));
    advance(MINUTE);
    expect(await stateOf(name)).toBe('OK');
    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: name,
        StateValue: 'ALARM',
        StateReason: 'drill',
        StateReasonData: '{"drill":true}',
      }),
    );
    const set = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0];
    expect(set?.StateValue).toBe('ALARM');
    expect(set?.StateReason).toBe('drill');
    expect(service.alarmState(name)).toBe('ALARM');
    expect(service.alarmState(`arn:aws:cloudwatch:eu-west-2:123456789012:alarm:${name}`)).toBe('ALARM');
    advance(MINUTE);
    expect(await stateOf(name)).toBe('OK');
  });

  it('keeps the state and evaluation across a configuration update', async () => {
    const name = 'updated';
    await cw.send(
      new PutMetricAlarmCommand(
        alarm(name, { TreatMissingData: 'breaching', EvaluationPeriods: 1, DatapointsToAlarm: 1 }),
      ),
    );
    advance(MINUTE);
    expect(await stateOf(name)).toBe('ALARM');
    await cw.send(
      new PutMetricAlarmCommand(
        alarm(name, {
          TreatMissingData: 'notBreaching',
          EvaluationPeriods: 1,
          DatapointsToAlarm: 1,
          Threshold: 50,
        }),
      ),
    );
    const updated = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0];
    expect(updated?.StateValue).toBe('ALARM');
    expect(updated?.Threshold).toBe(50);
    expect(updated?.TreatMissingData).toBe('notBreaching');
    advance(MINUTE);
    expect(await stateOf(name)).toBe('OK');
  });
});

describe('composite alarms', () => {
  it('follow their children and keep a set state until a child changes', async () => {
    await cw.send(
      new PutMetricAlarmCommand(
        alarm('child-a', { EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: 'ignore' }),
      ),
    );
    await cw.send(
      new PutMetricAlarmCommand(
        alarm('child-b', { EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: 'ignore' }),
      ),
    );
    await cw.send(
      new PutCompositeAlarmCommand({
        AlarmName: 'parent',
        AlarmRule:
          'ALARM("child-a") OR (ALARM(child-b) AND NOT OK("arn:aws:cloudwatch:eu-west-2:123456789012:alarm:child-a"))',
      }),
    );
    expect(await stateOf('parent')).toBe('INSUFFICIENT_DATA');
    await cw.send(
      new SetAlarmStateCommand({ AlarmName: 'child-a', StateValue: 'ALARM', StateReason: 'test' }),
    );
    expect(await stateOf('parent')).toBe('ALARM');
    const parent = (
      await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['parent'], AlarmTypes: ['CompositeAlarm'] }))
    ).CompositeAlarms?.[0];
    expect(parent?.StateReason).toMatch(/alarm:child-a transitioned to ALARM/);
    expect(parent?.AlarmArn).toBe('arn:aws:cloudwatch:eu-west-2:123456789012:alarm:parent');

    await cw.send(
      new SetAlarmStateCommand({ AlarmName: 'parent', StateValue: 'OK', StateReason: 'silence' }),
    );
    advance(MINUTE);
    expect(await stateOf('parent')).toBe('OK');
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'child-b', StateValue: 'OK', StateReason: 'test' }));
    expect(await stateOf('parent')).toBe('ALARM');
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'child-a', StateValue: 'OK', StateReason: 'test' }));
    expect(await stateOf('parent')).toBe('OK');

    await expectError(
      cw.send(new PutCompositeAlarmCommand({ AlarmName: 'broken', AlarmRule: 'ALARM(child-a) XOR TRUE' })),
      ValidationException,
      /Invalid AlarmRule/,
    );
  });

  it('re-evaluate when a child is deleted', async () => {
    await cw.send(new PutMetricAlarmCommand(alarm('solo', { EvaluationPeriods: 1, DatapointsToAlarm: 1 })));
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'solo-watcher', AlarmRule: 'OK(solo)' }));
    advance(MINUTE);
    expect(await stateOf('solo')).toBe('OK');
    expect(await stateOf('solo-watcher')).toBe('ALARM');
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['solo'] }));
    expect(await stateOf('solo-watcher')).toBe('INSUFFICIENT_DATA');
  });

  it('are listed only when AlarmTypes asks for them', async () => {
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'listed-composite', AlarmRule: 'TRUE' }));
    expect(await stateOf('listed-composite')).toBe('ALARM');
    const plain = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'listed-' }));
    expect(plain.CompositeAlarms ?? []).toEqual([]);
    const both = await cw.send(
      new DescribeAlarmsCommand({
        AlarmNamePrefix: 'listed-',
        AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
      }),
    );
    expect(both.CompositeAlarms?.map((a) => a.AlarmName)).toEqual(['listed-composite']);
    expect(both.CompositeAlarms?.[0]?.AlarmRule).toBe('TRUE');
    const parents = await cw.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: 'child-a' }));
    expect(parents.CompositeAlarms?.map((a) => a.AlarmName)).toEqual(['parent']);
    const children = await cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'parent' }));
    expect(children.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['child-a', 'child-b']);
  });
});

describe('DescribeAlarms', () => {
  it('filters by names, prefix and state, and paginates', async () => {
    for (const n of ['page-e', 'page-b', 'page-d', 'page-a', 'page-c']) {
      await cw.send(new PutMetricAlarmCommand(alarm(n, { EvaluationPeriods: 1, DatapointsToAlarm: 1 })));
    }
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'page-c', StateValue: 'ALARM', StateReason: 'x' }));
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await cw.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 2, NextToken: token }),
      );
      names.push(...(out.MetricAlarms ?? []).map((a) => a.AlarmName ?? ''));
      token = out.NextToken;
      pages++;
    } while (token);
    expect(names).toEqual(['page-a', 'page-b', 'page-c', 'page-d', 'page-e']);
    expect(pages).toBe(3);

    const byName = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['page-d', 'page-a', 'nope'] }));
    expect(byName.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['page-a', 'page-d']);
    const alarming = await cw.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', StateValue: 'ALARM' }),
    );
    expect(alarming.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['page-c']);
    const full = alarming.MetricAlarms?.[0];
    expect(full).toMatchObject({
      Namespace: 'Test/page-c',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      ActionsEnabled: true,
      AlarmArn: 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:page-c',
    });
    await expectError(
      cw.send(new DescribeAlarmsCommand({ AlarmNames: Array.from({ length: 101 }, (_, i) => `n${i}`) })),
      InvalidParameterValueException,
      /at most 100/,
    );
  });

  it('enables and disables alarm actions', async () => {
    await cw.send(new PutMetricAlarmCommand(alarm('actions')));
    expect(service.alarmActionsEnabled('actions')).toBe(true);
    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['actions'] }));
    expect(service.alarmActionsEnabled('actions')).toBe(false);
    expect(
      (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['actions'] }))).MetricAlarms?.[0]
        ?.ActionsEnabled,
    ).toBe(false);
    await cw.send(new EnableAlarmActionsCommand({ AlarmNames: ['actions'] }));
    expect(service.alarmActionsEnabled('actions')).toBe(true);
  });
});

describe('alarm history', () => {
  it('records configuration and state updates, newest first, and keeps them after delete', async () => {
    const name = 'historic';
    await cw.send(new PutMetricAlarmCommand(alarm(name)));
    await cw.send(new PutMetricAlarmCommand(alarm(name, { Threshold: 7 })));
    await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'drill' }));
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
    expect(await stateOf(name)).toBeUndefined();

    const out = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name }));
    const items = out.AlarmHistoryItems ?? [];
    expect(items.map((i) => [i.HistoryItemType, i.HistorySummary])).toEqual([
      ['ConfigurationUpdate', `Alarm "${name}" deleted`],
      ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
      ['ConfigurationUpdate', `Alarm "${name}" updated`],
      ['ConfigurationUpdate', `Alarm "${name}" created`],
    ]);
    const state = JSON.parse(items[1]?.HistoryData ?? '{}') as Record<
      string,
      { stateValue: string; stateReason: string }
    >;
    expect(state['oldState']?.stateValue).toBe('INSUFFICIENT_DATA');
    expect(state['newState']).toMatchObject({ stateValue: 'ALARM', stateReason: 'drill' });
    expect(items[0]?.AlarmType).toBe('MetricAlarm');

    const onlyState = await cw.send(
      new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate' }),
    );
    expect(onlyState.AlarmHistoryItems).toHaveLength(1);
    const first = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name, MaxRecords: 3 }));
    expect(first.AlarmHistoryItems).toHaveLength(3);
    const rest = await cw.send(
      new DescribeAlarmHistoryCommand({ AlarmName: name, MaxRecords: 3, NextToken: first.NextToken }),
    );
    expect(rest.AlarmHistoryItems?.map((i) => i.HistorySummary)).toEqual([`Alarm "${name}" created`]);
    expect(rest.NextToken).toBeUndefined();
    await expectError(
      cw.send(new DeleteAlarmsCommand({ AlarmNames: [name] })),
      ResourceNotFound,
      /not found/,
    );
  });
});

describe('faults and persistence', () => {
  it('absorbs injected throttling through the SDK retries', async () => {
    const res = await fetch(`${server.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'DescribeAlarms', kind: 'throttle', count: 2 }),
    });
    expect(res.status).toBe(200);
    const before = server.faults.injected.get('DescribeAlarms') ?? 0;
    const out = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-' }));
    expect(out.MetricAlarms).toHaveLength(5);
    expect(out.$metadata.attempts).toBe(3);
    expect(server.faults.injected.get('DescribeAlarms')).toBe(before + 2);

    // Without retries the throttling surfaces under the name the SDK's retry rules recognise.
    server.faults.add({ operation: 'DescribeAlarms', kind: 'throttle', count: 1 });
    const once = new CloudWatchClient({
      endpoint: server.url,
      region: 'eu-west-2',
      credentials,
      maxAttempts: 1,
    });
    const err = await once.send(new DescribeAlarmsCommand({})).catch((e: unknown) => e as Error);
    once.destroy();
    expect((err as Error).name).toBe('Throttling');
    expect((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  });

  it('dumps and loads alarms, history and metrics', async () => {
    const ns = 'Test/Persist';
    const m = minuteStart() - 2 * MINUTE;
    await put(ns, 'Count', 42, m);
    await cw.send(new PutMetricAlarmCommand(alarm('persisted', { Namespace: ns, MetricName: 'Count' })));
    await cw.send(
      new SetAlarmStateCommand({ AlarmName: 'persisted', StateValue: 'ALARM', StateReason: 'saved' }),
    );
    const snapshot = JSON.parse(JSON.stringify(service.dump()));
    service.reset();
    expect(await stateOf('persisted')).toBeUndefined();
    service.load(snapshot);

    const restored = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['persisted'] })))
      .MetricAlarms?.[0];
    expect(restored).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'saved',
      Namespace: ns,
      Threshold: 5,
    });
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'persisted' }));
    expect(history.AlarmHistoryItems?.map((i) => i.HistoryItemType)).toEqual([
      'StateUpdate',
      'ConfigurationUpdate',
    ]);
    const [values] = await query({
      MetricDataQueries: [stat('c', ns, 'Count', 'Sum')],
      start: m,
      end: m + MINUTE,
    });
    expect(values?.Values).toEqual([42]);
    // The loaded alarm is still evaluated: its metric is quiet, so it returns to OK.
    advance(MINUTE);
    expect(await stateOf('persisted')).toBe('OK');
  });

  it('accepts a datum published by a scenario through MetricSink', async () => {
    const ns = 'Test/Sink';
    const m = minuteStart() - MINUTE;
    service.putMetric({
      namespace: ns,
      name: 'RequestCount',
      dimensions: { Backend: 'influxdb' },
      value: 12,
      timestamp: m + 500,
    });
    const [r] = await query({
      MetricDataQueries: [
        {
          Id: 'r',
          MetricStat: {
            Metric: {
              Namespace: ns,
              MetricName: 'RequestCount',
              Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
            },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
      start: m,
      end: m + MINUTE,
    });
    expect(r?.Values).toEqual([12]);
  });
});
