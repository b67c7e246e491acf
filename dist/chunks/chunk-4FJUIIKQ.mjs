import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  PipelineError
} from "./chunk-LZ5O73OD.mjs";
import {
  targetId
} from "./chunk-KAJDPQA3.mjs";

// src/pipeline/resolve.ts
async function resolveTarget(aws, ref) {
  const id = targetId(ref);
  const missing = (what) => new PipelineError(`${what} does not exist in AppConfig; run \`flagops bootstrap\` to create it`);
  const application = (await aws.appconfig.listApplications()).find((a) => a.name === ref.application);
  if (!application) throw missing(`application ${ref.application}`);
  const environment = (await aws.appconfig.listEnvironments(application.id)).find(
    (e) => e.name === ref.environment
  );
  if (!environment) throw missing(`environment ${ref.application}/${ref.environment}`);
  const profile = (await aws.appconfig.listProfiles(application.id)).find((p) => p.name === ref.profile);
  if (!profile) throw missing(`configuration profile ${ref.application}/${ref.profile}`);
  return { ref, id, application, environment, profile };
}
async function resolveStrategyId(aws, app, env) {
  if (env.strategy.startsWith("AppConfig.")) return env.strategy;
  const found = (await aws.appconfig.listStrategies()).find((s) => s.name === env.strategy);
  if (!found) {
    throw new PipelineError(
      `deployment strategy ${env.strategy} (environment ${app.name}/${env.name}) does not exist in AppConfig; run \`flagops bootstrap\``
    );
  }
  return found.id;
}

export {
  resolveTarget,
  resolveStrategyId
};
