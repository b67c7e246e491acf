/**
 * PutMetricAlarm and PutCompositeAlarm inputs: validated into the configuration DescribeAlarms
 * echoes (wire shape, so it also serves as the persisted form) and the plan the evaluator runs.
 */
import { parseAlarmRule, type RuleNode } from './alarm-rule.ts';
import {
  COMPARISONS,
  type Comparison,
  MISSING_DATA_TREATMENTS,
  type MissingDataTreatment,
} from './evaluation.ts';
import {
  type Input,
  invalidCombination,
  invalidParameter,
  missingParameter,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalList,
  optionalNumber,
  optionalString,
  requiredString,
  validationError,
} from './protocol.ts';
import {
  checkPeriod,
  type MetricStatQuery,
  type ParsedQuery,
  parseDimensions,
  parseQueries,
} from './queries.ts';
import { parseStatistic } from './statistics.ts';

const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
const ONE_DAY_SECONDS = 86_400;
const SEVEN_DAYS_SECONDS = 7 * ONE_DAY_SECONDS;

export interface EvaluationPlan {
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: Comparison;
  treatMissingData: MissingDataTreatment;
  /** Either one metric and statistic, or a metric-math array whose `returnId` entry is the alarm's value. */
  source:
    | { kind: 'metric'; query: MetricStatQuery }
    | { kind: 'math'; queries: ParsedQuery[]; returnId: string };
  /** For StateReasonData. */
  statisticLabel?: string;
}

export interface MetricAlarmConfig {
  /** The members DescribeAlarms returns, as given (with defaults filled in). */
  wire: Record<string, unknown>;
  plan: EvaluationPlan;
}

export interface CompositeAlarmConfig {
  wire: Record<string, unknown>;
  rule: RuleNode;
}

export function parseAlarmName(input: Input): string {
  const name = requiredString(input, 'AlarmName');
  if (name.length > 255) throw invalidParameter('AlarmName is longer than 255 characters; shorten it.');
  return name;
}

function actionLists(input: Input): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of ['OKActions', 'AlarmActions', 'InsufficientDataActions']) {
    const list = optionalList(input, key) ?? [];
    if (list.length > 5) throw invalidParameter(`${key} has ${list.length} actions; at most 5 are allowed.`);
    out[key] = list.map((a, i) => {
      if (typeof a !== 'string' || a === '') throw invalidParameter(`${key}.member.${i + 1} must be an ARN.`);
      return a;
    });
  }
  return out;
}

function sharedWire(input: Input, name: string): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    AlarmName: name,
    ActionsEnabled: optionalBoolean(input, 'ActionsEnabled') ?? true,
    ...actionLists(input),
  };
  const description = optionalString(input, 'AlarmDescription');
  if (description !== undefined) {
    if (description.length > 1024) throw invalidParameter('AlarmDescription is longer than 1024 characters.');
    wire['AlarmDescription'] = description;
  }
  return wire;
}

export function parseMetricAlarm(input: Input): MetricAlarmConfig {
  const name = parseAlarmName(input);
  const wire = sharedWire(input, name);

  const evaluationPeriods = optionalInteger(input, 'EvaluationPeriods');
  if (evaluationPeriods === undefined) throw missingParameter('EvaluationPeriods');
  if (evaluationPeriods < 1) throw invalidParameter('EvaluationPeriods must be at least 1.');
  const comparisonText = optionalString(input, 'ComparisonOperator');
  if (comparisonText === undefined) throw missingParameter('ComparisonOperator');
  if (!(COMPARISONS as readonly string[]).includes(comparisonText)) {
    throw invalidParameter(
      `ComparisonOperator ${comparisonText} is not supported by the sandbox; use one of ${COMPARISONS.join(', ')} (static thresholds only).`,
    );
  }
  const comparison = comparisonText as Comparison;
  if (input['ThresholdMetricId'] !== undefined && input['ThresholdMetricId'] !== null) {
    throw invalidParameter(
      'ThresholdMetricId (anomaly detection bands) is not supported by the sandbox; use Threshold.',
    );
  }
  const threshold = optionalNumber(input, 'Threshold');
  if (threshold === undefined) throw missingParameter('Threshold');
  const datapointsToAlarm = optionalInteger(input, 'DatapointsToAlarm') ?? evaluationPeriods;
  if (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    throw validationError(
      `DatapointsToAlarm (${datapointsToAlarm}) must be between 1 and EvaluationPeriods (${evaluationPeriods}).`,
    );
  }
  const treatMissingData = optionalEnum(input, 'TreatMissingData', MISSING_DATA_TREATMENTS) ?? 'missing';

  const metrics = optionalList(input, 'Metrics');
  const single = [
    'MetricName',
    'Namespace',
    'Statistic',
    'ExtendedStatistic',
    'Dimensions',
    'Period',
    'Unit',
  ].filter((k) => input[k] !== undefined && input[k] !== null);
  let source: EvaluationPlan['source'];
  let periodSeconds: number;
  let statisticLabel: string | undefined;
  if (metrics !== undefined) {
    if (single.length > 0) {
      throw invalidCombination(`Use either Metrics or ${single.join(', ')}, not both.`);
    }
    const queries = parseQueries(metrics, 'Metrics');
    const returning = queries.filter((q) => q.returnData);
    if (returning.length !== 1) {
      throw validationError(
        `Exactly one entry of Metrics must have ReturnData true (found ${returning.length}); set ReturnData false on the others.`,
      );
    }
    const returned = returning[0] as ParsedQuery;
    const firstStat = queries.find((q) => q.metricStat)?.metricStat;
    if (!firstStat)
      throw validationError('Metrics must contain at least one MetricStat for the alarm to watch.');
    periodSeconds = returned.metricStat?.periodSeconds ?? returned.periodSeconds ?? firstStat.periodSeconds;
    checkPeriod(periodSeconds, 'Period', 'alarm');
    source = { kind: 'math', queries, returnId: returned.id };
    wire['Metrics'] = metrics;
  } else {
    const namespace = optionalString(input, 'Namespace');
    const metricName = optionalString(input, 'MetricName');
    if (namespace === undefined || metricName === undefined) {
      throw missingParameter(namespace === undefined ? 'Namespace' : 'MetricName');
    }
    const statistic = optionalEnum(input, 'Statistic', STATISTICS);
    const extended = optionalString(input, 'ExtendedStatistic');
    if ((statistic === undefined) === (extended === undefined)) {
      throw invalidCombination('Give exactly one of Statistic and ExtendedStatistic.');
    }
    const period = optionalInteger(input, 'Period');
    if (period === undefined) throw missingParameter('Period');
    checkPeriod(period, 'Period', 'alarm');
    periodSeconds = period;
    const dimensionList = optionalList(input, 'Dimensions');
    const dimensions = parseDimensions(dimensionList, 'Dimensions');
    const unit = optionalString(input, 'Unit');
    const statText = (statistic ?? extended) as string;
    source = {
      kind: 'metric',
      query: {
        identity: { namespace, name: metricName, dimensions },
        periodSeconds: period,
        stat: parseStatistic(statText, statistic ? 'Statistic' : 'ExtendedStatistic'),
        statText,
        ...(unit !== undefined ? { unit } : {}),
      },
    };
    statisticLabel = statText;
    Object.assign(wire, {
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: dimensionList ?? [],
      Period: period,
      ...(statistic !== undefined ? { Statistic: statistic } : { ExtendedStatistic: extended }),
      ...(unit !== undefined ? { Unit: unit } : {}),
    });
  }
  const maxSpan = periodSeconds % 3600 === 0 ? SEVEN_DAYS_SECONDS : ONE_DAY_SECONDS;
  if (periodSeconds * evaluationPeriods > maxSpan) {
    throw validationError(
      `Period × EvaluationPeriods is ${periodSeconds * evaluationPeriods} seconds; it may be at most ${maxSpan}.`,
    );
  }

  Object.assign(wire, {
    EvaluationPeriods: evaluationPeriods,
    DatapointsToAlarm: datapointsToAlarm,
    Threshold: threshold,
    ComparisonOperator: comparison,
    TreatMissingData: treatMissingData,
  });
  const lowSample = optionalString(input, 'EvaluateLowSampleCountPercentile');
  if (lowSample !== undefined) wire['EvaluateLowSampleCountPercentile'] = lowSample;

  return {
    wire,
    plan: {
      periodSeconds,
      evaluationPeriods,
      datapointsToAlarm,
      threshold,
      comparison,
      treatMissingData,
      source,
      ...(statisticLabel !== undefined ? { statisticLabel } : {}),
    },
  };
}

export function parseCompositeAlarm(input: Input): CompositeAlarmConfig {
  const name = parseAlarmName(input);
  const wire = sharedWire(input, name);
  const ruleText = optionalString(input, 'AlarmRule');
  if (ruleText === undefined || ruleText === '') throw missingParameter('AlarmRule');
  if (ruleText.length > 10240) throw invalidParameter('AlarmRule is longer than 10240 characters.');
  const rule = parseAlarmRule(ruleText);
  wire['AlarmRule'] = ruleText;
  for (const key of [
    'ActionsSuppressor',
    'ActionsSuppressorWaitPeriod',
    'ActionsSuppressorExtensionPeriod',
  ]) {
    if (input[key] !== undefined && input[key] !== null) wire[key] = input[key];
  }
  return { wire, rule };
}
