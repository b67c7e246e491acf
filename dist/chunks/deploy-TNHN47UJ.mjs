import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  terminalReporter
} from "./chunk-VOYBL4Q7.mjs";
import {
  failureOf
} from "./chunk-GM6CYDOL.mjs";
import {
  runRelease
} from "./chunk-L3CT2KCO.mjs";
import "./chunk-G2W6XMME.mjs";
import "./chunk-5FMCSJNL.mjs";
import {
  runtimeFromEnvironment,
  workingTreeContent
} from "./chunk-3WLBU63B.mjs";
import "./chunk-A2XP5DZS.mjs";
import {
  holdsFromEnv
} from "./chunk-62J4PYUU.mjs";
import {
  formatTimeline
} from "./chunk-J7M4JPKA.mjs";
import "./chunk-S7F72NEB.mjs";
import "./chunk-6V5EVRPW.mjs";
import "./chunk-CLREIKIU.mjs";
import "./chunk-PWFSMMBW.mjs";
import "./chunk-C3K56K75.mjs";
import "./chunk-JUCKGTSM.mjs";
import "./chunk-PV334CNP.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-HT6FUBY7.mjs";
import "./chunk-U4OG5VJE.mjs";
import "./chunk-PX4VJDWW.mjs";
import {
  TARGET_OPTIONS,
  targetFromArgs
} from "./chunk-26HIZ3AG.mjs";
import {
  CliError
} from "./chunk-AHO5A5OE.mjs";
import "./chunk-EJUDYG2B.mjs";
import {
  loadWorkingTree
} from "./chunk-BA6QBSFO.mjs";
import "./chunk-J65SMI3B.mjs";
import "./chunk-XMGGJPA5.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

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
