/**
 * One look at everything a target watches over a time range: one DescribeAlarms for its alarms and
 * one GetMetricData for all its guards — two API calls per poll, however many guards there are.
 * The same look serves the bake, `flagops status` and a soak watch longer than one job.
 */
import { applicableGuards, type NotApplicable } from '../guards/applies.ts';
import { evaluateGuards } from '../guards/evaluate.ts';
import { buildGuardQuery } from '../guards/query.ts';
import { type AlarmReading, verdictOf, type WatchVerdict } from '../guards/verdict.ts';
import type { Application, EnvironmentDefinition, GuardDefinition, Target } from '../model/types.ts';
import type { PipelineContext } from './context.ts';
import { PipelineError } from './context.ts';

export interface Watched {
  guards: GuardDefinition[];
  alarms: string[];
  /** Guards of the environment that do not apply to the configuration deployed (`applies_when`). */
  notApplicable?: NotApplicable[];
}

/** What a target's environment watches; with the deployed `target`, only the guards that apply to it. */
export function watchedFor(app: Application, env: EnvironmentDefinition, target?: Target): Watched {
  const guards = env.guards.map((name) => {
    const g = app.guards[name];
    if (!g)
      throw new PipelineError(
        `environment ${env.name} watches guard ${name}, which ${app.dir}/app.yaml does not define`,
        1,
      );
    return g;
  });
  const applying = applicableGuards(guards, target);
  return {
    guards: applying.guards,
    alarms: [...env.alarms],
    ...(applying.notApplicable.length > 0 ? { notApplicable: applying.notApplicable } : {}),
  };
}

/** The range a look judges: from the deployment's start to the bake's end (open while unknown). */
export interface WatchRange {
  from: number;
  to?: number;
  /** Until when AppConfig was rolling the deployment out (see the guards' `rampUntil`). */
  rampUntil?: number;
}

/** `reuse.alarms`: readings from the previous poll, instead of a DescribeAlarms this time. */
export async function watchOnce(
  ctx: PipelineContext,
  watched: Watched,
  range: WatchRange,
  reuse?: { alarms: AlarmReading[] },
): Promise<WatchVerdict> {
  const now = ctx.clock.now();
  const query = buildGuardQuery(watched.guards, { from: range.from, now });
  const [alarms, series] = await Promise.all([
    reuse ? Promise.resolve(reuse.alarms) : ctx.aws.cloudwatch.describeAlarms(watched.alarms),
    watched.guards.length > 0 ? ctx.aws.cloudwatch.getMetricData(query) : Promise.resolve([]),
  ]);
  const reports = evaluateGuards(query, series, {
    ...range,
    now,
    allowanceMs: ctx.settings.ingestionAllowanceMs,
  });
  const verdict = verdictOf(reports, alarms, now);
  return watched.notApplicable ? { ...verdict, notApplicable: watched.notApplicable } : verdict;
}

/**
 * Before a bake starts: every watched alarm must exist, or the bake could never be judged on it.
 * Throws a PipelineError naming the missing alarms and the ways to fix it.
 */
export async function preflight(
  ctx: PipelineContext,
  watched: Watched,
  where: string,
): Promise<AlarmReading[]> {
  const alarms = await ctx.aws.cloudwatch.describeAlarms(watched.alarms);
  const missing = alarms.filter((a) => a.state === undefined).map((a) => a.name);
  if (missing.length > 0) {
    throw new PipelineError(
      `${where} watches ${missing.length === 1 ? 'an alarm' : `${missing.length} alarms`} CloudWatch does not have: ${missing.join(', ')} — ` +
        "run `flagops bootstrap` to create the alarms app.yaml compiles from guards (`alarm:`), create the others in CloudWatch, or remove them from the environment's `alarms:`; nothing was deployed",
      1,
    );
  }
  return alarms;
}
