/**
 * How a target's environment deploys and what it watches: the strategy (from `strategies:` or one of
 * AppConfig's predefined ones), our bake, the guards and alarms.
 */
import type {
  Application,
  ComparativeSpec,
  EnvironmentDefinition,
  GuardDefinition,
  StrategyDefinition,
} from '../model/types.ts';
import type { GuardSummary, RolloutSummary, StrategySummary } from './types.ts';

type StrategyTiming = Omit<StrategyDefinition, 'name' | 'description'>;

/** AppConfig's predefined deployment strategies, as documented by AWS. */
export const PREDEFINED_STRATEGIES: Readonly<Record<string, StrategyTiming>> = {
  'AppConfig.AllAtOnce': {
    growthType: 'LINEAR',
    growthFactor: 100,
    durationMinutes: 0,
    finalBakeMinutes: 10,
  },
  'AppConfig.Linear50PercentEvery30Seconds': {
    growthType: 'LINEAR',
    growthFactor: 50,
    durationMinutes: 1,
    finalBakeMinutes: 1,
  },
  'AppConfig.Linear20PercentEvery6Minutes': {
    growthType: 'LINEAR',
    growthFactor: 20,
    durationMinutes: 30,
    finalBakeMinutes: 30,
  },
  'AppConfig.Canary10Percent20Minutes': {
    growthType: 'EXPONENTIAL',
    growthFactor: 10,
    durationMinutes: 20,
    finalBakeMinutes: 10,
  },
};

export function resolveStrategy(app: Application, name: string): StrategySummary {
  const timing = app.strategies[name] ?? PREDEFINED_STRATEGIES[name];
  if (!timing) return { name, known: false };
  return {
    name,
    known: true,
    growthType: timing.growthType,
    growthFactor: timing.growthFactor,
    durationMinutes: timing.durationMinutes,
    finalBakeMinutes: timing.finalBakeMinutes,
  };
}

export function rolloutFor(app: Application, environment: EnvironmentDefinition): RolloutSummary {
  const strategy = resolveStrategy(app, environment.strategy);
  const guards: GuardSummary[] = [];
  const unknownGuards: string[] = [];
  const comparatives = environment.guards.filter((n) => app.guards[n]?.comparative !== undefined).length;
  for (const name of environment.guards) {
    const guard = app.guards[name];
    if (guard) guards.push(summariseGuard(guard, comparatives));
    else unknownGuards.push(name);
  }
  const total =
    strategy.durationMinutes !== undefined && strategy.finalBakeMinutes !== undefined
      ? { totalMinutes: strategy.durationMinutes + strategy.finalBakeMinutes + environment.bakeMinutes }
      : {};
  return {
    strategy,
    bakeMinutes: environment.bakeMinutes,
    ...total,
    guards,
    unknownGuards,
    alarms: [...environment.alarms],
  };
}

function summariseGuard(guard: GuardDefinition, comparatives: number): GuardSummary {
  const unit = guard.unit ? ` ${guard.unit}` : '';
  return {
    name: guard.name,
    ...(guard.description !== undefined ? { description: guard.description } : {}),
    breachWhen: `${guard.value} ${guard.breachWhen.op} ${guard.breachWhen.threshold}${unit}`,
    consecutive: guard.consecutive,
    periodSeconds: guard.periodSeconds,
    ...(guard.comparative ? { comparative: comparativeRule(guard.comparative, comparatives) } : {}),
  };
}

/**
 * What a reviewer needs to judge a comparative guard (docs/guards-comparative.md): which two
 * series it compares, the margin, and the false-rollback budget it spends.
 */
function comparativeRule(spec: ComparativeSpec, comparatives: number): string {
  const side = (dims: Record<string, string>) =>
    Object.entries(dims)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
  const what = spec.measure === 'events' ? 'rate per request' : 'mean';
  const ratio = 1 + spec.marginPercent / 100;
  const split = `${comparatives} comparative guard${comparatives === 1 ? '' : 's'} × ${spec.steps} step${spec.steps === 1 ? '' : 's'}`;
  return (
    `rolls back when its ${what} for ${side(spec.treatment)} is shown above ${ratio}× that of ${side(spec.control)} ` +
    `in the same minutes (always-valid sequential test, looked at every minute; false-rollback budget ` +
    `${spec.falseAlarmPercent} % per rollout, split over ${split})`
  );
}
