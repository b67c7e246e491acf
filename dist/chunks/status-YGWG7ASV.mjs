import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  advanceAll,
  advanceDepsFromEnv
} from "./chunk-RGQS7KGG.mjs";
import "./chunk-N3YVVLY2.mjs";
import "./chunk-2FXE6J6X.mjs";
import "./chunk-5PF2FZBE.mjs";
import "./chunk-5XP62VFB.mjs";
import "./chunk-DKJJ2XPZ.mjs";
import "./chunk-UNCDWQFU.mjs";
import "./chunk-CJGDFX3A.mjs";
import "./chunk-MKBKQ2QT.mjs";
import "./chunk-XC3Q56L7.mjs";
import {
  watchOnce,
  watchedFor
} from "./chunk-UIUMA2TR.mjs";
import {
  holdsFromEnv,
  noHolds
} from "./chunk-MC4HVM52.mjs";
import {
  silentReporter
} from "./chunk-J7M4JPKA.mjs";
import {
  compileSnapshot,
  runsContent
} from "./chunk-Z3X7HJHO.mjs";
import {
  resolveTarget
} from "./chunk-4FJUIIKQ.mjs";
import "./chunk-NAC7TEFE.mjs";
import {
  describeGuard
} from "./chunk-PWFSMMBW.mjs";
import {
  makeContext
} from "./chunk-LZ5O73OD.mjs";
import {
  IN_FLIGHT,
  runtimeFromEnvironment,
  workingTreeContent
} from "./chunk-BEQOJOJR.mjs";
import "./chunk-DOYWIERC.mjs";
import {
  runningDeployment
} from "./chunk-RGNUHZZM.mjs";
import "./chunk-VJ6H3ZYA.mjs";
import "./chunk-5ASYAPI3.mjs";
import "./chunk-PX4VJDWW.mjs";
import {
  loadWorkingTree
} from "./chunk-7GHZ77ZE.mjs";
import {
  decompileFeatureFlags
} from "./chunk-KAJDPQA3.mjs";
import {
  TARGET_OPTIONS,
  targetFromArgs
} from "./chunk-SLK3YAOL.mjs";
import "./chunk-S5U7UAL3.mjs";
import {
  EXIT
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

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

// src/cli/commands/status.ts
var command = {
  name: "status",
  summary: "Show repo value, deployed version and value, in-flight deployment, guards, hold",
  options: {
    ...TARGET_OPTIONS,
    json: { type: "boolean", description: "Print the status as JSON", default: false }
  },
  async run(args, io) {
    const { root, app, target } = targetFromArgs(args, io, loadWorkingTree);
    const runtime = await runtimeFromEnvironment(io.env);
    const ctx = makeContext({ ...runtime, reporter: silentReporter });
    const content = workingTreeContent(root);
    const ref = { application: app.name, environment: target.environment, profile: target.profile };
    const status = await readStatus(ctx, ref, content, holdsFromEnv(io.env) ?? noHolds);
    if (target.rollout) {
      const outcomes = await advanceAll(
        advanceDepsFromEnv(io.env, {
          root,
          ctx,
          snapshot: await content(),
          dryRun: true,
          environment: target.environment
        })
      );
      const mine = outcomes.find((o) => o.target === status.target);
      if (mine) status.rollout = { plan: target.rollout, advancer: mine.message };
    }
    if (args.options["json"] === true) {
      io.stdout(`${JSON.stringify(status, null, 2)}
`);
      return EXIT.ok;
    }
    io.stdout(`${renderStatus(status)}
`);
    return EXIT.ok;
  }
};
function renderStatus(s) {
  const lines = [`${s.target}`];
  lines.push(
    `  repository   commit ${s.repo.commit.slice(0, 12)}: ${describeValues(s.repo.flags, s.repo.data)}`
  );
  if (s.deployed) {
    lines.push(
      `  deployed     version ${s.deployed.number}${s.deployed.label ? ` (${s.deployed.label})` : ""}, deployment ${s.deployed.deploymentNumber}: ${describeValues(s.deployed.flags, s.deployed.data)}`
    );
  } else {
    lines.push("  deployed     nothing yet");
  }
  lines.push(
    `  in sync      ${s.inSync ? "yes" : "no — `flagops deploy` would deploy the repository content"}`
  );
  lines.push(
    `  in flight    ${s.inFlight ? `deployment ${s.inFlight.deploymentNumber} (${s.inFlight.profile ?? "?"}) ${s.inFlight.state} ${s.inFlight.percent}%` : "none"}`
  );
  if (s.guards) {
    lines.push(`  guards       ${s.guards.status}`);
    for (const g of s.guards.guards) lines.push(`    ${describeGuard(g)}`);
    for (const a of s.guards.alarms) lines.push(`    alarm ${a.name}: ${a.state ?? "not found"}`);
  }
  lines.push(`  hold         ${s.hold.held ? `HELD — ${s.hold.reason}` : "none"}`);
  if (s.rollout) {
    const p = s.rollout.plan;
    lines.push(
      `  rollout      ${p.flag}.${p.attribute} to ${p.target} in steps of ${p.step}, ${p.waitMinutes} min apart`
    );
    lines.push(`  advancer     ${s.rollout.advancer}`);
  }
  return lines.join("\n");
}
function describeValues(flags, data) {
  if (!flags) return data === void 0 ? "—" : JSON.stringify(data).slice(0, 120);
  return Object.entries(flags).map(([name, v]) => {
    const attrs = Object.entries(v.attributes).map(([k, x]) => `${k}=${String(x)}`).join(" ");
    return `${name} ${v.enabled ? "on" : "off"}${attrs ? ` ${attrs}` : ""}`;
  }).join(", ");
}
export {
  command,
  renderStatus
};
