/**
 * Checks inside app.yaml that a schema cannot express: names that must refer to something declared
 * elsewhere in the file, and constraints that must agree with each other.
 */

import { longestGuardExpression, METRIC_MATH_EXPRESSION_LIMIT } from '../guards/limits.ts';
import { checkCommands } from './command-checks.ts';
import { diagnostic } from './diagnostics.ts';
import { didYouMean } from './did-you-mean.ts';
import { metricIdsIn } from './expressions.ts';
import { compileLinear, type LinearRegExp } from './linear-regexp.ts';
import type {
  Application,
  AttributeDefinition,
  Diagnostic,
  GuardCondition,
  SourcePosition,
} from './types.ts';
import type { NodeIndex } from './yaml.ts';

/** AppConfig's predefined deployment strategies, usable without declaring them. */
export const PREDEFINED_STRATEGIES: readonly string[] = [
  'AppConfig.AllAtOnce',
  'AppConfig.Linear50PercentEvery30Seconds',
  'AppConfig.Linear20PercentEvery6Minutes',
  'AppConfig.Canary10Percent20Minutes',
];

export function checkApplication(app: Application, declaredName: unknown, index: NodeIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (typeof declaredName === 'string' && declaredName !== app.name) {
    out.push(
      diagnostic(
        'app-name-mismatch',
        index.value('application'),
        `\`application: ${declaredName}\` does not match its directory ${app.dir}; rename one so they agree.`,
      ),
    );
  }
  checkProfiles(app, index, out);
  checkEnvironments(app, index, out);
  checkGuards(app, index, out);
  checkAcceptance(app, index, out);
  checkFlags(app, index, out);
  checkPolicy(app, index, out);
  checkCommands(app, index, out);
  return out;
}

function checkProfiles(app: Application, index: NodeIndex, out: Diagnostic[]): void {
  for (const profile of Object.values(app.profiles)) {
    if (profile.type === 'AWS.Freeform' && profile.schema === undefined) {
      out.push(
        diagnostic(
          'required',
          index.key(`profiles.${profile.name}`),
          `freeform profile \`${profile.name}\` names no schema; add \`schema: <file>.schema.json\` (a file in schemas/) so its values can be checked.`,
        ),
      );
    }
  }
}

function checkEnvironments(app: Application, index: NodeIndex, out: Diagnostic[]): void {
  const strategies = [...Object.keys(app.strategies), ...PREDEFINED_STRATEGIES];
  for (const env of app.environments) {
    const base = `environments.${env.name}`;
    if (env.strategy !== '' && !strategies.includes(env.strategy)) {
      out.push(
        diagnostic(
          'unknown-strategy',
          index.value(`${base}.strategy`),
          `environment \`${env.name}\` uses strategy \`${env.strategy}\`, which is neither under \`strategies:\` nor a predefined AppConfig.* strategy.${didYouMean(env.strategy, strategies)}`,
        ),
      );
    }
    env.guards.forEach((guard, i) => {
      if (app.guards[guard]) return;
      out.push(
        diagnostic(
          'unknown-guard',
          index.value(`${base}.guards.${i}`),
          `environment \`${env.name}\` watches guard \`${guard}\`, which is not declared under \`guards:\`.${didYouMean(guard, Object.keys(app.guards))}`,
        ),
      );
    });
    // Watched alarms the platform owns stay as they are, but flagops cannot see a sample gate in
    // them: at low traffic one error in five requests may roll a deployment back.
    const managed = new Set(Object.values(app.guards).flatMap((g) => (g.alarm ? [g.alarm] : [])));
    env.alarms.forEach((alarm, i) => {
      if (managed.has(alarm)) return;
      out.push(
        diagnostic(
          'alarm-without-gate',
          index.value(`${base}.alarms.${i}`),
          `environment \`${env.name}\` watches alarm \`${alarm}\`, which no guard compiles (\`alarm:\`), so it has no sample gate flagops knows of: with little traffic it can roll back on a handful of requests. Map it onto a guard with \`min_samples\` and \`alarm: ${alarm}\`, or make sure its metric math gates on the request count (IF(requests >= N, …)).`,
          'warning',
        ),
      );
    });
  }
}

function checkGuards(app: Application, index: NodeIndex, out: Diagnostic[]): void {
  const guards = Object.values(app.guards);
  for (const guard of guards) {
    checkMetricIds(`guard \`${guard.name}\``, `guards.${guard.name}`, guard, index, out);
    const length = longestGuardExpression(guard, guards.length);
    if (length > METRIC_MATH_EXPRESSION_LIMIT)
      out.push(
        diagnostic(
          'expression-too-long',
          index.value(`guards.${guard.name}.value`),
          `guard \`${guard.name}\`: \`value\` becomes a ${length.toLocaleString('en')}-character metric-math expression in CloudWatch (metric ids renamed, FILL and the sample gate added); CloudWatch allows at most ${METRIC_MATH_EXPRESSION_LIMIT.toLocaleString('en')}, so its alarm could not be written and deployments would bake unwatched. Shorten the expression (fewer terms, shorter metric ids) or split it into two guards.`,
        ),
      );
    (guard.appliesWhen ?? []).forEach((condition, i) => {
      const at = `guards.${guard.name}.applies_when.${i}`;
      checkFlagCondition(app, condition, at, `guard \`${guard.name}\` applies when`, index, out);
    });
  }
}

/** `{ flag, when }` naming a declared flag and, in `when`, one of its number attributes. */
function checkFlagCondition(
  app: Application,
  condition: GuardCondition,
  base: string,
  what: string,
  index: NodeIndex,
  out: Diagnostic[],
): void {
  const flag = app.flags[condition.flag];
  if (!flag) {
    out.push(
      diagnostic(
        'unknown-flag',
        index.value(`${base}.flag`),
        `${what} \`${condition.flag}\`, which is not declared under \`flags:\`.${didYouMean(condition.flag, Object.keys(app.flags))}`,
      ),
    );
    return;
  }
  const when = condition.when;
  if (when && flag.attributes[when.attribute]?.type !== 'number') {
    out.push(
      diagnostic(
        'unknown-attribute',
        index.value(`${base}.when`),
        `\`when\` compares \`${when.attribute}\`, which is not a number attribute of flag \`${flag.name}\`.${didYouMean(when.attribute, Object.keys(flag.attributes))}`,
      ),
    );
  }
}

/** A criterion's `guard:` names a comparative guard: only its verdict has a PASS to give. */
function checkCriterionGuard(app: Application, name: string, at: SourcePosition, out: Diagnostic[]): void {
  const guard = app.guards[name];
  if (guard?.comparative !== undefined) return;
  const comparatives = Object.values(app.guards)
    .filter((g) => g.comparative !== undefined)
    .map((g) => g.name);
  const message = guard
    ? `\`guard: ${name}\` is a threshold guard; a criterion can use only a \`kind: comparative\` guard (its PASS verdict). Give the criterion metrics, value and pass_when instead.`
    : `\`guard: ${name}\` is not defined under \`guards:\`.${didYouMean(name, comparatives)}`;
  out.push(diagnostic('unknown-guard', at, message));
}

/** Acceptance criteria use metrics like guards do; the gate names an attribute and environments. */
function checkAcceptance(app: Application, index: NodeIndex, out: Diagnostic[]): void {
  const acceptance = app.acceptance;
  if (!acceptance) return;
  for (const criterion of Object.values(acceptance.criteria)) {
    const base = `acceptance.criteria.${criterion.name}`;
    if (criterion.guard !== undefined)
      checkCriterionGuard(app, criterion.guard, index.value(`${base}.guard`), out);
    else checkMetricIds(`acceptance criterion \`${criterion.name}\``, base, criterion, index, out);
  }
  const envNames = app.environments.map((e) => e.name);
  acceptance.environments.forEach((env, i) => {
    if (!envNames.includes(env))
      out.push(unknownEnvironment(env, envNames, index.value(`acceptance.environments.${i}`)));
  });
  const { flag, attribute, key } = acceptance.requiredFor;
  if (key !== '' && !app.flags[flag]?.attributes[attribute]) {
    const known = Object.values(app.flags).flatMap((f) =>
      Object.keys(f.attributes).map((a) => `${f.name}.${a}`),
    );
    out.push(
      diagnostic(
        'unknown-attribute',
        index.value('acceptance.required_for.attribute'),
        `\`acceptance.required_for.attribute\` is \`${key}\`, which is not an attribute declared under \`flags:\`.${didYouMean(key, known)}`,
      ),
    );
  }
}

function checkMetricIds(
  what: string,
  base: string,
  item: { metrics: Record<string, unknown>; value: string; minSamples?: { metric: string } },
  index: NodeIndex,
  out: Diagnostic[],
): void {
  const ids = Object.keys(item.metrics);
  for (const id of new Set(metricIdsIn(item.value))) {
    if (ids.includes(id)) continue;
    out.push(
      diagnostic(
        'unknown-metric',
        index.value(`${base}.value`),
        `${what}: \`value\` uses \`${id}\`, which is not one of its metrics (${ids.join(', ') || 'none'}).${didYouMean(id, ids)}`,
      ),
    );
  }
  if (item.minSamples && !ids.includes(item.minSamples.metric)) {
    out.push(
      diagnostic(
        'unknown-metric',
        index.value(`${base}.min_samples.metric`),
        `${what}: \`min_samples.metric\` is \`${item.minSamples.metric}\`, which is not one of its metrics (${ids.join(', ')}).${didYouMean(item.minSamples.metric, ids)}`,
      ),
    );
  }
}

function checkFlags(app: Application, index: NodeIndex, out: Diagnostic[]): void {
  const flagNames = Object.keys(app.flags);
  for (const flag of Object.values(app.flags)) {
    for (const attribute of Object.values(flag.attributes)) {
      checkAttribute(`flags.${flag.name}.attributes.${attribute.name}`, attribute, index, out);
    }
    flag.requires.forEach((prerequisite, i) => {
      const base = `flags.${flag.name}.requires.${i}`;
      if (prerequisite.flag === flag.name) {
        out.push(
          diagnostic(
            'unknown-flag',
            index.value(`${base}.flag`),
            `flag \`${flag.name}\` cannot require itself.`,
          ),
        );
      } else if (!app.flags[prerequisite.flag]) {
        out.push(
          diagnostic(
            'unknown-flag',
            index.value(`${base}.flag`),
            `flag \`${flag.name}\` requires \`${prerequisite.flag}\`, which is not declared under \`flags:\`.${didYouMean(prerequisite.flag, flagNames)}`,
          ),
        );
      }
      const when = prerequisite.when;
      if (when && flag.attributes[when.attribute]?.type !== 'number') {
        const names = Object.keys(flag.attributes);
        out.push(
          diagnostic(
            'unknown-attribute',
            index.value(`${base}.when`),
            `\`when\` compares \`${when.attribute}\`, which is not a number attribute of flag \`${flag.name}\`.${didYouMean(when.attribute, names)}`,
          ),
        );
      }
    });
  }
}

/** Constraints AppConfig would reject, or that no value could ever satisfy. */
function checkAttribute(
  path: string,
  attribute: AttributeDefinition,
  index: NodeIndex,
  out: Diagnostic[],
): void {
  const misplaced = (key: string, allowedFor: string) =>
    out.push(
      diagnostic(
        'schema',
        index.key(`${path}.${key}`),
        `\`${key}\` applies to ${allowedFor} attributes only, but \`${attribute.name}\` is of type ${attribute.type}.`,
      ),
    );
  const { type } = attribute;
  if (type !== 'number') {
    if (attribute.minimum !== undefined) misplaced('minimum', 'number');
    if (attribute.maximum !== undefined) misplaced('maximum', 'number');
  }
  if (type !== 'string') {
    if (attribute.enum !== undefined) misplaced('enum', 'string');
    if (attribute.pattern !== undefined) misplaced('pattern', 'string');
  }
  if (type !== 'array' && attribute.elements !== undefined) misplaced('elements', 'array');
  if (type === 'array' && attribute.elements === undefined) {
    out.push(
      diagnostic(
        'required',
        index.key(path),
        `array attribute \`${attribute.name}\` needs \`elements: { type: string }\` or \`{ type: number }\`.`,
      ),
    );
  }
  for (const [where, c] of [
    [path, attribute],
    [`${path}.elements`, attribute.elements],
  ] as const) {
    if (!c) continue;
    if (c.minimum !== undefined && c.maximum !== undefined && c.minimum > c.maximum) {
      out.push(
        diagnostic(
          'minimum',
          index.value(`${where}.minimum`),
          `minimum ${c.minimum} is above maximum ${c.maximum}.`,
        ),
      );
    }
    if (c.enum !== undefined && c.pattern !== undefined) {
      out.push(
        diagnostic(
          'schema',
          index.key(`${where}.pattern`),
          'AppConfig allows `pattern` or `enum`, not both; keep one.',
        ),
      );
    }
    const compiled = c.pattern === undefined ? undefined : compileLinear(c.pattern);
    if (compiled && !compiled.ok) {
      out.push(diagnostic('schema', index.value(`${where}.pattern`), `\`pattern\`: ${compiled.reason}.`));
    }
  }
}

/** A user's pattern for linear-time matching (compiled once per process), or undefined when refused. */
export function compilePattern(pattern: string): LinearRegExp | undefined {
  const compiled = compileLinear(pattern);
  return compiled.ok ? compiled.regexp : undefined;
}

function checkPolicy(app: Application, index: NodeIndex, out: Diagnostic[]): void {
  const envNames = app.environments.map((e) => e.name);
  const flagNames = Object.keys(app.flags);
  for (const rule of app.policy.numeric) {
    // A key without `flag.attribute` form was reported by the schema.
    if (rule.attribute === '') continue;
    const at = index.key(`policy.numeric.${rule.key}`);
    const flag = app.flags[rule.flag];
    if (!flag) {
      out.push(
        diagnostic(
          'unknown-flag',
          at,
          `policy rule \`${rule.key}\` names flag \`${rule.flag}\`, which is not declared under \`flags:\`.${didYouMean(rule.flag, flagNames)}`,
        ),
      );
      continue;
    }
    const attribute = flag.attributes[rule.attribute];
    if (attribute?.type !== 'number') {
      out.push(
        diagnostic(
          'unknown-attribute',
          at,
          `policy rule \`${rule.key}\` names \`${rule.attribute}\`, which is not a number attribute of flag \`${rule.flag}\`.${didYouMean(rule.attribute, Object.keys(flag.attributes))}`,
        ),
      );
      continue;
    }
    const ladder = rule.ladder ?? [];
    ladder.forEach((step, i) => {
      const previous = ladder[i - 1];
      const outside =
        (attribute.minimum !== undefined && step < attribute.minimum) ||
        (attribute.maximum !== undefined && step > attribute.maximum);
      if (previous !== undefined && step <= previous) {
        out.push(
          diagnostic(
            'schema',
            index.value(`policy.numeric.${rule.key}.ladder.${i}`),
            `ladder values must rise: ${step} follows ${previous}.`,
          ),
        );
      } else if (outside) {
        out.push(
          diagnostic(
            step < (attribute.minimum ?? step) ? 'minimum' : 'maximum',
            index.value(`policy.numeric.${rule.key}.ladder.${i}`),
            `ladder value ${step} is outside ${rule.key}'s range ${attribute.minimum ?? '-∞'}..${attribute.maximum ?? '∞'}.`,
          ),
        );
      }
    });
  }
  for (const env of Object.keys(app.policy.dwellMinutes)) {
    if (!envNames.includes(env)) {
      out.push(unknownEnvironment(env, envNames, index.key(`policy.dwell_minutes.${env}`)));
    }
  }
  app.policy.freezeWindows.forEach((window, i) => {
    const base = `policy.freeze_windows.${i}`;
    window.environments.forEach((env, j) => {
      if (!envNames.includes(env))
        out.push(unknownEnvironment(env, envNames, index.value(`${base}.environments.${j}`)));
    });
    const start = Date.parse(window.start);
    const end = Date.parse(window.end);
    for (const [key, instant] of [
      ['start', start],
      ['end', end],
    ] as const) {
      if (window[key] !== '' && Number.isNaN(instant)) {
        out.push(
          diagnostic(
            'schema',
            index.value(`${base}.${key}`),
            `freeze window \`${window.name}\`: \`${key}\` ${window[key]} is not a real date and time; write e.g. 2026-12-21T00:00:00Z.`,
          ),
        );
      }
    }
    if (!Number.isNaN(start) && !Number.isNaN(end) && start >= end) {
      out.push(
        diagnostic(
          'schema',
          index.value(`${base}.end`),
          `freeze window \`${window.name}\` ends (${window.end}) before it starts (${window.start}); \`end\` must be after \`start\`.`,
        ),
      );
    }
  });
}

function unknownEnvironment(env: string, envNames: string[], at: Diagnostic['position']): Diagnostic {
  return diagnostic(
    'unknown-environment',
    at,
    `\`${env}\` is not an environment declared under \`environments:\` (${envNames.join(', ')}).${didYouMean(env, envNames)}`,
  );
}
