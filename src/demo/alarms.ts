/**
 * The five CloudWatch alarms of the migration guide, as the platform team already has them. The
 * demo creates them in the sandbox so the bake watches real alarms by name. They use 5-minute
 * periods (notification alarms); flagops' own guards judge per minute and therefore act first.
 */
import {
  type CloudWatchClient,
  type MetricDataQuery,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';

const NS = 'ONS/TrafficSwitching';
const PERIOD = 300;

function stat(id: string, name: string, backend: string, statistic: string): MetricDataQuery {
  return {
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: { Namespace: NS, MetricName: name, Dimensions: [{ Name: 'Backend', Value: backend }] },
      Period: PERIOD,
      Stat: statistic,
    },
  };
}

function math(expression: string, ...inputs: MetricDataQuery[]): MetricDataQuery[] {
  return [...inputs, { Id: 'value', Expression: expression, ReturnData: true }];
}

const common = { TreatMissingData: 'notBreaching', ActionsEnabled: true } as const;

export const GUIDE_ALARMS: PutMetricAlarmCommandInput[] = [
  {
    AlarmName: 'ons-data-platform-influxdb-migration-error-rate',
    AlarmDescription: 'InfluxDB error rate above 5% for 2 periods',
    Metrics: math(
      '100 * e / r',
      stat('e', 'ErrorCount', 'influxdb', 'Sum'),
      stat('r', 'RequestCount', 'influxdb', 'Sum'),
    ),
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 5,
    EvaluationPeriods: 2,
    ...common,
  },
  {
    AlarmName: 'ons-data-platform-influxdb-migration-latency',
    AlarmDescription: 'InfluxDB average response time above 10 s for 3 periods',
    Namespace: NS,
    MetricName: 'ResponseTime',
    Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
    Statistic: 'Average',
    Period: PERIOD,
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 10_000,
    EvaluationPeriods: 3,
    ...common,
  },
  {
    AlarmName: 'ons-data-platform-influxdb-connection-failures',
    AlarmDescription: 'More than 10 InfluxDB connection failures per 5 minutes',
    Namespace: NS,
    MetricName: 'ConnectionFailures',
    Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
    Statistic: 'Sum',
    Period: PERIOD,
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 10,
    EvaluationPeriods: 1,
    ...common,
  },
  {
    AlarmName: 'ons-data-platform-traffic-switch-success-rate',
    AlarmDescription: 'InfluxDB success rate below 95% for 3 periods',
    Metrics: math(
      '100 * s / r',
      stat('s', 'SuccessCount', 'influxdb', 'Sum'),
      stat('r', 'RequestCount', 'influxdb', 'Sum'),
    ),
    ComparisonOperator: 'LessThanThreshold',
    Threshold: 95,
    EvaluationPeriods: 3,
    ...common,
  },
  {
    AlarmName: 'ons-data-platform-influxdb-latency-comparison',
    AlarmDescription: 'InfluxDB more than 10 s slower than Timestream for 3 periods',
    Metrics: math(
      'i - t',
      stat('i', 'ResponseTime', 'influxdb', 'Average'),
      stat('t', 'ResponseTime', 'timestream', 'Average'),
    ),
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 10_000,
    EvaluationPeriods: 3,
    ...common,
  },
];

export async function createGuideAlarms(client: CloudWatchClient): Promise<string[]> {
  for (const alarm of GUIDE_ALARMS) await client.send(new PutMetricAlarmCommand(alarm));
  return GUIDE_ALARMS.map((a) => a.AlarmName!);
}
