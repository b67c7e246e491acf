/**
 * From names (what app.yaml says) to AppConfig ids (what the API wants).
 */
import type { EnvironmentInfo, Named, ProfileInfo } from '../aws/appconfig.ts';
import type { Aws } from '../aws/index.ts';
import { type TargetRef, targetId } from '../core/target.ts';
import type { Application, EnvironmentDefinition } from '../model/types.ts';
import { PipelineError } from './context.ts';

export interface ResolvedTarget {
  ref: TargetRef;
  id: string;
  application: Named;
  environment: EnvironmentInfo;
  profile: ProfileInfo;
}

export async function resolveTarget(aws: Aws, ref: TargetRef): Promise<ResolvedTarget> {
  const id = targetId(ref);
  const missing = (what: string) =>
    new PipelineError(`${what} does not exist in AppConfig; run \`flagops bootstrap\` to create it`);
  const application = (await aws.appconfig.listApplications()).find((a) => a.name === ref.application);
  if (!application) throw missing(`application ${ref.application}`);
  const environment = (await aws.appconfig.listEnvironments(application.id)).find(
    (e) => e.name === ref.environment,
  );
  if (!environment) throw missing(`environment ${ref.application}/${ref.environment}`);
  const profile = (await aws.appconfig.listProfiles(application.id)).find((p) => p.name === ref.profile);
  if (!profile) throw missing(`configuration profile ${ref.application}/${ref.profile}`);
  return { ref, id, application, environment, profile };
}

/** Predefined `AppConfig.*` strategies are used by id; the app's own are found by name. */
export async function resolveStrategyId(
  aws: Aws,
  app: Application,
  env: EnvironmentDefinition,
): Promise<string> {
  if (env.strategy.startsWith('AppConfig.')) return env.strategy;
  const found = (await aws.appconfig.listStrategies()).find((s) => s.name === env.strategy);
  if (!found) {
    throw new PipelineError(
      `deployment strategy ${env.strategy} (environment ${app.name}/${env.name}) does not exist in AppConfig; run \`flagops bootstrap\``,
    );
  }
  return found.id;
}
