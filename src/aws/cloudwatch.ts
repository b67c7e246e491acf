/**
 * CloudWatch as the bake needs it: alarm states by name and one GetMetricData for a target's
 * guards. One call each per poll (alarm names beyond 100 and paginated answers take more).
 */
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  GetMetricDataCommand,
  PutDashboardCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmDefinition } from '../guards/alarm.ts';
import type { MetricSeries } from '../guards/evaluate.ts';
import type { GuardQuery, MetricDataQuery } from '../guards/query.ts';
import type { AlarmReading, AlarmState } from '../guards/verdict.ts';
import { type AwsOptions, clientConfig } from './config.ts';
import { AwsProblem, attempt } from './errors.ts';

export interface CloudWatchApi {
  /** The state of each named alarm (metric or composite); `state` undefined when it does not exist. */
  describeAlarms(names: string[]): Promise<AlarmReading[]>;
  /** Run the guard query; series by query id, timestamps in epoch ms. */
  getMetricData(query: GuardQuery): Promise<MetricSeries[]>;
  /** One GetMetricData request with its pages followed; `calls` counts the pages (API calls). */
  getMetricDataPages(request: MetricDataRequest): Promise<{ series: MetricSeries[]; calls: number }>;
  /** Metric alarms' configurations as DescribeAlarms returns them, by name (absent: no such alarm). */
  describeMetricAlarms(names: string[]): Promise<Map<string, Record<string, unknown>>>;
  /** Create or overwrite a metric alarm (PutMetricAlarm). */
  putMetricAlarm(alarm: AlarmDefinition): Promise<void>;
  /** A dashboard's body (GetDashboard); undefined when there is no such dashboard. */
  getDashboard(name: string): Promise<string | undefined>;
  /** Create or overwrite a dashboard (PutDashboard). */
  putDashboard(name: string, body: string): Promise<void>;
}

/** One GetMetricData request: up to 500 queries over [startTime, endTime) in epoch ms. */
export interface MetricDataRequest {
  startTime: number;
  endTime: number;
  queries: MetricDataQuery[];
  /** Datapoints per page (CloudWatch's default and most: 100,800). */
  maxDatapoints?: number;
}

/** DescribeAlarms accepts at most this many names per call. */
export const ALARM_NAMES_PER_CALL = 100;

export function createCloudWatchApi(options: AwsOptions): CloudWatchApi {
  const client = new CloudWatchClient(clientConfig(options));
  return {
    async describeAlarms(names) {
      if (names.length === 0) return [];
      const found = new Map<string, AlarmReading>();
      for (let i = 0; i < names.length; i += ALARM_NAMES_PER_CALL) {
        const chunk = names.slice(i, i + ALARM_NAMES_PER_CALL);
        let next: string | undefined;
        do {
          const out = await attempt('reading CloudWatch alarm states', () =>
            client.send(
              new DescribeAlarmsCommand({
                AlarmNames: chunk,
                AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
                MaxRecords: 100,
                NextToken: next,
              }),
            ),
          );
          for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
            if (!a.AlarmName) continue;
            found.set(a.AlarmName, {
              name: a.AlarmName,
              ...(a.StateValue ? { state: a.StateValue as AlarmState } : {}),
              ...(a.StateReason ? { reason: a.StateReason } : {}),
            });
          }
          next = out.NextToken;
        } while (next);
      }
      return names.map((name) => found.get(name) ?? { name });
    },

    async describeMetricAlarms(names) {
      const found = new Map<string, Record<string, unknown>>();
      for (let i = 0; i < names.length; i += ALARM_NAMES_PER_CALL) {
        const chunk = names.slice(i, i + ALARM_NAMES_PER_CALL);
        let next: string | undefined;
        do {
          const out = await attempt('reading CloudWatch alarm configurations', () =>
            client.send(
              new DescribeAlarmsCommand({
                AlarmNames: chunk,
                AlarmTypes: ['MetricAlarm'],
                MaxRecords: 100,
                NextToken: next,
              }),
            ),
          );
          for (const a of out.MetricAlarms ?? []) {
            if (a.AlarmName) found.set(a.AlarmName, a as unknown as Record<string, unknown>);
          }
          next = out.NextToken;
        } while (next);
      }
      return found;
    },

    async getDashboard(name) {
      try {
        const out = await attempt(`reading CloudWatch dashboard ${name}`, () =>
          client.send(new GetDashboardCommand({ DashboardName: name })),
        );
        return out.DashboardBody;
      } catch (error) {
        // GetDashboard answers ResourceNotFound (404) for a dashboard that does not exist.
        if (error instanceof AwsProblem && error.kind === 'not-found') return undefined;
        throw error;
      }
    },

    async putDashboard(name, body) {
      await attempt(`writing CloudWatch dashboard ${name}`, () =>
        client.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: body })),
      );
    },

    async putMetricAlarm(alarm) {
      await attempt(`writing CloudWatch alarm ${alarm.AlarmName}`, () =>
        client.send(new PutMetricAlarmCommand(alarm)),
      );
    },

    async getMetricData(query) {
      return (await readPages(client, query)).series;
    },

    getMetricDataPages: (request) => readPages(client, request),
  };
}

/** GetMetricData with every NextToken page followed, series merged by query id. */
async function readPages(
  client: CloudWatchClient,
  request: MetricDataRequest,
): Promise<{ series: MetricSeries[]; calls: number }> {
  if (request.queries.length === 0) return { series: [], calls: 0 };
  const series = new Map<string, MetricSeries>();
  let next: string | undefined;
  let calls = 0;
  do {
    const out = await attempt('reading guard metrics from CloudWatch', () =>
      client.send(
        new GetMetricDataCommand({
          StartTime: new Date(request.startTime),
          EndTime: new Date(request.endTime),
          MetricDataQueries: request.queries,
          ScanBy: 'TimestampAscending',
          NextToken: next,
          ...(request.maxDatapoints !== undefined ? { MaxDatapoints: request.maxDatapoints } : {}),
        }),
      ),
    );
    calls += 1;
    for (const r of out.MetricDataResults ?? []) {
      if (!r.Id) continue;
      const s = series.get(r.Id) ?? { id: r.Id, timestamps: [], values: [] };
      // A page holds up to 100,800 datapoints: appended one by one, not spread as arguments.
      for (const t of r.Timestamps ?? []) s.timestamps.push(t.getTime());
      for (const v of r.Values ?? []) s.values.push(v);
      series.set(r.Id, s);
    }
    next = out.NextToken;
  } while (next);
  return { series: [...series.values()], calls };
}
