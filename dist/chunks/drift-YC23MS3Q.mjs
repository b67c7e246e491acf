import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  dashboardRegion,
  describeDashboards
} from "./chunk-T4E43BHN.mjs";
import {
  isDashboardDrift,
  syncDashboards
} from "./chunk-5FMCSJNL.mjs";
import {
  holdsFromEnv,
  noHolds
} from "./chunk-MC4HVM52.mjs";
import {
  silentReporter
} from "./chunk-J7M4JPKA.mjs";
import {
  compileSnapshot,
  labelNamesContent,
  runsContent
} from "./chunk-Z3X7HJHO.mjs";
import {
  resolveTarget
} from "./chunk-4FJUIIKQ.mjs";
import "./chunk-NAC7TEFE.mjs";
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
  runningDeployment
} from "./chunk-RGNUHZZM.mjs";
import {
  fitBody,
  gitHubFromEnv
} from "./chunk-VJ6H3ZYA.mjs";
import "./chunk-5ASYAPI3.mjs";
import {
  mdCode,
  mdText
} from "./chunk-PX4VJDWW.mjs";
import "./chunk-7GHZ77ZE.mjs";
import {
  targetId
} from "./chunk-KAJDPQA3.mjs";
import {
  TARGET_OPTIONS,
  findRepoRoot,
  selectApplication
} from "./chunk-SLK3YAOL.mjs";
import {
  DRIFT_LABEL
} from "./chunk-S5U7UAL3.mjs";
import {
  EXIT
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/drift/detect.ts
var FLAGOPS_DESCRIPTION = /^flagops[ :]/;
async function detectDrift(ctx, snapshot, holds) {
  const out = [];
  for (const t of snapshot.repo.targets) {
    const ref = { application: t.application, environment: t.environment, profile: t.profile };
    out.push(await detectOne(ctx, snapshot, ref, holds));
  }
  return out;
}
async function detectOne(ctx, snapshot, ref, holds) {
  const id = targetId(ref);
  const compiled = compileSnapshot(snapshot, ref);
  const main = { commit: compiled.commit.sha, sha256: compiled.document.sha256 };
  const wanted = { sha256: main.sha256, profileType: compiled.target.profileType };
  let resolved;
  try {
    resolved = await resolveTarget(ctx.aws, ref);
  } catch (error) {
    if (!(error instanceof PipelineError)) throw error;
    return { target: id, status: "drifted", main, reason: error.message };
  }
  const { application, environment, profile } = resolved;
  const deployments = await ctx.aws.appconfig.listDeployments(application.id, environment.id);
  const running = runningDeployment(deployments, profile.name);
  const inFlight = deployments.find((d) => d.profileName === profile.name && IN_FLIGHT.has(d.state));
  const deployed = running ? {
    deploymentNumber: running.number,
    version: Number(running.version),
    ...running.versionLabel ? { label: running.versionLabel } : {},
    by: await deployedBy(ctx, resolved, running.number),
    ...running.completedAt !== void 0 ? { completedAt: running.completedAt } : {}
  } : void 0;
  const base = { target: id, main, ...deployed ? { deployed } : {} };
  if (inFlight) {
    if (labelNamesContent(inFlight.versionLabel, main.sha256))
      return {
        ...base,
        status: "deploying",
        reason: `deployment ${inFlight.number} of main's content is ${inFlight.state}`
      };
    return await heldOr(holds, ref, {
      ...base,
      status: "drifted",
      reason: `deployment ${inFlight.number} of version ${inFlight.version}${inFlight.versionLabel ? ` (${inFlight.versionLabel})` : ""} is ${inFlight.state}, and it is not what main compiles to`
    });
  }
  if (running && await runsContent(ctx, resolved, running, wanted))
    return { ...base, status: "in-sync", reason: `version ${running.version} is main's content` };
  return await heldOr(holds, ref, {
    ...base,
    status: "drifted",
    reason: running ? `AppConfig serves version ${running.version}${running.versionLabel ? ` (${running.versionLabel})` : " (no label)"}, which is not what main compiles to (${main.sha256.slice(0, 16)})` : "nothing is deployed, but main declares this target"
  });
}
async function heldOr(holds, ref, drift) {
  const hold = await holds.check(ref);
  return hold.held ? { ...drift, status: "held", reason: `${drift.reason}; ${hold.reason}` } : drift;
}
async function deployedBy(ctx, t, deploymentNumber) {
  const d = await ctx.aws.appconfig.getDeployment(t.application.id, t.environment.id, deploymentNumber);
  const started = d.events.find((e) => e.type === "DEPLOYMENT_STARTED");
  const who = started?.triggeredBy ? ` (triggered by ${started.triggeredBy})` : "";
  if (d.description && FLAGOPS_DESCRIPTION.test(d.description)) return `${d.description}${who}`;
  if (d.description) return `not flagops: "${d.description}"${who}`;
  return `not flagops: no description${who}`;
}

// src/drift/issue.ts
var DRIFT_TITLE = "flagops: AppConfig serves something other than main";
function gitHubIssues(octokit, repo) {
  const base = { owner: repo.owner, repo: repo.repo };
  const tracked = (i) => ({
    number: i.number,
    body: i.body ?? "",
    url: i.html_url
  });
  return {
    async findOpen(label) {
      const open = await octokit.paginate(octokit.rest.issues.listForRepo, {
        ...base,
        state: "open",
        labels: label,
        per_page: 100
      });
      const mine = open.filter(
        (i) => !i.pull_request && i.labels.some((l) => (typeof l === "string" ? l : l.name) === label)
      ).sort((a, b) => a.number - b.number)[0];
      return mine ? tracked(mine) : void 0;
    },
    async create(input) {
      const { data } = await octokit.rest.issues.create({ ...base, ...input, body: fitBody(input.body) });
      return tracked(data);
    },
    async update(number, change) {
      const { data } = await octokit.rest.issues.update({
        ...base,
        issue_number: number,
        ...change,
        ...change.body !== void 0 ? { body: fitBody(change.body) } : {}
      });
      return tracked(data);
    },
    async comment(number, body) {
      await octokit.rest.issues.createComment({ ...base, issue_number: number, body: fitBody(body) });
    }
  };
}
function driftIssueBody(drifts) {
  const drifted = drifts.filter((d) => d.status === "drifted");
  const rows = drifted.map(
    (d) => `| ${mdCode(d.target)} | ${d.deployed ? `version ${d.deployed.version}${d.deployed.label ? ` ${mdCode(d.deployed.label)}` : ""}` : "nothing"} | ${d.deployed ? mdText(d.deployed.by) : "—"} | ${mdCode(d.main.sha256.slice(0, 16))} at ${mdCode(d.main.commit.slice(0, 12))} |`
  );
  return [
    `AppConfig serves something other than what \`main\` compiles to, for ${drifted.length} target${drifted.length === 1 ? "" : "s"}, and no revert pull request explains it.`,
    "",
    "| target | AppConfig serves | deployed by | main compiles to |",
    "|---|---|---|---|",
    ...rows,
    "",
    ...drifted.map((d) => `- ${mdCode(d.target)}: ${mdText(d.reason)}`),
    "",
    "To fix: make `main` say what should run (a pull request; its merge deploys it), or re-run the deploy workflow for `main` to put main's content back. This issue is updated by `flagops drift` and closed when every target is in sync."
  ].join("\n");
}
async function reportDriftIssue(tracker, drifts) {
  const open = await tracker.findOpen(DRIFT_LABEL);
  const drifted = drifts.some((d) => d.status === "drifted");
  if (!drifted) {
    if (!open) return { action: "none" };
    await tracker.comment(
      open.number,
      "Every target is in sync with `main` again (or held by a revert pull request); closing."
    );
    return { action: "closed", issue: await tracker.update(open.number, { state: "closed" }) };
  }
  const body = driftIssueBody(drifts);
  if (!open)
    return {
      action: "created",
      issue: await tracker.create({ title: DRIFT_TITLE, body, labels: [DRIFT_LABEL] })
    };
  if (open.body === body) return { action: "unchanged", issue: open };
  return { action: "updated", issue: await tracker.update(open.number, { body }) };
}

// src/cli/commands/drift.ts
var command = {
  name: "drift",
  summary: "What AppConfig serves vs what main compiles to, for every target",
  description: "Run it on a checkout of main. Each target is in sync, deploying, held (a revert pull request is\nopen) or drifted (with the deployed label and who deployed it). With GITHUB_TOKEN and\nGITHUB_REPOSITORY set, drift opens or updates one issue labelled flagops:drift and closes it once\neverything is in sync. The dashboards app.yaml names are checked too (`flagops dashboard --check`).\nExit 1 when any target drifted or a dashboard is missing or was changed by hand.",
  options: {
    "app-name": TARGET_OPTIONS["app-name"],
    json: { type: "boolean", description: "Print the result as JSON", default: false },
    issue: { type: "boolean", description: "Report on GitHub (--no-issue: only print)", default: true }
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const content = workingTreeContent(root);
    const snapshot = await content();
    const appName = args.options["app-name"];
    const app = selectApplication(snapshot.repo, appName);
    const scoped = {
      ...snapshot,
      repo: { ...snapshot.repo, targets: snapshot.repo.targets.filter((t) => t.application === app.name) }
    };
    const github = Boolean((io.env["GITHUB_TOKEN"] || io.env["GH_TOKEN"]) && io.env["GITHUB_REPOSITORY"]);
    const runtime = await runtimeFromEnvironment(io.env);
    const ctx = makeContext({ ...runtime, reporter: silentReporter });
    const drifts = await detectDrift(ctx, scoped, holdsFromEnv(io.env) ?? noHolds);
    const dashboards = await syncDashboards(runtime.aws, [app], {
      mode: "check",
      region: dashboardRegion(io.env)
    });
    const issue = github && args.options["issue"] !== false ? await reportDriftIssue(
      gitHubIssues(gitHubFromEnv(io.env).octokit, gitHubFromEnv(io.env).api.repo),
      drifts
    ) : void 0;
    if (args.options["json"] === true)
      io.stdout(`${JSON.stringify({ targets: drifts, dashboards, ...issue ? { issue } : {} }, null, 2)}
`);
    else {
      io.stdout(`${renderDrift(drifts)}
`);
      for (const line of describeDashboards(dashboards)) io.stdout(`${line}
`);
      if (issue?.issue) io.stdout(`issue #${issue.issue.number} ${issue.action}: ${issue.issue.url}
`);
    }
    return drifts.some((d) => d.status === "drifted") || dashboards.some(isDashboardDrift) ? EXIT.failed : EXIT.ok;
  }
};
function renderDrift(drifts) {
  const width = Math.max(...drifts.map((d) => d.target.length), 6);
  const lines = drifts.map((d) => {
    const by = d.status === "drifted" && d.deployed ? `
${" ".repeat(width + 13)}deployed by ${d.deployed.by}` : "";
    return `${d.target.padEnd(width)}  ${d.status.toUpperCase().padEnd(9)}  ${d.reason}${by}`;
  });
  const drifted = drifts.filter((d) => d.status === "drifted").length;
  lines.push("", drifted === 0 ? "no drift" : `${drifted} target(s) drifted from main`);
  return lines.join("\n");
}
export {
  command,
  renderDrift
};
