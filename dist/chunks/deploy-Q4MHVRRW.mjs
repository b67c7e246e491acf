import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  terminalReporter
} from "./chunk-VOYBL4Q7.mjs";
import {
  deploy,
  isTransient,
  pollDeployment,
  progressReporter,
  reportNewEvents,
  rollback,
  waitForDeployment
} from "./chunk-WXQ7DJG2.mjs";
import {
  syncDashboards
} from "./chunk-5FMCSJNL.mjs";
import {
  failureOf
} from "./chunk-6V4MMWHH.mjs";
import {
  describeNotApplicable,
  preflight,
  watchOnce,
  watchedFor
} from "./chunk-UIUMA2TR.mjs";
import {
  holdsFromEnv,
  noHolds
} from "./chunk-MC4HVM52.mjs";
import {
  formatTimeline,
  recordingReporter
} from "./chunk-J7M4JPKA.mjs";
import {
  compileSnapshot,
  fixedContent
} from "./chunk-Z3X7HJHO.mjs";
import "./chunk-4FJUIIKQ.mjs";
import {
  describeBreach
} from "./chunk-NAC7TEFE.mjs";
import "./chunk-PWFSMMBW.mjs";
import {
  PipelineError,
  makeContext,
  say
} from "./chunk-LZ5O73OD.mjs";
import {
  runtimeFromEnvironment,
  workingTreeContent
} from "./chunk-BEQOJOJR.mjs";
import "./chunk-DOYWIERC.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-VJ6H3ZYA.mjs";
import "./chunk-5ASYAPI3.mjs";
import "./chunk-PX4VJDWW.mjs";
import {
  loadWorkingTree
} from "./chunk-7GHZ77ZE.mjs";
import {
  targetId
} from "./chunk-KAJDPQA3.mjs";
import {
  TARGET_OPTIONS,
  targetFromArgs
} from "./chunk-SLK3YAOL.mjs";
import "./chunk-S5U7UAL3.mjs";
import {
  CliError,
  exitCodeOf,
  messageOf
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/pipeline/appconfig-rollback.ts
function appConfigRollbackBreach(d, fallbackAt) {
  const started = d.events.find((e) => e.type === "ROLLBACK_STARTED" || e.type === "REVERT_COMPLETED");
  return {
    kind: "appconfig-rollback",
    deploymentNumber: d.number,
    triggeredBy: started?.triggeredBy ?? "APPCONFIG",
    description: started?.description || `deployment ended ${d.state}`,
    at: started?.at ?? fallbackAt
  };
}

// src/pipeline/schedule.ts
function nextLook(reports, input) {
  const { now, settings } = input;
  const candidates = [];
  const steps = input.guards.map((g) => g.periodSeconds * 1e3);
  if (steps.length === 0) candidates.push(now + settings.pollIntervalMs);
  else {
    const base = Math.floor((now - settings.readDelayMs) / Math.min(...steps)) * Math.min(...steps);
    const phase = base + settings.readDelayMs;
    candidates.push(
      phase + (Math.floor((now - phase) / settings.pollIntervalMs) + 1) * settings.pollIntervalMs
    );
  }
  for (const step of steps) {
    const end = Math.floor((now - settings.readDelayMs) / step) * step + step;
    candidates.push(end + settings.readDelayMs);
  }
  const backoff = Math.min(
    settings.pollIntervalMs,
    settings.readDelayMs * 2 ** Math.min(input.quietLooks + 1, 16)
  );
  for (const r of reports) {
    for (const p of r.periods) {
      if (p.outcome !== "pending") continue;
      candidates.push(now + backoff);
      const due = p.end + settings.ingestionAllowanceMs;
      if (due > now) candidates.push(due);
    }
  }
  if (input.to !== void 0 && input.to > now) candidates.push(input.to);
  return Math.max(now + 1, Math.min(...candidates));
}

// src/pipeline/bake.ts
async function bake(ctx, t, start, options) {
  const bakeMs = options.bakeMinutes * 6e4;
  const from = start.startedAt ?? ctx.clock.now();
  let deployment = start;
  let completedAt = deployment.state === "COMPLETE" ? deployment.completedAt ?? ctx.clock.now() : void 0;
  let seen = new Set(deployment.events.map((e) => `${e.type}|${e.at}|${e.description}`));
  let failures = 0;
  let polls = 0;
  const progress = progressReporter(ctx, t);
  let lastAlarms;
  let quietLooks = 0;
  let lastPending = "";
  if (completedAt !== void 0) announceBake(ctx, t, completedAt + bakeMs);
  const readDeployment = async () => {
    deployment = await pollDeployment(ctx, t, deployment.number);
    seen = reportNewEvents(ctx, t, deployment, seen);
    progress(deployment);
    if (deployment.state === "ROLLING_BACK" || deployment.state === "ROLLED_BACK" || deployment.state === "REVERTED") {
      const verdict = await watchOnce(ctx, options.watched, { from });
      polls += 1;
      const own = appConfigRollbackBreach(deployment, ctx.clock.now());
      const breaches = [own, ...verdict.breaches];
      say(ctx, t.id, { kind: "breach", breaches, message: `breach: ${describeBreach(own)}` });
      return { status: "breached", breaches, verdict, deployment, rolledBackByAppConfig: true, polls };
    }
    if (deployment.state === "COMPLETE") {
      completedAt = deployment.completedAt ?? ctx.clock.now();
      announceBake(ctx, t, completedAt + bakeMs);
    }
    return void 0;
  };
  for (; ; ) {
    try {
      const readNow = completedAt === void 0 && polls % 2 === 1;
      if (readNow) {
        const acted = await readDeployment();
        if (acted) return acted;
      }
      const to = completedAt === void 0 ? void 0 : completedAt + bakeMs;
      const verdict = await watchOnce(
        ctx,
        options.watched,
        // Until AppConfig completes, every period so far is part of the rollout's ramp.
        { from, rampUntil: completedAt ?? ctx.clock.now(), ...to !== void 0 ? { to } : {} },
        readNow && lastAlarms ? { alarms: lastAlarms } : void 0
      );
      lastAlarms = verdict.alarms;
      polls += 1;
      failures = 0;
      if (verdict.status === "breached") {
        if (completedAt === void 0 && !readNow) {
          const acted = await readDeployment();
          if (acted) return acted;
        }
        say(ctx, t.id, {
          kind: "breach",
          breaches: verdict.breaches,
          message: `breach: ${verdict.breaches.map(describeBreach).join("; ")}`
        });
        return {
          status: "breached",
          breaches: verdict.breaches,
          verdict,
          deployment,
          rolledBackByAppConfig: false,
          polls,
          ...to !== void 0 ? { window: { from, to } } : {}
        };
      }
      const now = ctx.clock.now();
      if (to !== void 0 && now >= to && (verdict.settled || options.watched.guards.length === 0)) {
        return finishBake(ctx, t, verdict, {
          deployment,
          polls,
          window: { from, to },
          bakeMinutes: options.bakeMinutes
        });
      }
      const remainingMs = to === void 0 ? bakeMs : Math.max(0, to - now);
      say(ctx, t.id, {
        kind: "bake",
        remainingMs,
        status: verdict.status,
        message: `${to === void 0 ? "watching" : remainingMs > 0 ? `baking, ${Math.ceil(remainingMs / 1e3)} s left` : "bake time over, waiting for the last periods"}: ${summarise(verdict)}`
      });
      const pending = pendingKey(verdict);
      quietLooks = pending !== "" && pending === lastPending ? quietLooks + 1 : 0;
      lastPending = pending;
      const next = nextLook(verdict.guards, {
        now,
        ...to !== void 0 ? { to } : {},
        quietLooks,
        settings: ctx.settings,
        guards: options.watched.guards
      });
      await ctx.clock.sleep(Math.max(0, next - now));
    } catch (error) {
      failures += 1;
      if (!isTransient(error) || failures > ctx.settings.toleratedPollFailures) throw error;
      say(ctx, t.id, {
        kind: "warning",
        message: `watch poll failed, retrying: ${error.message}`
      });
      await ctx.clock.sleep(Math.min(ctx.settings.pollIntervalMs, ctx.settings.deployPollMinMs));
    }
  }
}
function finishBake(ctx, t, verdict, r) {
  const status = verdict.status === "healthy" || verdict.status === "pending" ? "healthy" : verdict.status === "no-data" ? "no-data" : "unverified";
  const na = verdict.notApplicable?.length ? `; not applicable to this configuration: ${describeNotApplicable(verdict.notApplicable)}` : "";
  const message = status === "healthy" ? `bake complete: healthy for ${r.bakeMinutes} min, every period observed${na}` : status === "no-data" ? `bake complete without any data to judge (${verdict.noData.join(", ") || "no complete period"}): held, not rolled back` : `bake UNVERIFIED — not enough evidence to call it healthy, so nothing was rolled back and the dwell clock does not start: ${verdict.unobserved.join("; ")}`;
  say(ctx, t.id, { kind: status === "healthy" ? "info" : "warning", message });
  return {
    status,
    breaches: [],
    verdict,
    deployment: r.deployment,
    rolledBackByAppConfig: false,
    polls: r.polls,
    window: r.window,
    message
  };
}
function pendingKey(v) {
  return v.guards.flatMap((g) => g.periods.filter((p) => p.outcome === "pending").map((p) => `${g.guard}@${p.end}`)).join(",");
}
function announceBake(ctx, t, until) {
  say(ctx, t.id, {
    kind: "info",
    message: `deployment complete; baking until ${new Date(until).toISOString()} while watching guards and alarms`
  });
}
function summarise(v) {
  const guards = v.guards.map((g) => {
    const last = [...g.periods].reverse().find((p) => p.outcome === "breach" || p.outcome === "healthy");
    const value = last?.value !== void 0 ? `${Math.round(last.value * 100) / 100}${g.unit ?? ""}` : "—";
    const state = last?.outcome === "breach" ? "BREACHING" : last ? "ok" : "no data yet";
    return `${g.guard} ${value} ${state} ${g.streak}/${g.consecutive}`;
  });
  const alarming = v.alarms.filter((a) => a.state === "ALARM" || a.state === "INSUFFICIENT_DATA");
  const missing = v.alarms.filter((a) => a.state === void 0).length;
  const alarms = [
    ...alarming.map((a) => `alarm ${a.name} ${a.state}`),
    ...missing > 0 ? [`${missing} alarm(s) not found`] : []
  ];
  return [...guards, ...alarms].join(", ") || "nothing to watch";
}

// src/pipeline/release.ts
async function runRelease(input) {
  const { ctx, finish, fail } = startRun(input);
  const content = input.content ?? (input.repo && input.commit ? fixedContent({ repo: input.repo, commit: input.commit }) : void 0);
  if (!content) throw new PipelineError("runRelease needs `content` or both `repo` and `commit`", 2);
  try {
    if (input.bake) await preflightRelease(ctx, content, input.target);
    const deployed = await deploy(ctx, input.target, {
      content,
      holds: input.holds ?? noHolds,
      ...input.onStep ? { onStep: input.onStep } : {}
    });
    if (deployed.status === "held")
      return finish({ status: "held", changed: false, message: deployed.reason, exitCode: 1 });
    if (deployed.status === "unchanged")
      return finish({ status: "unchanged", changed: false, version: deployed.running, exitCode: 0 });
    const { resolved, deployment } = deployed;
    const envDef = deployed.content.app.environments.find((e) => e.name === input.target.environment);
    if (envDef?.dashboard !== void 0 && input.region !== void 0)
      await markDeployment(ctx, input.target, deployed.content.app, input.region);
    const base = {
      changed: true,
      deploymentNumber: deployment.number,
      deployedAt: deployment.startedAt ?? ctx.clock.now(),
      version: deployed.version,
      ...deployed.previous ? { previousVersion: deployed.previous } : {}
    };
    let outcome;
    if (input.bake && envDef) {
      outcome = await bake(ctx, resolved, deployment, {
        watched: watchedFor(deployed.content.app, envDef, deployed.content.target),
        bakeMinutes: envDef.bakeMinutes
      });
    } else {
      const waited = await waitForDeployment(ctx, resolved, deployment, { timeoutMs: 25 * 60 * 6e4 });
      if (!waited.settled)
        return finish({
          ...base,
          status: "timed-out",
          message: "the deployment did not finish in 25 h",
          exitCode: 3
        });
      if (waited.deployment.state === "COMPLETE") return finish({ ...base, status: "deployed", exitCode: 0 });
      outcome = {
        status: "breached",
        breaches: [appConfigRollbackBreach(waited.deployment, ctx.clock.now())],
        deployment: waited.deployment,
        rolledBackByAppConfig: true,
        polls: 0
      };
    }
    if (outcome.status !== "breached") return finish({ ...base, ...settledBake(outcome) });
    const undone = await rollback(ctx, resolved, {
      evidence: outcome.breaches,
      deploymentNumber: deployment.number
    });
    return finish({
      ...base,
      status: "rolled-back",
      breaches: outcome.breaches,
      ...outcome.verdict ? { verdict: outcome.verdict } : {},
      rollback: undone,
      exitCode: 1
    });
  } catch (error) {
    return fail(error);
  }
}
function settledBake(outcome) {
  const status = outcome.status === "breached" ? "unverified" : outcome.status;
  return {
    status,
    exitCode: status === "healthy" ? 0 : 4,
    ...outcome.verdict ? { verdict: outcome.verdict } : {},
    ...outcome.window ? { bake: outcome.window } : {},
    ...outcome.deployment.completedAt !== void 0 ? { completedAt: outcome.deployment.completedAt } : {},
    ...status !== "healthy" && outcome.message ? { message: outcome.message } : {}
  };
}
async function preflightRelease(ctx, content, target) {
  const { app } = compileSnapshot(await content(), target);
  const envDef = app.environments.find((e) => e.name === target.environment);
  if (!envDef) return;
  await preflight(
    ctx,
    watchedFor(app, envDef),
    `${target.application}/${target.environment} (environment ${envDef.name} in ${app.dir}/app.yaml)`
  );
}
function startRun(input) {
  const recorder = recordingReporter(input.reporter);
  const ctx = makeContext({
    aws: input.aws,
    clock: input.clock,
    reporter: recorder,
    ...input.settings ? { settings: input.settings } : {}
  });
  const id = targetId(input.target);
  const finish = (r) => ({ target: id, breaches: [], ...r, timeline: recorder.events });
  const fail = (error) => {
    const message = messageOf(error);
    say(ctx, id, { kind: "warning", message: `failed: ${message}` });
    return finish({ status: "failed", changed: false, message, exitCode: exitCodeOf(error) });
  };
  return { ctx, id, finish, fail };
}
async function markDeployment(ctx, target, app, region) {
  try {
    await syncDashboards(ctx.aws, [app], { mode: "apply", region, environment: target.environment });
  } catch (error) {
    say(ctx, targetId(target), {
      kind: "warning",
      message: `dashboard not updated with this deployment: ${messageOf(error)}`
    });
  }
}

// src/cli/commands/deploy.ts
var command = {
  name: "deploy",
  summary: "Deploy a target, bake it against its guards and alarms, roll back on a breach",
  description: "Deploys what the working tree compiles to (nothing to do when that content already runs), waits for any other deployment in the environment first, then watches guards and alarms for the environment's bake minutes. Exit 1 after a breach and rollback, 3 when AWS is unreachable or refusing.",
  options: {
    ...TARGET_OPTIONS,
    bake: {
      type: "boolean",
      description: "Bake and watch guards after deploying (--no-bake: only wait for the deployment)",
      default: true
    },
    json: {
      type: "boolean",
      description: "Print the result as JSON instead of progress lines",
      default: false
    }
  },
  async run(args, io) {
    const { root, app, target } = targetFromArgs(args, io, loadWorkingTree);
    const json = args.options["json"] === true;
    const runtime = await runtimeFromEnvironment(io.env).catch((e) => {
      throw new CliError(failureOf(e).message, 2);
    });
    const result = await runRelease({
      target: { application: app.name, environment: target.environment, profile: target.profile },
      ...runtime,
      reporter: json ? { emit: () => {
      } } : terminalReporter(io.stdout, io.isTTY),
      content: workingTreeContent(root),
      bake: args.options["bake"] !== false,
      // Promise 6: with GITHUB_TOKEN and GITHUB_REPOSITORY, an open revert pull request holds the target.
      ...withHolds(io.env)
    });
    if (json) {
      io.stdout(
        `${JSON.stringify({ ...result, timeline: formatTimeline(result.timeline).split("\n") }, null, 2)}
`
      );
    } else {
      io.stdout(`
${resultLine(result)}
`);
    }
    if (result.status === "failed" && result.message && json) io.stderr(`${result.message}
`);
    return result.exitCode;
  }
};
function resultLine(r) {
  const v = r.version ? `version ${r.version.number}${r.version.label ? ` (${r.version.label})` : ""}` : "";
  switch (r.status) {
    case "unchanged":
      return `${r.target}: already up to date — ${v}`;
    case "held":
      return `${r.target}: held — ${r.message}`;
    case "deployed":
      return `${r.target}: deployed ${v} (deployment ${r.deploymentNumber}, not baked)`;
    case "healthy":
      return `${r.target}: deployed ${v}, baked healthy`;
    case "no-data":
      return `${r.target}: deployed ${v}; the bake saw too little traffic to judge (held, not rolled back; exit 4)`;
    case "unverified":
      return `${r.target}: deployed ${v}; bake UNVERIFIED — ${r.message ?? "some periods were never observed"} (not rolled back; exit 4)`;
    case "rolled-back":
      return `${r.target}: BREACH — rolled back to ${r.rollback?.serving ? `version ${r.rollback.serving.number}` : "nothing"}${r.rollback?.verified ? " (verified)" : " (NOT verified: check flagops status)"}`;
    case "timed-out":
    case "failed":
      return `${r.target}: ${r.status} — ${r.message ?? ""}`;
  }
}
function withHolds(env) {
  const holds = holdsFromEnv(env);
  return holds ? { holds } : {};
}
export {
  command
};
