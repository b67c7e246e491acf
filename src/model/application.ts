/**
 * app.yaml's data (snake_case, as written) → the normalised `Application` (camelCase, parsed
 * expressions, environments in promotion order). Total: a wrong shape gives defaults, because
 * the schema has already reported it and later checks still deserve a best-effort model.
 */
import { parseBreachWhen, parseCondition } from './expressions.ts';
import type {
  AcceptanceCriterion,
  AcceptanceDefinition,
  Application,
  AttributeDefinition,
  CommandPreset,
  EnvironmentDefinition,
  FlagDefinition,
  FreezeWindow,
  GuardCondition,
  GuardDefinition,
  GuardMetric,
  NumericRule,
  PolicyDefinition,
  Prerequisite,
  ProfileDefinition,
  ProfileType,
  SoakMinutes,
  SourcePosition,
  Statistic,
  StrategyDefinition,
} from './types.ts';
import { COMPARATIVE_METRICS } from './types.ts';
import {
  booleanOr,
  isRecord,
  numberList,
  numberOr,
  optionalNumber,
  optionalString,
  record,
  stringList,
} from './values.ts';

/** Until an environment says otherwise, a change needs one approving review. */
const DEFAULT_APPROVALS = 1;
const DEFAULT_REVERT_APPROVALS = 1;

export function buildApplication(
  data: Record<string, unknown>,
  name: string,
  dir: string,
  locations: Record<string, SourcePosition>,
): Application {
  const description = optionalString(data['description']);
  return {
    name,
    locations,
    ...(description !== undefined && { description }),
    dir,
    profiles: mapEntries(data['profiles'], buildProfile),
    environments: Object.entries(record(data['environments'])).map(([envName, env], order) =>
      buildEnvironment(envName, record(env), order),
    ),
    strategies: mapEntries(data['strategies'], buildStrategy),
    guards: mapEntries(data['guards'], buildGuard),
    policy: buildPolicy(record(data['policy'])),
    flags: mapEntries(data['flags'], buildFlag),
    ...(isRecord(data['acceptance']) && { acceptance: buildAcceptance(data['acceptance']) }),
    commands: mapEntries(data['commands'], buildCommand),
  };
}

function buildCommand(name: string, data: Record<string, unknown>): CommandPreset {
  const summary = optionalString(data['summary']);
  const common = { name, ...(summary !== undefined && { summary }) };
  const rollout = optionalString(data['rollout']);
  if (rollout !== undefined) return { ...common, kind: 'rollout', rollout };
  return { ...common, kind: 'set', assignments: stringList(data['set']) };
}

function mapEntries<T>(
  value: unknown,
  build: (name: string, data: Record<string, unknown>) => T,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, item] of Object.entries(record(value))) out[key] = build(key, record(item));
  return out;
}

function buildProfile(name: string, data: Record<string, unknown>): ProfileDefinition {
  const type: ProfileType = data['type'] === 'AWS.Freeform' ? 'AWS.Freeform' : 'AWS.AppConfig.FeatureFlags';
  const description = optionalString(data['description']);
  const schema = optionalString(data['schema']);
  return {
    name,
    type,
    ...(description !== undefined && { description }),
    ...(schema !== undefined && { schema }),
  };
}

function buildEnvironment(name: string, data: Record<string, unknown>, order: number): EnvironmentDefinition {
  const description = optionalString(data['description']);
  const reviewers = Array.isArray(data['reviewers']) ? stringList(data['reviewers']) : undefined;
  return {
    name,
    ...(description !== undefined && { description }),
    strategy: optionalString(data['strategy']) ?? '',
    bakeMinutes: numberOr(data['bake_minutes'], 0),
    approvals: numberOr(data['approvals'], DEFAULT_APPROVALS),
    dismissStale: booleanOr(data['dismiss_stale'], false),
    ...(reviewers !== undefined && { reviewers }),
    alarms: stringList(data['alarms']),
    guards: stringList(data['guards']),
    ...(typeof data['dashboard'] === 'string' && { dashboard: data['dashboard'] }),
    order,
    ...(data['auto_merge'] === true && { autoMerge: true }),
    ...(isRecord(data['soak_minutes']) && { soakMinutes: buildSoak(data['soak_minutes']) }),
  };
}

function buildSoak(data: Record<string, unknown>): Partial<SoakMinutes> {
  const out: Partial<SoakMinutes> = {};
  for (const key of ['default', 'enable', 'maximum'] as const) {
    const value = optionalNumber(data[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function buildAcceptance(data: Record<string, unknown>): AcceptanceDefinition {
  const gate = record(data['required_for']);
  const key = optionalString(gate['attribute']) ?? '';
  const dot = key.indexOf('.');
  return {
    windowMinutes: numberOr(data['window_minutes'], 60),
    maxAgeMinutes: numberOr(data['max_age_minutes'], 1440),
    environments: stringList(data['environments']),
    requiredFor: {
      key,
      flag: dot < 0 ? key : key.slice(0, dot),
      attribute: dot < 0 ? '' : key.slice(dot + 1),
      value: numberOr(gate['value'], Number.POSITIVE_INFINITY),
    },
    criteria: mapEntries(data['criteria'], buildCriterion),
  };
}

function buildCriterion(name: string, data: Record<string, unknown>): AcceptanceCriterion {
  const description = optionalString(data['description']);
  const backend = optionalString(data['backend']);
  const unit = optionalString(data['unit']);
  const minSamples = buildMinSamples(data);
  return {
    name,
    ...(description !== undefined && { description }),
    ...(backend !== undefined && { backend }),
    metrics: mapEntries(data['metrics'], (_id, m) => buildMetric(m)),
    value: optionalString(data['value']) ?? '',
    ...(unit !== undefined && { unit }),
    // Unparseable conditions are reported by the schema; this default never passes.
    passWhen: parseBreachWhen(optionalString(data['pass_when']) ?? '') ?? {
      op: '<',
      threshold: Number.NEGATIVE_INFINITY,
    },
    ...(minSamples !== undefined && { minSamples }),
    required: booleanOr(data['required'], true),
    ...(typeof data['guard'] === 'string' && { guard: data['guard'] }),
  };
}

function buildStrategy(name: string, data: Record<string, unknown>): StrategyDefinition {
  const description = optionalString(data['description']);
  return {
    name,
    ...(description !== undefined && { description }),
    growthType: data['growth_type'] === 'EXPONENTIAL' ? 'EXPONENTIAL' : 'LINEAR',
    growthFactor: numberOr(data['growth_factor'], 100),
    durationMinutes: numberOr(data['duration_minutes'], 0),
    finalBakeMinutes: numberOr(data['final_bake_minutes'], 0),
  };
}

function buildGuard(name: string, data: Record<string, unknown>): GuardDefinition {
  if (data['kind'] === 'comparative') return buildComparativeGuard(name, data);
  const description = optionalString(data['description']);
  const unit = optionalString(data['unit']);
  const minSamples = buildMinSamples(data);
  const windowMinutes = optionalNumber(data['window_minutes']);
  const coverage = optionalNumber(data['coverage']);
  const appliesWhen = buildConditions(data['applies_when']);
  return {
    name,
    ...(description !== undefined && { description }),
    metrics: mapEntries(data['metrics'], (_id, m) => buildMetric(m)),
    value: optionalString(data['value']) ?? '',
    ...(unit !== undefined && { unit }),
    periodSeconds: windowMinutes !== undefined ? 60 : numberOr(data['period_seconds'], 60),
    ...(windowMinutes !== undefined && { windowMinutes }),
    ...(coverage !== undefined && { coverage }),
    ...(optionalString(data['alarm']) !== undefined && { alarm: optionalString(data['alarm']) as string }),
    // Unparseable thresholds are reported by the schema; this default never breaches.
    breachWhen: parseBreachWhen(optionalString(data['breach_when']) ?? '') ?? {
      op: '>',
      threshold: Number.POSITIVE_INFINITY,
    },
    consecutive: numberOr(data['consecutive'], 1),
    ...(minSamples !== undefined && { minSamples }),
    ...(appliesWhen.length > 0 && { appliesWhen }),
  };
}

/**
 * `kind: comparative`: the four series as metrics (the shared metric with each side's dimensions)
 * and their ratio as the value, so the plan comment and dashboards can show it like any guard.
 */
function buildComparativeGuard(name: string, data: Record<string, unknown>): GuardDefinition {
  const description = optionalString(data['description']);
  const unit = optionalString(data['unit']);
  const appliesWhen = buildConditions(data['applies_when']);
  const treatment = stringRecord(data['treatment']);
  const control = stringRecord(data['control']);
  const side = (part: unknown, dims: Record<string, string>) => {
    const metric = buildMetric(record(part));
    return { ...metric, dimensions: { ...metric.dimensions, ...dims } };
  };
  const t = COMPARATIVE_METRICS.treatment;
  const c = COMPARATIVE_METRICS.control;
  const marginPercent = numberOr(data['margin_percent'], 0);
  return {
    name,
    ...(description !== undefined && { description }),
    metrics: {
      [t.x]: side(data['numerator'], treatment),
      [t.y]: side(data['denominator'], treatment),
      [c.x]: side(data['numerator'], control),
      [c.y]: side(data['denominator'], control),
    },
    value: `(${t.x} / ${t.y}) / (${c.x} / ${c.y})`,
    unit: unit ?? '× control',
    periodSeconds: 60,
    breachWhen: { op: '>', threshold: 1 + marginPercent / 100 },
    consecutive: 1,
    ...(appliesWhen.length > 0 && { appliesWhen }),
    comparative: {
      measure: data['measure'] === 'mean' ? 'mean' : 'events',
      treatment,
      control,
      marginPercent,
      falseAlarmPercent: numberOr(data['false_alarm_percent'], 5),
      steps: numberOr(data['steps'], 1),
    },
  };
}

function stringRecord(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(raw))) if (typeof value === 'string') out[key] = value;
  return out;
}

function buildConditions(raw: unknown): GuardCondition[] {
  const out: GuardCondition[] = [];
  for (const item of Array.isArray(raw) ? raw : []) {
    const flag = optionalString(record(item)['flag']);
    if (flag === undefined) continue;
    const when = parseCondition(optionalString(record(item)['when']) ?? '');
    out.push({ flag, ...(when !== undefined && { when }) });
  }
  return out;
}

function buildMinSamples(data: Record<string, unknown>): { metric: string; atLeast: number } | undefined {
  const gate = record(data['min_samples']);
  const metric = optionalString(gate['metric']);
  const atLeast = optionalNumber(gate['at_least']);
  return metric !== undefined && atLeast !== undefined ? { metric, atLeast } : undefined;
}

/** A metric; it is filled only where `fill` declares it publishes nothing (when zero). */
function buildMetric(data: Record<string, unknown>): GuardMetric {
  const dimensions: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(data['dimensions']))) {
    if (typeof value === 'string') dimensions[key] = value;
  }
  const stat = (optionalString(data['stat']) ?? 'Sum') as Statistic;
  const fill = data['fill'] === 'none' ? undefined : optionalNumber(data['fill']);
  return {
    namespace: optionalString(data['namespace']) ?? '',
    name: optionalString(data['name']) ?? '',
    dimensions,
    stat,
    ...(fill !== undefined && { fill }),
  };
}

function buildPolicy(data: Record<string, unknown>): PolicyDefinition {
  const dwellMinutes: Record<string, number> = {};
  for (const [env, minutes] of Object.entries(record(data['dwell_minutes']))) {
    const value = optionalNumber(minutes);
    if (value !== undefined) dwellMinutes[env] = value;
  }
  return {
    promotionOrder: booleanOr(data['promotion_order'], true),
    numeric: Object.entries(record(data['numeric'])).map(([key, rule]) =>
      buildNumericRule(key, record(rule)),
    ),
    dwellMinutes,
    freezeWindows: (Array.isArray(data['freeze_windows']) ? data['freeze_windows'] : [])
      .filter(isRecord)
      .map(buildFreezeWindow),
    revertApprovals: numberOr(data['revert_approvals'], DEFAULT_REVERT_APPROVALS),
  };
}

function buildNumericRule(key: string, data: Record<string, unknown>): NumericRule {
  const dot = key.indexOf('.');
  const maxIncrease = optionalNumber(data['max_increase']);
  const ladder = Array.isArray(data['ladder']) ? numberList(data['ladder']) : undefined;
  return {
    key,
    flag: dot < 0 ? key : key.slice(0, dot),
    attribute: dot < 0 ? '' : key.slice(dot + 1),
    ...(maxIncrease !== undefined && { maxIncrease }),
    ...(ladder !== undefined && { ladder }),
  };
}

function buildFreezeWindow(data: Record<string, unknown>): FreezeWindow {
  return {
    name: optionalString(data['name']) ?? '',
    environments: stringList(data['environments']),
    start: optionalString(data['start']) ?? '',
    end: optionalString(data['end']) ?? '',
  };
}

function buildFlag(name: string, data: Record<string, unknown>): FlagDefinition {
  const description = optionalString(data['description']);
  const requires: Prerequisite[] = buildConditions(data['requires']);
  return {
    name,
    ...(description !== undefined && { description }),
    attributes: mapEntries(data['attributes'], buildAttribute),
    requires,
  };
}

type ElementConstraints = NonNullable<AttributeDefinition['elements']>;

function buildAttribute(name: string, data: Record<string, unknown>): AttributeDefinition {
  const description = optionalString(data['description']);
  const rawType = data['type'];
  const type: AttributeDefinition['type'] =
    rawType === 'string' || rawType === 'boolean' || rawType === 'array' ? rawType : 'number';
  const elements = isRecord(data['elements']) ? buildElements(data['elements']) : undefined;
  return {
    name,
    ...(description !== undefined && { description }),
    type,
    required: booleanOr(data['required'], false),
    ...constraints(data),
    ...(elements !== undefined && { elements }),
  };
}

function buildElements(data: Record<string, unknown>): ElementConstraints {
  return { type: data['type'] === 'number' ? 'number' : 'string', ...constraints(data) };
}

function constraints(data: Record<string, unknown>) {
  const minimum = optionalNumber(data['minimum']);
  const maximum = optionalNumber(data['maximum']);
  const pattern = optionalString(data['pattern']);
  const values = Array.isArray(data['enum'])
    ? data['enum'].filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    : undefined;
  return {
    ...(minimum !== undefined && { minimum }),
    ...(maximum !== undefined && { maximum }),
    ...(values !== undefined && { enum: values }),
    ...(pattern !== undefined && { pattern }),
  };
}
