/**
 * One look at everything a target watches: one DescribeAlarms for its alarms and one
 * GetMetricData for all its guards — two API calls per poll, however many guards there are.
 */
import { evaluateGuards } from '../guards/evaluate.ts';
import { buildGuardQuery } from '../guards/query.ts';
import { type AlarmReading, verdictOf, type WatchVerdict } from '../guards/verdict.ts';
import type { Application, EnvironmentDefinition, GuardDefinition } from '../model/types.ts';
import type { PipelineContext } from './context.ts';
import { PipelineError } from './context.ts';

export interface Watched {
  guards: GuardDefinition[];
  alarms: string[];
}

export function watchedFor(app: Application, env: EnvironmentDefinition): Watched {
  const guards = env.guards.map((name) => {
    const g = app.guards[name];
    if (!g)
      throw new PipelineError(
        `environment ${env.name} watches guard ${name}, which ${app.dir}/app.yaml does not define`,
        1,
      );
    return g;
  });
  return { guards, alarms: [...env.alarms] };
}

/** `reuse.alarms`: readings from the previous poll, instead of a DescribeAlarms this time. */
export async function watchOnce(
  ctx: PipelineContext,
  watched: Watched,
  from: number,
  reuse?: { alarms: AlarmReading[] },
): Promise<WatchVerdict> {
  const now = ctx.clock.now();
  const query = buildGuardQuery(watched.guards, { from, now });
  const [alarms, series] = await Promise.all([
    reuse ? Promise.resolve(reuse.alarms) : ctx.aws.cloudwatch.describeAlarms(watched.alarms),
    watched.guards.length > 0 ? ctx.aws.cloudwatch.getMetricData(query) : Promise.resolve([]),
  ]);
  return verdictOf(evaluateGuards(query, series, { from, now }), alarms, now);
}
