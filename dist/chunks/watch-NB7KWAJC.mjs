import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  openRevert,
  tokenLogin
} from "./chunk-M2Q4NFPD.mjs";
import "./chunk-YWRZMMGV.mjs";
import {
  gitRemote
} from "./chunk-2FXE6J6X.mjs";
import "./chunk-5PF2FZBE.mjs";
import {
  gitHubBakeStore
} from "./chunk-DKJJ2XPZ.mjs";
import {
  effectiveNumber,
  soakMinutesFor
} from "./chunk-MKBKQ2QT.mjs";
import {
  rollback,
  toRef
} from "./chunk-WXQ7DJG2.mjs";
import {
  watchOnce,
  watchedFor
} from "./chunk-UIUMA2TR.mjs";
import {
  silentReporter
} from "./chunk-J7M4JPKA.mjs";
import "./chunk-Z3X7HJHO.mjs";
import {
  resolveTarget
} from "./chunk-4FJUIIKQ.mjs";
import {
  describeBreach
} from "./chunk-NAC7TEFE.mjs";
import "./chunk-PWFSMMBW.mjs";
import {
  PipelineError,
  makeContext
} from "./chunk-LZ5O73OD.mjs";
import {
  IN_FLIGHT,
  runtimeFromEnvironment,
  workingTreeContent
} from "./chunk-BEQOJOJR.mjs";
import "./chunk-DOYWIERC.mjs";
import {
  labelContentHash,
  runningDeployment
} from "./chunk-RGNUHZZM.mjs";
import {
  gitHubFromEnv
} from "./chunk-VJ6H3ZYA.mjs";
import "./chunk-5ASYAPI3.mjs";
import "./chunk-PX4VJDWW.mjs";
import {
  targetId
} from "./chunk-KAJDPQA3.mjs";
import {
  findRepoRoot
} from "./chunk-SLK3YAOL.mjs";
import "./chunk-S5U7UAL3.mjs";
import {
  EXIT
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

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

// src/runtime/soak.ts
async function soakWatchFromEnv(env, run) {
  if (!(env["GITHUB_TOKEN"] || env["GH_TOKEN"]) || !env["GITHUB_REPOSITORY"])
    throw new PipelineError(
      "GITHUB_TOKEN and GITHUB_REPOSITORY must be set: the soak watch reads and writes the bake records and opens revert pull requests there",
      2
    );
  const runtime = await runtimeFromEnvironment(env);
  const ctx = makeContext({ ...runtime, reporter: run.reporter ?? silentReporter });
  const { octokit, api } = gitHubFromEnv(env);
  const remote = gitRemote(run.root, env);
  let login = run.login;
  const runUrl = env["GITHUB_RUN_ID"] ? `${env["GITHUB_SERVER_URL"] ?? "https://github.com"}/${env["GITHUB_REPOSITORY"]}/actions/runs/${env["GITHUB_RUN_ID"]}` : void 0;
  return watchSoaks({
    ctx,
    snapshot: await workingTreeContent(run.root)(),
    bakes: gitHubBakeStore(octokit, api.repo),
    ...run.environment ? { environment: run.environment } : {},
    ...runUrl ? { runUrl } : {},
    async revert(evidence) {
      login ??= await tokenLogin(octokit);
      const opened = await openRevert({
        evidence,
        aws: ctx.aws,
        github: api,
        login,
        remote: remote.url,
        env: remote.env
      });
      return opened.pullRequest ? { number: opened.pullRequest.number, url: opened.pullRequest.url } : void 0;
    }
  });
}

// src/cli/commands/watch.ts
var command = {
  name: "watch",
  summary: "Soak: watch guards after the bake ended (24 h after 100 %), roll back and revert on a breach",
  description: "Run it on a checkout of main, on a schedule. For every target whose running deployment baked\nhealthy and is still inside its soak (soak_minutes: 15 after enabling, 24 h at 100 %), judge the\nguards and alarms since the last run — where it left off is kept in the bake record (a GitHub\ndeployment of task flagops:bake), not in the job. On a breach: StopDeployment (AllowRevert within\n72 h) or a redeploy of the previous version, then the automatic revert pull request. Needs AWS\ncredentials, GITHUB_TOKEN and GITHUB_REPOSITORY. Exit 1 after a breach.",
  options: {
    environment: { type: "string", description: "Only this environment", placeholder: "ENV" },
    json: { type: "boolean", description: "Print the outcome as JSON", default: false }
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const environment = args.options["environment"];
    const outcomes = await soakWatchFromEnv(io.env, {
      root,
      ...environment ? { environment } : {},
      ...io.env["FLAGOPS_BOT_LOGIN"] ? { login: io.env["FLAGOPS_BOT_LOGIN"] } : {}
    });
    if (args.options["json"] === true) io.stdout(`${JSON.stringify(outcomes, null, 2)}
`);
    else io.stdout(`${renderSoaks(outcomes)}
`);
    return outcomes.some((o) => o.status === "breached" && o.rollback) ? EXIT.failed : EXIT.ok;
  }
};
function renderSoaks(outcomes) {
  if (outcomes.length === 0) return "no targets";
  const width = Math.max(...outcomes.map((o) => o.target.length));
  return outcomes.map(
    (o) => `${o.target.padEnd(width)}  ${o.status.toUpperCase().padEnd(8)}  ${o.message}${o.pullRequest ? `
${" ".repeat(width + 12)}${o.pullRequest.url}` : ""}`
  ).join("\n");
}
export {
  command,
  renderSoaks
};
