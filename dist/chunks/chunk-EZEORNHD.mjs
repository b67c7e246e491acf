import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  rollback,
  toRef
} from "./chunk-G2W6XMME.mjs";
import {
  watchOnce,
  watchedFor
} from "./chunk-A2XP5DZS.mjs";
import {
  resolveTarget
} from "./chunk-6V5EVRPW.mjs";
import {
  describeBreach
} from "./chunk-CLREIKIU.mjs";
import {
  IN_FLIGHT
} from "./chunk-JUCKGTSM.mjs";
import {
  labelContentHash,
  runningDeployment
} from "./chunk-RGNUHZZM.mjs";
import {
  effectiveNumber,
  soakMinutesFor
} from "./chunk-MKBKQ2QT.mjs";
import {
  targetId
} from "./chunk-EJUDYG2B.mjs";

// src/rollout/soak-watch.ts
var THROUGH = /soak watched through (\d{4}-\d\d-\d\dT[\d:.]+Z)/;
var SOAK_BREACH = "soak breach";
async function watchSoaks(deps) {
  const out = [];
  for (const target of deps.snapshot.repo.targets) {
    if (deps.environment && target.environment !== deps.environment) continue;
    const app = deps.snapshot.repo.applications[target.application];
    if (!app) continue;
    out.push(await watchOne(deps, app, target));
  }
  return out;
}
function soakMinutesOf(app, target) {
  const env = app.environments.find((e) => e.name === target.environment);
  let value = 0;
  let atMaximum = false;
  for (const [flag, def] of Object.entries(app.flags)) {
    for (const [attribute, a] of Object.entries(def.attributes)) {
      if (a.maximum === void 0) continue;
      const v = effectiveNumber(target, flag, attribute);
      value = Math.max(value, v);
      if (v >= a.maximum) atMaximum = true;
    }
  }
  if (atMaximum) return soakMinutesFor(env, 1, 1);
  return soakMinutesFor(env, value, Number.POSITIVE_INFINITY);
}
async function watchOne(deps, app, target) {
  const { ctx } = deps;
  const id = targetId(target);
  const skip = (message, extra = {}) => ({
    target: id,
    status: "skipped",
    message,
    ...extra
  });
  const env = app.environments.find((e) => e.name === target.environment);
  if (!env) return skip("environment not declared");
  const t = await resolveTarget(ctx.aws, target);
  const deployments = await ctx.aws.appconfig.listDeployments(t.application.id, t.environment.id);
  const record = await deps.bakes.latest(target);
  const now = ctx.clock.now();
  if (record?.verdict === "breached" && record.note?.startsWith(SOAK_BREACH)) {
    const until2 = record.completedAt + soakMinutesOf(app, target) * 6e4;
    if (now < Math.max(until2, record.window.to) + 24 * 60 * 6e4) {
      const evidence = evidenceOf(deps, record, []);
      const pr = await deps.revert(evidence);
      return {
        target: id,
        status: "breached",
        message: `soak breach already handled (deployment ${record.deploymentNumber} rolled back)${pr ? `; revert pull request #${pr.number}` : ""}`,
        deploymentNumber: record.deploymentNumber,
        ...pr ? { pullRequest: pr } : {}
      };
    }
  }
  const inFlight = deployments.find((d) => IN_FLIGHT.has(d.state) && d.profileName === t.profile.name);
  if (inFlight) return skip(`deployment ${inFlight.number} is ${inFlight.state}: its bake watches it`);
  const running = runningDeployment(deployments, t.profile.name);
  if (!running) return skip("nothing deployed");
  if (!record || record.deploymentNumber !== running.number || record.contentHash !== labelContentHash(running.versionLabel))
    return skip(`no bake of deployment ${running.number} is recorded: its bake job watches it`);
  if (record.verdict === "breached")
    return skip(`deployment ${running.number}'s bake breached: its rollback is the bake's`);
  const until = record.completedAt + soakMinutesOf(app, target) * 6e4;
  if (until <= record.window.to)
    return skip(`no soak beyond the bake (ended ${iso(record.window.to)})`, {
      deploymentNumber: running.number
    });
  const resumed = resumeFrom(record);
  if (resumed >= until)
    return {
      target: id,
      status: "complete",
      message: `soak complete: no breach through ${iso(until)}`,
      deploymentNumber: running.number,
      until,
      through: resumed
    };
  const watched = watchedFor(app, env, target);
  const lookback = Math.max(
    0,
    ...watched.guards.map((g) => g.consecutive * (g.windowMinutes ?? 1) * g.periodSeconds * 1e3)
  );
  const verdict = await watchOnce(ctx, watched, {
    from: Math.max(record.window.from, resumed - lookback),
    to: until,
    rampUntil: record.completedAt
  });
  if (verdict.status === "breached") {
    const breaches = verdict.breaches;
    const undone = await rollback(ctx, t, { evidence: breaches, deploymentNumber: running.number });
    const note = `${SOAK_BREACH}: ${breaches.map(describeBreach).join("; ")}`;
    const marked = await deps.bakes.update(record, "breached", note);
    const evidence = {
      ...evidenceOf(deps, marked, breaches, undone, running.startedAt),
      badVersion: toRef(running)
    };
    const pr = await deps.revert(evidence);
    return {
      target: id,
      status: "breached",
      message: `${note} — rolled back (${undone.action})${pr ? `; revert pull request #${pr.number}` : ""}`,
      deploymentNumber: running.number,
      until,
      breaches,
      rollback: undone,
      ...pr ? { pullRequest: pr } : {}
    };
  }
  const through = Math.min(
    until,
    watched.guards.length === 0 ? Math.max(resumed, now) : settledThrough(verdict, resumed)
  );
  if (through > resumed) {
    const minutes = Math.floor((through - record.completedAt) / 6e4);
    await deps.bakes.update(
      record,
      record.verdict,
      `soak watched through ${iso(through)} (${minutes} of ${Math.round((until - record.completedAt) / 6e4)} min)`
    );
  }
  return {
    target: id,
    status: through >= until ? "complete" : "watching",
    message: through >= until ? `soak complete: no breach through ${iso(until)}` : `soaking until ${iso(until)}: no breach through ${iso(through)}`,
    deploymentNumber: running.number,
    until,
    through
  };
}
function resumeFrom(record) {
  const m = record.note ? THROUGH.exec(record.note) : null;
  const at = m ? Date.parse(m[1]) : Number.NaN;
  return Number.isFinite(at) ? Math.max(at, record.window.to) : record.window.to;
}
function settledThrough(verdict, previous) {
  let through = Number.POSITIVE_INFINITY;
  for (const g of verdict.guards) {
    let last = previous;
    for (const p of g.periods) {
      if (p.outcome === "pending") break;
      last = Math.max(last, p.end);
    }
    through = Math.min(through, last);
  }
  return Number.isFinite(through) ? through : previous;
}
function evidenceOf(deps, record, breaches, undone, deployedAt) {
  const [application, environment, profile] = record.target.split("/");
  return {
    target: { application, environment, profile },
    breaches,
    reason: record.note ?? SOAK_BREACH,
    deploymentNumber: record.deploymentNumber,
    ...undone?.serving ? { serving: undone.serving } : {},
    ...undone ? { rollbackAction: undone.action } : {},
    ...undone?.redeployNumber !== void 0 ? { redeployNumber: undone.redeployNumber } : {},
    ...deployedAt !== void 0 ? { deployedAt } : {},
    rolledBackAt: deps.ctx.clock.now(),
    ...deps.runUrl ? { runUrl: deps.runUrl } : {}
  };
}
function iso(ms) {
  return new Date(ms).toISOString();
}

export {
  watchSoaks
};
