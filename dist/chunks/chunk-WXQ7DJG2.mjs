import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  compileSnapshot,
  labelNamesContent,
  runsContent
} from "./chunk-Z3X7HJHO.mjs";
import {
  resolveStrategyId,
  resolveTarget
} from "./chunk-4FJUIIKQ.mjs";
import {
  describeBreach
} from "./chunk-NAC7TEFE.mjs";
import {
  PipelineError,
  say
} from "./chunk-LZ5O73OD.mjs";
import {
  AwsProblem,
  IN_FLIGHT
} from "./chunk-BEQOJOJR.mjs";
import {
  runningDeployment,
  versionDescription,
  versionLabel
} from "./chunk-RGNUHZZM.mjs";
import {
  targetId
} from "./chunk-KAJDPQA3.mjs";

// src/pipeline/wait.ts
async function pollDeployment(ctx, t, deploymentNumber) {
  let failures = 0;
  for (; ; ) {
    try {
      return await ctx.aws.appconfig.getDeployment(t.application.id, t.environment.id, deploymentNumber);
    } catch (error) {
      failures += 1;
      if (!isTransient(error) || failures > ctx.settings.toleratedPollFailures) throw error;
      say(ctx, t.id, { kind: "warning", message: `poll failed, retrying: ${error.message}` });
      await ctx.clock.sleep(ctx.settings.deployPollMinMs);
    }
  }
}
function isTransient(error) {
  return error instanceof AwsProblem && ["unreachable", "throttled", "server"].includes(error.kind);
}
async function waitForDeployment(ctx, t, start, options) {
  const deadline = ctx.clock.now() + options.timeoutMs;
  let delay = ctx.settings.deployPollMinMs;
  let current = start;
  let seenEvents = new Set(current.events.map(eventKey));
  const progress = progressReporter(ctx, t, options.label);
  for (; ; ) {
    progress(current);
    if (!IN_FLIGHT.has(current.state)) return { settled: true, deployment: current };
    if (ctx.clock.now() >= deadline) return { settled: false, deployment: current };
    await ctx.clock.sleep(Math.min(delay, Math.max(0, deadline - ctx.clock.now())));
    delay = Math.min(ctx.settings.deployPollMaxMs, delay * 1.5);
    current = await pollDeployment(ctx, t, current.number);
    seenEvents = reportNewEvents(ctx, t, current, seenEvents);
  }
}
function progressReporter(ctx, t, label) {
  let last = "";
  return (d) => {
    const line = `${label ?? `deployment ${d.number}`}: ${d.state} ${d.percentageComplete}%`;
    if (line === last) return;
    last = line;
    say(ctx, t.id, {
      kind: "progress",
      deployment: d.number,
      state: d.state,
      percent: d.percentageComplete,
      message: line
    });
  };
}
function reportNewEvents(ctx, t, d, seen) {
  for (const e of [...d.events].reverse()) {
    const key = eventKey(e);
    if (seen.has(key)) continue;
    seen.add(key);
    if (e.type === "PERCENTAGE_UPDATED") continue;
    say(ctx, t.id, {
      kind: e.type.startsWith("ROLLBACK") ? "warning" : "info",
      message: `AppConfig: ${e.type.toLowerCase().replaceAll("_", " ")}${e.triggeredBy ? ` (${e.triggeredBy})` : ""}${e.description ? ` — ${e.description}` : ""}`
    });
  }
  return seen;
}
function eventKey(e) {
  return `${e.type}|${e.at}|${e.description}`;
}

// src/pipeline/deploy.ts
var MAX_ROUNDS = 20;
var CREATE_ATTEMPTS = 4;
async function deploy(ctx, ref, options) {
  const id = targetId(ref);
  const hold = await options.holds.check(ref);
  let content = compileSnapshot(await options.content(), ref);
  const resolved = await resolveTarget(ctx.aws, ref);
  const envDef = content.app.environments.find((e) => e.name === ref.environment);
  if (!envDef)
    throw new PipelineError(
      `environment ${ref.environment} is not declared in ${content.app.dir}/app.yaml`,
      2
    );
  const strategyId = await resolveStrategyId(ctx.aws, content.app, envDef);
  const { application, environment, profile } = resolved;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const deployments = await ctx.aws.appconfig.listDeployments(application.id, environment.id);
    const inFlight = deployments.find((d) => IN_FLIGHT.has(d.state));
    const running = runningDeployment(deployments, profile.name);
    const previous = running ? toRef(running) : void 0;
    if (inFlight && inFlight.profileName === profile.name && labelNamesContent(inFlight.versionLabel, content.document.sha256)) {
      say(ctx, id, {
        kind: "info",
        message: `deployment ${inFlight.number} of this content is already in flight; following it`
      });
      const deployment = await ctx.aws.appconfig.getDeployment(
        application.id,
        environment.id,
        inFlight.number
      );
      const before = runningDeployment(
        deployments.filter((d) => d.number < inFlight.number),
        profile.name
      );
      return started(resolved, content, deployment, before ? toRef(before) : void 0, true);
    }
    if (inFlight) {
      say(ctx, id, {
        kind: "info",
        message: `environment busy: deployment ${inFlight.number} (${inFlight.profileName ?? "another profile"}) is ${inFlight.state}; waiting for it`
      });
      const waited = await waitForDeployment(ctx, resolved, inFlight, {
        timeoutMs: ctx.settings.inFlightWaitMs,
        label: `waiting for deployment ${inFlight.number}`
      });
      if (!waited.settled) {
        throw new PipelineError(
          `deployment ${inFlight.number} in ${id.split("/").slice(0, 2).join("/")} is still ${waited.deployment.state} after ${Math.round(ctx.settings.inFlightWaitMs / 6e4)} minutes; re-run once it has finished (or stop it)`,
          3
        );
      }
      content = await reread(ctx, id, content, options.content, ref);
      continue;
    }
    if (running && await runsContent(ctx, resolved, running, wantedOf(content))) {
      say(ctx, id, {
        kind: "info",
        message: `nothing to do: version ${running.version}${running.versionLabel ? ` (${running.versionLabel})` : ""} already runs this content`
      });
      return { status: "unchanged", resolved, content, running: toRef(running) };
    }
    if (hold.held) {
      say(ctx, id, { kind: "warning", message: `held, not deploying: ${hold.reason}` });
      return { status: "held", reason: hold.reason, ...hold.url ? { url: hold.url } : {} };
    }
    const version = await ensureVersion(ctx, resolved, content);
    await options.onStep?.("version-ready");
    const fresh = await reread(ctx, id, content, options.content, ref);
    if (short(fresh) !== short(content)) {
      content = fresh;
      continue;
    }
    try {
      const deployment = await ctx.aws.appconfig.startDeployment(application.id, environment.id, {
        profileId: profile.id,
        strategyId,
        version: String(version.versionNumber),
        description: versionDescription(id, content.commit)
      });
      say(ctx, id, {
        kind: "info",
        message: `started deployment ${deployment.number}: version ${version.versionNumber} (${version.versionLabel}) with ${envDef.strategy}${previous ? `, replacing version ${previous.number}` : ""}`
      });
      await options.onStep?.("started");
      return started(resolved, content, deployment, previous, false);
    } catch (error) {
      if (error instanceof AwsProblem && (error.kind === "conflict" || isTransient(error))) {
        say(ctx, id, {
          kind: "info",
          message: `could not start yet (${error.code}); checking the environment again`
        });
        continue;
      }
      throw error;
    }
  }
  throw new PipelineError(
    `gave up after ${MAX_ROUNDS} attempts to start a deployment in a busy environment; re-run`,
    3
  );
}
function started(resolved, content, deployment, previous, adopted) {
  return {
    status: "started",
    resolved,
    content,
    deployment,
    version: {
      number: Number(deployment.version),
      ...deployment.versionLabel ? { label: deployment.versionLabel } : {}
    },
    ...previous ? { previous } : {},
    adopted
  };
}
async function reread(ctx, id, current, provider, ref) {
  const fresh = compileSnapshot(await provider(), ref);
  if (short(fresh) !== short(current)) {
    say(ctx, id, {
      kind: "info",
      message: `main moved on: deploying the newest content (commit ${fresh.commit.sha.slice(0, 12)}) instead of commit ${current.commit.sha.slice(0, 12)}`
    });
  }
  return fresh;
}
async function ensureVersion(ctx, t, content) {
  const label = versionLabel(content.commit.sha, content.document.sha256);
  for (let attemptNo = 1; ; attemptNo += 1) {
    const existing = await ctx.aws.appconfig.findHostedVersions(t.application.id, t.profile.id, label);
    const newest = existing.sort((a, b) => b.versionNumber - a.versionNumber)[0];
    if (newest) {
      say(ctx, t.id, {
        kind: "info",
        message: `reusing hosted version ${newest.versionNumber} (${label}) left by an earlier run`
      });
      return { ...newest, versionLabel: label };
    }
    try {
      const created = await ctx.aws.appconfig.createHostedVersion(t.application.id, t.profile.id, {
        content: content.document.content,
        contentType: content.document.contentType,
        label,
        description: versionDescription(t.id, content.commit)
      });
      say(ctx, t.id, {
        kind: "info",
        message: `created hosted version ${created.versionNumber} (${label}, ${content.document.size} bytes)`
      });
      return { ...created, versionLabel: label };
    } catch (error) {
      if (!isTransient(error) || attemptNo >= CREATE_ATTEMPTS) throw error;
      say(ctx, t.id, {
        kind: "warning",
        message: `creating the hosted version failed, retrying: ${error.message}`
      });
      await ctx.clock.sleep(ctx.settings.deployPollMinMs * attemptNo);
    }
  }
}
function wantedOf(content) {
  return { sha256: content.document.sha256, profileType: content.target.profileType };
}
function short(content) {
  return content.document.sha256.slice(0, 16);
}
function toRef(d) {
  return { number: Number(d.version), ...d.versionLabel ? { label: d.versionLabel } : {} };
}

// src/pipeline/rollback.ts
var REVERT_WINDOW_MS = 72 * 60 * 6e4;
var ROLLBACK_STRATEGY = "AppConfig.AllAtOnce";
async function rollback(ctx, t, options) {
  const { application, environment, profile } = t;
  const why = options.reason ?? options.evidence.map(describeBreach).join("; ");
  const timeoutMs = options.timeoutMs ?? 30 * 6e4;
  const deployments = (await ctx.aws.appconfig.listDeployments(application.id, environment.id)).sort(
    (a, b) => b.number - a.number
  );
  const ours = deployments.filter((d) => d.profileName === profile.name);
  const targetSummary = options.deploymentNumber !== void 0 ? ours.find((d) => d.number === options.deploymentNumber) : ours[0];
  if (!targetSummary) {
    say(ctx, t.id, { kind: "info", message: "nothing to roll back: no deployment of this profile" });
    return { action: "nothing-deployed", verified: true, at: ctx.clock.now() };
  }
  const before = runningDeployment(
    ours.filter((d) => d.number < targetSummary.number),
    profile.name
  );
  const previous = before ? toRef(before) : void 0;
  let target = await ctx.aws.appconfig.getDeployment(application.id, environment.id, targetSummary.number);
  let action;
  let redeployNumber;
  say(ctx, t.id, {
    kind: "warning",
    message: `rolling back deployment ${target.number} (${target.state}) to ${previous ? `version ${previous.number}` : "nothing"}${why ? ` — ${why}` : ""}`
  });
  if (target.state === "ROLLED_BACK" || target.state === "REVERTED") {
    action = "already-rolled-back";
  } else if (target.state === "ROLLING_BACK") {
    target = await settle(ctx, t, target, timeoutMs);
    action = "already-rolled-back";
  } else if (target.state !== "COMPLETE") {
    target = await stop(ctx, t, target.number, false);
    target = await settle(ctx, t, target, timeoutMs);
    action = "stopped";
  } else if (target.completedAt !== void 0 && ctx.clock.now() - target.completedAt < REVERT_WINDOW_MS) {
    try {
      target = await stop(ctx, t, target.number, true);
      target = await settle(ctx, t, target, timeoutMs);
      action = "reverted";
    } catch (error) {
      if (!(error instanceof AwsProblem && error.kind === "invalid")) throw error;
      redeployNumber = await redeploy(ctx, t, previous, timeoutMs);
      action = "redeployed";
    }
  } else {
    redeployNumber = await redeploy(ctx, t, previous, timeoutMs);
    action = "redeployed";
  }
  const verified = await verify(ctx, t, previous);
  say(ctx, t.id, {
    kind: verified ? "info" : "warning",
    message: verified ? `rolled back: ${t.ref.environment} serves ${previous ? `version ${previous.number}${previous.label ? ` (${previous.label})` : ""}` : "no configuration"} again` : `rollback finished but the environment does not serve version ${previous?.number} yet; check \`flagops status\``
  });
  return {
    action,
    deploymentNumber: target.number,
    ...redeployNumber !== void 0 ? { redeployNumber } : {},
    ...previous ? { serving: previous } : {},
    verified,
    at: ctx.clock.now()
  };
}
async function stop(ctx, t, n, allowRevert) {
  try {
    const d = await ctx.aws.appconfig.stopDeployment(t.application.id, t.environment.id, n, allowRevert);
    say(ctx, t.id, {
      kind: "info",
      message: `StopDeployment ${n}${allowRevert ? " (AllowRevert)" : ""}: ${d.state}`
    });
    return d;
  } catch (error) {
    const now = await ctx.aws.appconfig.getDeployment(t.application.id, t.environment.id, n);
    if (["ROLLING_BACK", "ROLLED_BACK", "REVERTED"].includes(now.state)) return now;
    throw error;
  }
}
async function settle(ctx, t, d, timeoutMs) {
  const waited = await waitForDeployment(ctx, t, d, {
    timeoutMs,
    label: `rollback of deployment ${d.number}`
  });
  if (!waited.settled) {
    throw new PipelineError(
      `deployment ${d.number} is still ${waited.deployment.state} after the rollback was requested; check the AppConfig console`,
      3
    );
  }
  return waited.deployment;
}
async function redeploy(ctx, t, previous, timeoutMs) {
  if (!previous) {
    throw new PipelineError(
      `deployment of ${t.id} completed more than 72 h ago and there is no earlier version to deploy; fix forward with a pull request`
    );
  }
  const d = await ctx.aws.appconfig.startDeployment(t.application.id, t.environment.id, {
    profileId: t.profile.id,
    strategyId: ROLLBACK_STRATEGY,
    version: String(previous.number),
    description: `flagops rollback: redeploying version ${previous.number}`
  });
  say(ctx, t.id, {
    kind: "info",
    message: `deployment ${d.number}: redeploying version ${previous.number} with ${ROLLBACK_STRATEGY}`
  });
  const done = await settle(ctx, t, d, timeoutMs);
  if (done.state !== "COMPLETE")
    throw new PipelineError(`redeploying version ${previous.number} ended ${done.state}`, 3);
  return d.number;
}
async function verify(ctx, t, previous) {
  const deployments = await ctx.aws.appconfig.listDeployments(t.application.id, t.environment.id);
  const running = runningDeployment(deployments, t.profile.name);
  if (!previous) return running === void 0;
  if (!running || Number(running.version) !== previous.number) return false;
  if (previous.label === void 0) return true;
  const served = await ctx.aws.served.served(t.application.name, t.environment.name, t.profile.name);
  return served.versionLabel === previous.label;
}

export {
  pollDeployment,
  isTransient,
  waitForDeployment,
  progressReporter,
  reportNewEvents,
  deploy,
  toRef,
  rollback
};
