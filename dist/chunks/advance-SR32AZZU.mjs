import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  advanceAll,
  advanceDepsFromEnv,
  hasGitHub
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
import "./chunk-MC4HVM52.mjs";
import {
  silentReporter
} from "./chunk-J7M4JPKA.mjs";
import "./chunk-Z3X7HJHO.mjs";
import "./chunk-4FJUIIKQ.mjs";
import "./chunk-NAC7TEFE.mjs";
import "./chunk-PWFSMMBW.mjs";
import {
  makeContext
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
import "./chunk-KAJDPQA3.mjs";
import {
  findRepoRoot
} from "./chunk-SLK3YAOL.mjs";
import "./chunk-S5U7UAL3.mjs";
import {
  CliError,
  EXIT
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/advance.ts
var command = {
  name: "advance",
  summary: "Propose the next step of each due gradual rollout as a pull request",
  description: "Reads every `_rollout` plan on the checkout. A step is proposed (one pull request labelled\nflagops:advance) only when the current one runs in AppConfig, baked healthy and dwelt the longest\nof the plan's wait, the policy's dwell and the soak; never during a hold, a freeze window or while\nanother pull request for the target is open. Environments with auto_merge: true get the pull\nrequest merged once GitHub allows it. Needs GITHUB_TOKEN and GITHUB_REPOSITORY unless --dry-run.",
  options: {
    environment: { type: "string", description: "Only this environment", placeholder: "ENV" },
    "dry-run": { type: "boolean", description: "Only say what would happen", default: false },
    json: { type: "boolean", description: "Print the outcome as JSON", default: false }
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const dryRun = args.options["dry-run"] === true;
    const environment = args.options["environment"];
    const runtime = await runtimeFromEnvironment(io.env);
    const ctx = makeContext({ ...runtime, reporter: silentReporter });
    const snapshot = await workingTreeContent(root)();
    if (!hasGitHub(io.env) && !dryRun)
      throw new CliError(
        "GITHUB_TOKEN and GITHUB_REPOSITORY must be set to propose steps (or use --dry-run)"
      );
    const outcomes = await advanceAll(
      advanceDepsFromEnv(io.env, { root, ctx, snapshot, dryRun, ...environment ? { environment } : {} })
    );
    if (args.options["json"] === true) io.stdout(`${JSON.stringify(outcomes, null, 2)}
`);
    else if (outcomes.length === 0)
      io.stdout("no gradual rollout in progress (no _rollout plan on this checkout)\n");
    else
      for (const o of outcomes)
        io.stdout(`${o.target}: ${o.message}${o.pullRequest ? `
  ${o.pullRequest.url}` : ""}
`);
    return EXIT.ok;
  }
};
export {
  command
};
