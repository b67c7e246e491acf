import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  verdictOf
} from "./chunk-A3LR5SES.mjs";
import {
  evaluateGuards
} from "./chunk-SZZXU6ZL.mjs";
import {
  PipelineError
} from "./chunk-C3K56K75.mjs";
import {
  buildGuardQuery
} from "./chunk-36WHMPUM.mjs";

// src/pipeline/watch.ts
function watchedFor(app, env) {
  const guards = env.guards.map((name) => {
    const g = app.guards[name];
    if (!g)
      throw new PipelineError(
        `environment ${env.name} watches guard ${name}, which ${app.dir}/app.yaml does not define`,
        1
      );
    return g;
  });
  return { guards, alarms: [...env.alarms] };
}
async function watchOnce(ctx, watched, range, reuse) {
  const now = ctx.clock.now();
  const query = buildGuardQuery(watched.guards, { from: range.from, now });
  const [alarms, series] = await Promise.all([
    reuse ? Promise.resolve(reuse.alarms) : ctx.aws.cloudwatch.describeAlarms(watched.alarms),
    watched.guards.length > 0 ? ctx.aws.cloudwatch.getMetricData(query) : Promise.resolve([])
  ]);
  const reports = evaluateGuards(query, series, {
    ...range,
    now,
    allowanceMs: ctx.settings.ingestionAllowanceMs
  });
  return verdictOf(reports, alarms, now);
}
async function preflight(ctx, watched, where) {
  const alarms = await ctx.aws.cloudwatch.describeAlarms(watched.alarms);
  const missing = alarms.filter((a) => a.state === void 0).map((a) => a.name);
  if (missing.length > 0) {
    throw new PipelineError(
      `${where} watches ${missing.length === 1 ? "an alarm" : `${missing.length} alarms`} CloudWatch does not have: ${missing.join(", ")} — run \`flagops bootstrap\` to create the alarms app.yaml compiles from guards (\`alarm:\`), create the others in CloudWatch, or remove them from the environment's \`alarms:\`; nothing was deployed`,
      1
    );
  }
  return alarms;
}

export {
  watchedFor,
  watchOnce,
  preflight
};
