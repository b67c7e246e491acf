/**
 * The alarm half of the CloudWatch API: PutMetricAlarm, PutCompositeAlarm, DescribeAlarms,
 * SetAlarmState, DeleteAlarms, DescribeAlarmHistory, Enable/DisableAlarmActions.
 */
import type { AlarmStateValue } from '../core.ts';
import { parseCompositeAlarm, parseMetricAlarm } from './alarm-config.ts';
import {
  type AlarmBook,
  type AlarmType,
  alarmArn,
  type HistoryItemType,
  type StoredAlarm,
} from './alarms.ts';
import { pageSize, paginate } from './pagination.ts';
import {
  type Input,
  invalidCombination,
  invalidFormat,
  invalidParameter,
  missingParameter,
  optionalEnum,
  optionalInteger,
  optionalList,
  optionalString,
  optionalTimestamp,
  requiredString,
  resourceNotFound,
  toWireTime,
} from './protocol.ts';

const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
const ALARM_TYPES = ['MetricAlarm', 'CompositeAlarm'] as const;
const HISTORY_TYPES = ['ConfigurationUpdate', 'StateUpdate', 'Action'] as const;
const MAX_NAMES = 100;

export function putMetricAlarm(input: Input, book: AlarmBook): Record<string, never> {
  book.putMetricAlarm(parseMetricAlarm(input));
  return {};
}

export function putCompositeAlarm(input: Input, book: AlarmBook): Record<string, never> {
  book.putCompositeAlarm(parseCompositeAlarm(input));
  return {};
}

function alarmNames(input: Input, name: string, required: boolean): string[] | undefined {
  const list = optionalList(input, name);
  if (list === undefined) {
    if (required) throw missingParameter(name);
    return undefined;
  }
  if (list.length > MAX_NAMES)
    throw invalidParameter(`${name} has ${list.length} names; at most ${MAX_NAMES} are allowed.`);
  return list.map((n, i) => {
    if (typeof n !== 'string' || n === '')
      throw invalidParameter(`${name}.member.${i + 1} must be an alarm name.`);
    return n;
  });
}

function alarmTypes(input: Input): AlarmType[] {
  const list = optionalList(input, 'AlarmTypes');
  // Omitting AlarmTypes returns only metric alarms, as CloudWatch does.
  if (list === undefined || list.length === 0) return ['MetricAlarm'];
  return list.map((t, i) => optionalEnum({ t }, 't', ALARM_TYPES, `AlarmTypes.member.${i + 1}`) as AlarmType);
}

export function describeAlarms(input: Input, book: AlarmBook): Record<string, unknown> {
  const names = alarmNames(input, 'AlarmNames', false);
  const prefix = optionalString(input, 'AlarmNamePrefix');
  const childrenOf = optionalString(input, 'ChildrenOfAlarmName');
  const parentsOf = optionalString(input, 'ParentsOfAlarmName');
  const state = optionalEnum(input, 'StateValue', STATES);
  const actionPrefix = optionalString(input, 'ActionPrefix');
  const size = pageSize(optionalInteger(input, 'MaxRecords'), 50);
  if (names !== undefined && prefix !== undefined) {
    throw invalidCombination('Use AlarmNames or AlarmNamePrefix, not both.');
  }
  if (
    (childrenOf !== undefined || parentsOf !== undefined) &&
    [names, prefix, state, actionPrefix].some((v) => v !== undefined)
  ) {
    throw invalidCombination(
      'ChildrenOfAlarmName and ParentsOfAlarmName cannot be combined with other filters.',
    );
  }
  if (childrenOf !== undefined && parentsOf !== undefined) {
    throw invalidCombination('Use ChildrenOfAlarmName or ParentsOfAlarmName, not both.');
  }

  let alarms = book.all();
  if (childrenOf !== undefined) {
    const parent = book.get(childrenOf);
    const children = new Set(parent?.children ?? []);
    alarms = alarms.filter((a) => children.has(a.name));
  } else if (parentsOf !== undefined) {
    alarms = alarms.filter((a) => a.children?.includes(parentsOf));
  } else {
    const types = alarmTypes(input);
    const wanted = names ? new Set(names) : undefined;
    alarms = alarms.filter(
      (a) =>
        types.includes(a.type) &&
        (wanted === undefined || wanted.has(a.name)) &&
        (prefix === undefined || a.name.startsWith(prefix)) &&
        (state === undefined || a.state.value === state) &&
        (actionPrefix === undefined || hasActionWithPrefix(a, actionPrefix)),
    );
  }
  const { page, nextToken } = paginate(alarms, 'DescribeAlarms', size, optionalString(input, 'NextToken'));
  return {
    MetricAlarms: page.filter((a) => a.type === 'MetricAlarm').map(toWireAlarm),
    CompositeAlarms: page.filter((a) => a.type === 'CompositeAlarm').map(toWireAlarm),
    ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
  };
}

function hasActionWithPrefix(alarm: StoredAlarm, prefix: string): boolean {
  return ['OKActions', 'AlarmActions', 'InsufficientDataActions'].some((k) =>
    ((alarm.wire[k] as string[] | undefined) ?? []).some((a) => a.startsWith(prefix)),
  );
}

export function toWireAlarm(alarm: StoredAlarm): Record<string, unknown> {
  return {
    ...alarm.wire,
    AlarmArn: alarmArn(alarm.name),
    AlarmConfigurationUpdatedTimestamp: toWireTime(alarm.configUpdatedAt),
    StateValue: alarm.state.value,
    StateReason: alarm.state.reason,
    ...(alarm.state.reasonData !== undefined ? { StateReasonData: alarm.state.reasonData } : {}),
    StateUpdatedTimestamp: toWireTime(alarm.state.updatedAt),
    StateTransitionedTimestamp: toWireTime(alarm.state.transitionedAt),
  };
}

export function setAlarmState(input: Input, book: AlarmBook): Record<string, never> {
  const name = requiredString(input, 'AlarmName');
  const value = optionalEnum(input, 'StateValue', STATES);
  if (value === undefined) throw missingParameter('StateValue');
  const reason = optionalString(input, 'StateReason');
  if (reason === undefined) throw missingParameter('StateReason');
  if (reason.length > 1023) throw invalidParameter('StateReason is longer than 1023 characters.');
  const reasonData = optionalString(input, 'StateReasonData');
  if (reasonData !== undefined) {
    if (reasonData.length > 4000) throw invalidParameter('StateReasonData is longer than 4000 characters.');
    try {
      JSON.parse(reasonData);
    } catch {
      throw invalidFormat('StateReasonData must be valid JSON.');
    }
  }
  const alarm = book.get(name);
  if (!alarm) throw resourceNotFound(`The alarm ${name} does not exist; check the name with DescribeAlarms.`);
  book.setState(alarm, value as AlarmStateValue, reason, reasonData);
  return {};
}

export function deleteAlarms(input: Input, book: AlarmBook): Record<string, never> {
  const names = alarmNames(input, 'AlarmNames', true) as string[];
  const missing = book.delete(names);
  // The alarms that exist are deleted even when some names are wrong, as on CloudWatch.
  if (missing.length > 0) {
    throw resourceNotFound(
      `${missing.length} alarm${missing.length === 1 ? '' : 's'} not found: ${missing.join(', ')}.`,
    );
  }
  return {};
}

export function setAlarmActions(input: Input, book: AlarmBook, enabled: boolean): Record<string, never> {
  book.setActionsEnabled(alarmNames(input, 'AlarmNames', true) as string[], enabled);
  return {};
}

export function describeAlarmHistory(input: Input, book: AlarmBook): Record<string, unknown> {
  const name = optionalString(input, 'AlarmName');
  const types = alarmTypes(input);
  const itemType = optionalEnum(input, 'HistoryItemType', HISTORY_TYPES) as HistoryItemType | undefined;
  const from = optionalTimestamp(input, 'StartDate');
  const to = optionalTimestamp(input, 'EndDate');
  const ascending =
    optionalEnum(input, 'ScanBy', ['TimestampDescending', 'TimestampAscending'] as const) ===
    'TimestampAscending';
  const size = pageSize(optionalInteger(input, 'MaxRecords'), 100);
  const items = book
    .historyItems()
    .filter(
      (h) =>
        (name === undefined || h.alarmName === name) &&
        types.includes(h.alarmType) &&
        (itemType === undefined || h.type === itemType) &&
        (from === undefined || h.timestamp >= from) &&
        (to === undefined || h.timestamp <= to),
    );
  if (!ascending) items.reverse();
  const { page, nextToken } = paginate(
    items,
    'DescribeAlarmHistory',
    size,
    optionalString(input, 'NextToken'),
  );
  return {
    AlarmHistoryItems: page.map((h) => ({
      AlarmName: h.alarmName,
      AlarmType: h.alarmType,
      Timestamp: toWireTime(h.timestamp),
      HistoryItemType: h.type,
      HistorySummary: h.summary,
      HistoryData: h.data,
    })),
    ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
  };
}
