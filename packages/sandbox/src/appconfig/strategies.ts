/** The four deployment strategies every AWS account has (ids double as names). */
import type { DeploymentStrategy } from './state.ts';

function predefined(
  id: string,
  growthType: DeploymentStrategy['GrowthType'],
  growthFactor: number,
  durationMinutes: number,
  bakeMinutes: number,
  description: string,
): DeploymentStrategy {
  return {
    Id: id,
    Name: id,
    Description: description,
    GrowthType: growthType,
    GrowthFactor: growthFactor,
    DeploymentDurationInMinutes: durationMinutes,
    FinalBakeTimeInMinutes: bakeMinutes,
    ReplicateTo: 'NONE',
    Tags: {},
  };
}

export const PREDEFINED_STRATEGIES: readonly DeploymentStrategy[] = [
  predefined('AppConfig.AllAtOnce', 'LINEAR', 100, 0, 10, 'Quick: all targets at once, 10 minute bake'),
  predefined(
    'AppConfig.Linear50PercentEvery30Seconds',
    'LINEAR',
    50,
    1,
    1,
    'Test/demo: 50% every 30 seconds, 1 minute bake',
  ),
  predefined(
    'AppConfig.Linear20PercentEvery6Minutes',
    'LINEAR',
    20,
    30,
    30,
    'AWS recommended: 20% every 6 minutes, 30 minute bake',
  ),
  predefined(
    'AppConfig.Canary10Percent20Minutes',
    'EXPONENTIAL',
    10,
    20,
    10,
    'AWS recommended: exponential from 10% over 20 minutes, 10 minute bake',
  ),
];

export function isPredefinedStrategyId(id: string): boolean {
  return id.startsWith('AppConfig.');
}
