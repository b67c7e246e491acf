import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  renderAcceptance,
  verifyEnvironment
} from "./chunk-2T2BABLY.mjs";
import {
  runtimeFromEnvironment
} from "./chunk-3WLBU63B.mjs";
import "./chunk-PWFSMMBW.mjs";
import "./chunk-C3K56K75.mjs";
import "./chunk-JUCKGTSM.mjs";
import "./chunk-PV334CNP.mjs";
import {
  gitHubVerificationStore
} from "./chunk-EAUI3ICK.mjs";
import {
  gitHubFromEnv
} from "./chunk-HT6FUBY7.mjs";
import "./chunk-U4OG5VJE.mjs";
import {
  TARGET_OPTIONS,
  findRepoRoot,
  selectApplication
} from "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import {
  loadWorkingTree
} from "./chunk-BA6QBSFO.mjs";
import "./chunk-J65SMI3B.mjs";
import {
  EXIT
} from "./chunk-XMGGJPA5.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/verify.ts
var command = {
  name: "verify",
  summary: "Check the guide's acceptance criteria from CloudWatch and record the result",
  description: "Judges every criterion under `acceptance:` in app.yaml over the last complete window and prints a\ntable. Exit 0 when all pass, 1 when any fails or has no data. The result is recorded as a GitHub\ndeployment (task flagops:verify) when GITHUB_TOKEN and GITHUB_REPOSITORY are set.",
  options: {
    "app-name": TARGET_OPTIONS["app-name"],
    environment: TARGET_OPTIONS.environment,
    json: { type: "boolean", description: "Print the result as JSON", default: false },
    record: {
      type: "boolean",
      description: "Record the result on GitHub (--no-record: only print)",
      default: true
    }
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const app = selectApplication(loadWorkingTree(root), args.options["app-name"]);
    const environment = args.options["environment"];
    const wantRecord = args.options["record"] !== false;
    const canRecord = Boolean((io.env["GITHUB_TOKEN"] || io.env["GH_TOKEN"]) && io.env["GITHUB_REPOSITORY"]);
    const runtime = await runtimeFromEnvironment(io.env);
    const store = wantRecord && canRecord ? gitHubVerificationStore(gitHubFromEnv(io.env).octokit, gitHubFromEnv(io.env).api.repo) : void 0;
    const outcome = await verifyEnvironment({
      app,
      environment,
      cloudwatch: runtime.aws.cloudwatch,
      now: runtime.clock.now(),
      ...store ? { store } : {},
      ref: io.env["FLAGOPS_BASE_BRANCH"] || "main"
    });
    if (args.options["json"] === true) {
      io.stdout(`${JSON.stringify({ environment, ...outcome }, null, 2)}
`);
    } else {
      io.stdout(`${renderAcceptance(outcome.result, environment)}
`);
      if (outcome.record)
        io.stdout(`recorded: ${outcome.record.url ?? `GitHub deployment ${outcome.record.id}`}
`);
      else if (wantRecord)
        io.stdout("not recorded: set GITHUB_TOKEN and GITHUB_REPOSITORY so the gate can see this result\n");
    }
    return outcome.result.passed ? EXIT.ok : EXIT.failed;
  }
};
export {
  command
};
