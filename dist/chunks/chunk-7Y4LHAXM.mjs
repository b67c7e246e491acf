import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  watchOnce,
  watchedFor
} from "./chunk-A2XP5DZS.mjs";
import {
  compileSnapshot,
  runsContent
} from "./chunk-S7F72NEB.mjs";
import {
  resolveTarget
} from "./chunk-6V5EVRPW.mjs";
import {
  IN_FLIGHT
} from "./chunk-KJE3SVFT.mjs";
import {
  runningDeployment
} from "./chunk-RGNUHZZM.mjs";
import {
  decompileFeatureFlags
} from "./chunk-EJUDYG2B.mjs";

// src/pipeline/status.ts
var GUARD_WINDOW_MS = 15 * 6e4;
async function readStatus(ctx, ref, content, holds) {
  const compiled = compileSnapshot(await content(), ref);
  const t = await resolveTarget(ctx.aws, ref);
  const deployments = await ctx.aws.appconfig.listDeployments(t.application.id, t.environment.id);
  const running = runningDeployment(deployments, t.profile.name);
  const inFlight = deployments.find((d) => IN_FLIGHT.has(d.state));
  let deployed;
  let inSync = false;
  if (running) {
    const version = await ctx.aws.appconfig.getHostedVersion(
      t.application.id,
      t.profile.id,
      Number(running.version)
    );
    const bytes = Buffer.from(version.content);
    const decoded = compiled.target.profileType === "AWS.AppConfig.FeatureFlags" ? decompileFeatureFlags(bytes) : void 0;
    deployed = {
      deploymentNumber: running.number,
      number: Number(running.version),
      ...running.versionLabel ? { label: running.versionLabel } : {},
      ...running.completedAt !== void 0 ? { completedAt: running.completedAt } : {},
      ...decoded?.ok ? { flags: decoded.flags } : {},
      ...decoded === void 0 ? { data: safeJson(bytes) } : {}
    };
    inSync = await runsContent(ctx, t, running, {
      sha256: compiled.document.sha256,
      profileType: compiled.target.profileType
    });
  }
  const envDef = compiled.app.environments.find((e) => e.name === ref.environment);
  const watched = envDef ? watchedFor(compiled.app, envDef, compiled.target) : void 0;
  const guards = watched && (watched.guards.length > 0 || watched.alarms.length > 0) ? await watchOnce(ctx, watched, { from: ctx.clock.now() - GUARD_WINDOW_MS }) : void 0;
  return {
    target: t.id,
    repo: {
      commit: compiled.commit.sha,
      sha256: compiled.document.sha256,
      ...compiled.target.flags ? { flags: compiled.target.flags } : {},
      ...compiled.target.data !== void 0 ? { data: compiled.target.data } : {}
    },
    ...deployed ? { deployed } : {},
    inSync,
    ...inFlight ? {
      inFlight: {
        deploymentNumber: inFlight.number,
        ...inFlight.profileName ? { profile: inFlight.profileName } : {},
        state: inFlight.state,
        percent: inFlight.percentageComplete,
        version: inFlight.version
      }
    } : {},
    ...guards ? { guards } : {},
    hold: await holds.check(ref)
  };
}
function safeJson(bytes) {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return bytes.toString("utf8");
  }
}

export {
  readStatus
};
