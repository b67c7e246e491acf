/**
 * The alarm book: metric and composite alarms, their states and their history. Metric alarms are
 * evaluated from stored metrics at their period boundaries on the simulated clock; composite
 * alarms follow their children whenever a child changes state.
 */
import type { AlarmStateValue } from '../core.ts';
import {
  type CompositeAlarmConfig,
  type EvaluationPlan,
  type MetricAlarmConfig,
  parseCompositeAlarm,
  parseMetricAlarm,
} from './alarm-config.ts';
import { evaluateRule, type RuleNode, ruleChildren } from './alarm-rule.ts';
import { type Datapoint, evaluateAlarm } from './evaluation.ts';
import type { Series } from './math.ts';
import type { MetricStore } from './metric-store.ts';
import { validationError } from './protocol.ts';
import { metricStatSeries, runQueries } from './queries.ts';

export const ALARM_ARN_PREFIX = 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:';
/** History CloudWatch keeps is 30 days; the count cap keeps a runaway test from growing without end. */
const HISTORY_RETENTION_MS = 30 * 24 * 3600 * 1000;
const HISTORY_MAX_ITEMS = 20_000;
/** Composite alarms may chain; a cycle must not loop forever. */
const MAX_CASCADE_DEPTH = 20;

export type AlarmType = 'MetricAlarm' | 'CompositeAlarm';
export type HistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';

export interface AlarmState {
  value: AlarmStateValue;
  reason: string;
  reasonData?: string;
  /** Epoch ms of the last state update / last change of value. */
  updatedAt: number;
  transitionedAt: number;
}

export interface StoredAlarm {
  type: AlarmType;
  name: string;
  wire: Record<string, unknown>;
  configUpdatedAt: number;
  state: AlarmState;
  plan?: EvaluationPlan;
  rule?: RuleNode;
  /** Alarm names (ARNs reduced to names) a composite reads. */
  children?: string[];
  /** Epoch ms of the next period boundary at which a metric alarm is evaluated. */
  nextEvaluationAt?: number;
}

export interface HistoryItem {
  alarmName: string;
  alarmType: AlarmType;
  timestamp: number;
  type: HistoryItemType;
  summary: string;
  data: string;
}

interface DumpedAlarm {
  type: AlarmType;
  wire: Record<string, unknown>;
  configUpdatedAt: number;
  state: AlarmState;
  nextEvaluationAt?: number;
}

export function alarmArn(name: string): string {
  return `${ALARM_ARN_PREFIX}${name}`;
}

export function alarmNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith(ALARM_ARN_PREFIX) ? nameOrArn.slice(ALARM_ARN_PREFIX.length) : nameOrArn;
}

export class AlarmBook {
  private alarms = new Map<string, StoredAlarm>();
  private history: HistoryItem[] = [];

  /** During a tick, the simulated instant being evaluated (the clock may already be further on). */
  private tickTime: number | undefined;

  constructor(
    private readonly metrics: MetricStore,
    private readonly clockNow: () => number,
  ) {}

  private now(): number {
    return this.tickTime ?? this.clockNow();
  }

  get(nameOrArn: string): StoredAlarm | undefined {
    return this.alarms.get(alarmNameOf(nameOrArn));
  }

  /** All alarms, by name. */
  all(): StoredAlarm[] {
    return [...this.alarms.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  historyItems(): readonly HistoryItem[] {
    return this.history;
  }

  putMetricAlarm(config: MetricAlarmConfig): void {
    const name = config.wire['AlarmName'] as string;
    const existing = this.alarms.get(name);
    if (existing && existing.type !== 'MetricAlarm') {
      throw validationError(
        `The alarm ${name} is a composite alarm; delete it first or choose another name.`,
      );
    }
    const now = this.now();
    const stepMs = evaluationStepMs(config.plan);
    const alarm: StoredAlarm = {
      type: 'MetricAlarm',
      name,
      wire: config.wire,
      configUpdatedAt: now,
      // An update overwrites the configuration and keeps the state; a new alarm knows nothing yet.
      state: existing?.state ?? initialState(now),
      plan: config.plan,
      nextEvaluationAt: Math.floor(now / stepMs) * stepMs + stepMs,
    };
    this.alarms.set(name, alarm);
    this.recordConfiguration(alarm, existing ? 'Update' : 'Create', existing);
  }

  putCompositeAlarm(config: CompositeAlarmConfig): void {
    const name = config.wire['AlarmName'] as string;
    const existing = this.alarms.get(name);
    if (existing && existing.type !== 'CompositeAlarm') {
      throw validationError(`The alarm ${name} is a metric alarm; delete it first or choose another name.`);
    }
    const now = this.now();
    const alarm: StoredAlarm = {
      type: 'CompositeAlarm',
      name,
      wire: config.wire,
      configUpdatedAt: now,
      state: existing?.state ?? initialState(now),
      rule: config.rule,
      children: ruleChildren(config.rule).map(alarmNameOf),
    };
    this.alarms.set(name, alarm);
    this.recordConfiguration(alarm, existing ? 'Update' : 'Create', existing);
    this.evaluateComposite(alarm, 0);
  }

  /** SetAlarmState: a metric alarm returns to its evaluated state at its next evaluation. */
  setState(alarm: StoredAlarm, value: AlarmStateValue, reason: string, reasonData?: string): void {
    this.transition(alarm, value, reason, reasonData, 0);
  }

  /** Deletes the named alarms that exist and returns the names that did not. */
  delete(names: string[]): string[] {
    const missing: string[] = [];
    for (const name of names) {
      const alarm = this.alarms.get(name);
      if (!alarm) {
        missing.push(name);
        continue;
      }
      this.alarms.delete(name);
      this.addHistory(alarm, 'ConfigurationUpdate', `Alarm "${name}" deleted`, {
        version: '1.0',
        type: 'Delete',
        deletedAlarm: this.historyView(alarm),
      });
      // A composite that read the deleted alarm no longer sees its state.
      for (const parent of this.parentsOf(name)) this.evaluateComposite(parent, 0);
    }
    return missing;
  }

  setActionsEnabled(names: string[], enabled: boolean): void {
    for (const name of names) {
      const alarm = this.alarms.get(name);
      if (alarm) alarm.wire['ActionsEnabled'] = enabled;
    }
  }

  /** Evaluate every metric alarm whose period boundary has come. */
  tick(now: number): void {
    this.tickTime = now;
    try {
      for (const alarm of this.alarms.values()) {
        if (alarm.plan === undefined || alarm.nextEvaluationAt === undefined || now < alarm.nextEvaluationAt)
          continue;
        const stepMs = evaluationStepMs(alarm.plan);
        const boundary = Math.floor(now / stepMs) * stepMs;
        alarm.nextEvaluationAt = boundary + stepMs;
        this.evaluateMetricAlarm(alarm, boundary);
      }
      this.pruneHistory(now);
    } finally {
      this.tickTime = undefined;
    }
  }

  /** The last EvaluationPeriods periods ending at `boundary` (a minute), oldest first. */
  datapoints(plan: EvaluationPlan, boundary: number): Datapoint[] {
    const periodMs = plan.periodSeconds * 1000;
    const start = boundary - plan.evaluationPeriods * periodMs;
    const align = evaluationStepMs(plan);
    let series: Series;
    if (plan.source.kind === 'metric')
      series = metricStatSeries(this.metrics, plan.source.query, start, boundary, align);
    else
      series =
        runQueries(this.metrics, plan.source.queries, start, boundary, align).get(plan.source.returnId) ??
        new Map();
    const out: Datapoint[] = [];
    for (let t = start; t < boundary; t += periodMs) {
      const value = series.get(t);
      out.push(value === undefined ? { timestamp: t } : { timestamp: t, value });
    }
    return out;
  }

  private evaluateMetricAlarm(alarm: StoredAlarm, boundary: number): void {
    const plan = alarm.plan as EvaluationPlan;
    const datapoints = this.datapoints(plan, boundary);
    const outcome = evaluateAlarm({
      datapoints,
      threshold: plan.threshold,
      comparison: plan.comparison,
      datapointsToAlarm: plan.datapointsToAlarm,
      treatMissingData: plan.treatMissingData,
      currentState: alarm.state.value,
    });
    if (outcome.state === alarm.state.value) return;
    const real = datapoints.filter((d) => d.value !== undefined);
    const reasonData = JSON.stringify({
      version: '1.0',
      queryDate: iso(this.now()),
      startDate: iso(datapoints[0]?.timestamp ?? boundary),
      ...(plan.statisticLabel !== undefined ? { statistic: plan.statisticLabel } : {}),
      period: plan.periodSeconds,
      recentDatapoints: real.map((d) => d.value),
      threshold: plan.threshold,
      evaluatedDatapoints: [...datapoints]
        .reverse()
        .map((d) =>
          d.value === undefined
            ? { timestamp: iso(d.timestamp) }
            : { timestamp: iso(d.timestamp), value: d.value },
        ),
    });
    this.transition(alarm, outcome.state, outcome.reason, reasonData, 0);
  }

  private evaluateComposite(alarm: StoredAlarm, depth: number): void {
    const children = alarm.children ?? [];
    const stateOf = (nameOrArn: string) => this.alarms.get(alarmNameOf(nameOrArn))?.state.value;
    const fired = evaluateRule(alarm.rule as RuleNode, stateOf);
    let value: AlarmStateValue;
    if (fired) value = 'ALARM';
    else if (
      children.length > 0 &&
      children.every((c) => (stateOf(c) ?? 'INSUFFICIENT_DATA') === 'INSUFFICIENT_DATA')
    )
      value = 'INSUFFICIENT_DATA';
    else value = 'OK';
    if (value === alarm.state.value) return;
    const triggering = children
      .map((c) => this.alarms.get(c))
      .filter((c): c is StoredAlarm => c !== undefined)
      .sort((a, b) => b.state.transitionedAt - a.state.transitionedAt);
    const cause = triggering[0];
    const reason = cause
      ? `${alarmArn(cause.name)} transitioned to ${cause.state.value} at ${new Date(cause.state.transitionedAt).toUTCString()}`
      : `The rule ${alarm.wire['AlarmRule'] as string} evaluates to ${fired ? 'TRUE' : 'FALSE'}`;
    const reasonData = JSON.stringify({
      triggeringAlarms: triggering.map((c) => ({
        arn: alarmArn(c.name),
        state: { value: c.state.value, timestamp: iso(c.state.transitionedAt) },
      })),
    });
    this.transition(alarm, value, reason, reasonData, depth);
  }

  private transition(
    alarm: StoredAlarm,
    value: AlarmStateValue,
    reason: string,
    reasonData: string | undefined,
    depth: number,
  ): void {
    const now = this.now();
    const old = alarm.state;
    alarm.state = {
      value,
      reason,
      ...(reasonData !== undefined ? { reasonData } : {}),
      updatedAt: now,
      transitionedAt: value === old.value ? old.transitionedAt : now,
    };
    this.addHistory(alarm, 'StateUpdate', `Alarm updated from ${old.value} to ${value}`, {
      version: '1.0',
      oldState: { stateValue: old.value, stateReason: old.reason, ...parsedReasonData(old.reasonData) },
      newState: { stateValue: value, stateReason: reason, ...parsedReasonData(reasonData) },
    });
    if (value === old.value || depth >= MAX_CASCADE_DEPTH) return;
    // Composite alarms that read this alarm may change with it.
    for (const parent of this.parentsOf(alarm.name)) {
      if (parent !== alarm) this.evaluateComposite(parent, depth + 1);
    }
  }

  private parentsOf(name: string): StoredAlarm[] {
    return [...this.alarms.values()].filter((a) => a.type === 'CompositeAlarm' && a.children?.includes(name));
  }

  private recordConfiguration(
    alarm: StoredAlarm,
    type: 'Create' | 'Update',
    previous: StoredAlarm | undefined,
  ): void {
    const data =
      type === 'Create'
        ? { version: '1.0', type, createdAlarm: this.historyView(alarm) }
        : {
            version: '1.0',
            type,
            originalAlarm: previous ? this.historyView(previous) : undefined,
            updatedAlarm: this.historyView(alarm),
          };
    this.addHistory(
      alarm,
      'ConfigurationUpdate',
      `Alarm "${alarm.name}" ${type === 'Create' ? 'created' : 'updated'}`,
      data,
    );
  }

  private historyView(alarm: StoredAlarm): Record<string, unknown> {
    return { ...alarm.wire, alarmArn: alarmArn(alarm.name), stateValue: alarm.state.value };
  }

  private addHistory(alarm: StoredAlarm, type: HistoryItemType, summary: string, data: unknown): void {
    this.history.push({
      alarmName: alarm.name,
      alarmType: alarm.type,
      timestamp: this.now(),
      type,
      summary,
      data: JSON.stringify(data),
    });
    if (this.history.length > HISTORY_MAX_ITEMS)
      this.history.splice(0, this.history.length - HISTORY_MAX_ITEMS);
  }

  private pruneHistory(now: number): void {
    const first = this.history[0];
    if (!first || first.timestamp >= now - HISTORY_RETENTION_MS) return;
    const keepFrom = this.history.findIndex((h) => h.timestamp >= now - HISTORY_RETENTION_MS);
    this.history.splice(0, keepFrom < 0 ? this.history.length : keepFrom);
  }

  clear(): void {
    this.alarms.clear();
    this.history = [];
  }

  dump(): { alarms: DumpedAlarm[]; history: HistoryItem[] } {
    return {
      alarms: [...this.alarms.values()].map((a) => ({
        type: a.type,
        wire: a.wire,
        configUpdatedAt: a.configUpdatedAt,
        state: a.state,
        ...(a.nextEvaluationAt !== undefined ? { nextEvaluationAt: a.nextEvaluationAt } : {}),
      })),
      history: this.history,
    };
  }

  /** The stored configuration is a valid input, so parsing it again rebuilds the plan and rule. */
  load(data: { alarms?: DumpedAlarm[]; history?: HistoryItem[] }): void {
    this.clear();
    for (const d of data.alarms ?? []) {
      const name = d.wire['AlarmName'] as string;
      const base = { type: d.type, name, wire: d.wire, configUpdatedAt: d.configUpdatedAt, state: d.state };
      if (d.type === 'MetricAlarm') {
        const { plan } = parseMetricAlarm(d.wire);
        this.alarms.set(name, {
          ...base,
          plan,
          ...(d.nextEvaluationAt !== undefined ? { nextEvaluationAt: d.nextEvaluationAt } : {}),
        });
      } else {
        const { rule } = parseCompositeAlarm(d.wire);
        this.alarms.set(name, { ...base, rule, children: ruleChildren(rule).map(alarmNameOf) });
      }
    }
    this.history = [...(data.history ?? [])];
  }
}

/**
 * CloudWatch evaluates a metric alarm every minute (high-resolution alarms every period), each
 * time over the periods that end at that minute: a 5-minute period slides by one minute.
 */
function evaluationStepMs(plan: EvaluationPlan): number {
  return Math.min(plan.periodSeconds, 60) * 1000;
}

function initialState(now: number): AlarmState {
  return {
    value: 'INSUFFICIENT_DATA',
    reason: 'Unchecked: Initial alarm creation',
    updatedAt: now,
    transitionedAt: now,
  };
}

function parsedReasonData(text: string | undefined): { stateReasonData?: unknown } {
  if (text === undefined) return {};
  try {
    return { stateReasonData: JSON.parse(text) };
  } catch {
    return { stateReasonData: text };
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
