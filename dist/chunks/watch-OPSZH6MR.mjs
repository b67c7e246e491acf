import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  watchSoaks
} from "./chunk-EZEORNHD.mjs";
import {
  openRevert,
  tokenLogin
} from "./chunk-ILBWRREB.mjs";
import "./chunk-LHLKPY4D.mjs";
import "./chunk-G2W6XMME.mjs";
import {
  runtimeFromEnvironment,
  workingTreeContent
} from "./chunk-3WLBU63B.mjs";
import {
  gitRemote
} from "./chunk-TAMWFICQ.mjs";
import "./chunk-A2XP5DZS.mjs";
import {
  silentReporter
} from "./chunk-J7M4JPKA.mjs";
import "./chunk-S7F72NEB.mjs";
import "./chunk-6V5EVRPW.mjs";
import "./chunk-CLREIKIU.mjs";
import "./chunk-PWFSMMBW.mjs";
import {
  PipelineError,
  makeContext
} from "./chunk-C3K56K75.mjs";
import "./chunk-JUCKGTSM.mjs";
import "./chunk-VIF5ZNWC.mjs";
import "./chunk-5PF2FZBE.mjs";
import "./chunk-PV334CNP.mjs";
import {
  gitHubBakeStore
} from "./chunk-SJ7ZTYUP.mjs";
import "./chunk-RGNUHZZM.mjs";
import {
  gitHubFromEnv
} from "./chunk-HT6FUBY7.mjs";
import "./chunk-U4OG5VJE.mjs";
import "./chunk-PX4VJDWW.mjs";
import "./chunk-MKBKQ2QT.mjs";
import {
  findRepoRoot
} from "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import "./chunk-EJUDYG2B.mjs";
import "./chunk-J65SMI3B.mjs";
import {
  EXIT
} from "./chunk-XMGGJPA5.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

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
