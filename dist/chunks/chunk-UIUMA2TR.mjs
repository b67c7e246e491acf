import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  verdictOf
} from "./chunk-NAC7TEFE.mjs";
import {
  evaluateGuards
} from "./chunk-PWFSMMBW.mjs";
import {
  PipelineError
} from "./chunk-LZ5O73OD.mjs";
import {
  buildGuardQuery,
  conditionHolds
} from "./chunk-S5U7UAL3.mjs";

// src/guards/applies.ts
function applicableGuards(guards, target) {
  const applying = [];
  const notApplicable = [];
  for (const guard of guards) {
    const failed = target ? (guard.appliesWhen ?? []).find((c) => !holds(c, target)) : void 0;
    if (failed) notApplicable.push({ guard: guard.name, because: conditionText(failed) });
    else applying.push(guard);
  }
  return { guards: applying, notApplicable };
}
function holds(condition, target) {
  const value = target.flags?.[condition.flag];
  const enabled = value?.enabled === true;
  if (!condition.when) return enabled;
  const raw = enabled ? value.attributes[condition.when.attribute] : 0;
  return conditionHolds(condition.when, typeof raw === "number" ? raw : 0);
}
function conditionText(c) {
  return c.when ? `${c.flag}.${c.when.attribute} ${c.when.op} ${c.when.value}` : `${c.flag} enabled`;
}
function describeNotApplicable(list) {
  const byCondition = /* @__PURE__ */ new Map();
  for (const n of list) byCondition.set(n.because, [...byCondition.get(n.because) ?? [], n.guard]);
  return [...byCondition].map(([because, guards]) => `${guards.join(", ")} (applies when ${because})`).join("; ");
}

// src/pipeline/watch.ts
function watchedFor(app, env, target) {
  const guards = env.guards.map((name) => {
    const g = app.guards[name];
    if (!g)
      throw new PipelineError(
        `environment ${env.name} watches guard ${name}, which ${app.dir}/app.yaml does not define`,
        1
      );
    return g;
  });
  const applying = applicableGuards(guards, target);
  return {
    guards: applying.guards,
    alarms: [...env.alarms],
    ...applying.notApplicable.length > 0 ? { notApplicable: applying.notApplicable } : {}
  };
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
  const verdict = verdictOf(reports, alarms, now);
  return watched.notApplicable ? { ...verdict, notApplicable: watched.notApplicable } : verdict;
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
  describeNotApplicable,
  watchedFor,
  watchOnce,
  preflight
};
