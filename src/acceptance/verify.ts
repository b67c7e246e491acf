/**
 * verify(environment): the acceptance criteria over the last complete window, read from CloudWatch
 * in one GetMetricData, judged, and recorded when a store is given.
 */
import type { CloudWatchApi } from '../aws/cloudwatch.ts';
import type { Application } from '../model/types.ts';
import { PipelineError } from '../pipeline/context.ts';
import { type AcceptanceResult, acceptanceQuery, acceptanceWindow, judgeAcceptance } from './criteria.ts';
import type { VerificationRecord, VerificationStore } from './record.ts';

export interface VerifyInput {
  app: Application;
  environment: string;
  cloudwatch: Pick<CloudWatchApi, 'getMetricData'>;
  now: number;
  store?: VerificationStore;
  /** The commit the record names (a branch or sha GitHub knows). */
  ref?: string;
}

export interface VerifyOutcome {
  result: AcceptanceResult;
  record?: VerificationRecord;
}

export async function verifyEnvironment(input: VerifyInput): Promise<VerifyOutcome> {
  const def = input.app.acceptance;
  if (!def)
    throw new PipelineError(
      `${input.app.dir}/app.yaml declares no \`acceptance:\` criteria; add them (window_minutes, max_age_minutes, required_for, criteria) to verify`,
      1,
    );
  if (!input.app.environments.some((e) => e.name === input.environment))
    throw new PipelineError(
      `environment ${input.environment} is not declared in ${input.app.dir}/app.yaml`,
      2,
    );
  const window = acceptanceWindow(def, input.now);
  const query = acceptanceQuery(def, window, input.app.guards);
  const series = await input.cloudwatch.getMetricData(query);
  const result = judgeAcceptance(def, query, series, window);
  if (!input.store) return { result };
  const record = await input.store.record(input.environment, result, input.ref ?? 'main');
  return { result, record };
}
