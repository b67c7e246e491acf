/**
 * How a target's environment deploys and what it watches: the strategy (from `strategies:` or one of
 * AppConfig's predefined ones), our bake, the guards and alarms.
 */
import type {
  Application,
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
  for (const name of environment.guards) {
    const guard = app.guards[name];
    if (guard) guards.push(summariseGuard(guard));
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

function summariseGuard(guard: GuardDefinition): GuardSummary {
  const unit = guard.unit ? ` ${guard.unit}` : '';
  return {
    name: guard.name,
    ...(guard.description !== undefined ? { description: guard.description } : {}),
    breachWhen: `${guard.value} ${guard.breachWhen.op} ${guard.breachWhen.threshold}${unit}`,
    consecutive: guard.consecutive,
    periodSeconds: guard.periodSeconds,
  };
}
