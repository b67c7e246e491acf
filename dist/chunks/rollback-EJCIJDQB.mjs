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
  terminalReporter
} from "./chunk-VOYBL4Q7.mjs";
import {
  rollback
} from "./chunk-WXQ7DJG2.mjs";
import "./chunk-Z3X7HJHO.mjs";
import {
  resolveTarget
} from "./chunk-4FJUIIKQ.mjs";
import "./chunk-NAC7TEFE.mjs";
import "./chunk-PWFSMMBW.mjs";
import {
  makeContext
} from "./chunk-LZ5O73OD.mjs";
import {
  runtimeFromEnvironment
} from "./chunk-BEQOJOJR.mjs";
import "./chunk-DOYWIERC.mjs";
import "./chunk-RGNUHZZM.mjs";
import {
  gitHubFromEnv
} from "./chunk-VJ6H3ZYA.mjs";
import "./chunk-5ASYAPI3.mjs";
import "./chunk-PX4VJDWW.mjs";
import {
  loadWorkingTree
} from "./chunk-7GHZ77ZE.mjs";
import "./chunk-KAJDPQA3.mjs";
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

// src/cli/commands/rollback.ts
var command = {
  name: "rollback",
  summary: "Emergency: serve the previous version now",
  options: {
    ...TARGET_OPTIONS,
    reason: { type: "string", description: "Why (recorded in the log and the revert)", placeholder: "TEXT" },
    json: { type: "boolean", description: "Print the result as JSON", default: false },
    revert: {
      type: "boolean",
      description: "Open the automatic revert pull request afterwards (needs GITHUB_TOKEN and GITHUB_REPOSITORY)",
      default: true
    }
  },
  async run(args, io) {
    const { root, app, target } = targetFromArgs(args, io, loadWorkingTree);
    const json = args.options["json"] === true;
    const reason = args.options["reason"] ?? "manual rollback";
    const runtime = await runtimeFromEnvironment(io.env);
    const ctx = makeContext({
      ...runtime,
      reporter: json ? { emit: () => {
      } } : terminalReporter(io.stdout, io.isTTY)
    });
    const resolved = await resolveTarget(ctx.aws, {
      application: app.name,
      environment: target.environment,
      profile: target.profile
    });
    const result = await rollback(ctx, resolved, { evidence: [], reason });
    const gitHubReady = !!(io.env["GITHUB_TOKEN"] || io.env["GH_TOKEN"]) && !!io.env["GITHUB_REPOSITORY"];
    let revert;
    if (args.options["revert"] !== false && gitHubReady && !result.serving) {
      if (!json) io.stdout("no revert pull request: the environment serves no version now; fix forward\n");
    } else if (args.options["revert"] !== false && gitHubReady) {
      const { octokit, api } = gitHubFromEnv(io.env);
      const remote = gitRemote(root, io.env);
      revert = await openRevert({
        evidence: {
          target: resolved.ref,
          breaches: [],
          reason,
          ...result.deploymentNumber !== void 0 ? { deploymentNumber: result.deploymentNumber } : {},
          ...result.serving ? { serving: result.serving } : {},
          rollbackAction: result.action,
          ...result.redeployNumber !== void 0 ? { redeployNumber: result.redeployNumber } : {},
          rolledBackAt: ctx.clock.now()
        },
        aws: ctx.aws,
        github: api,
        login: await tokenLogin(octokit),
        remote: remote.url,
        env: remote.env
      });
      if (!json)
        io.stdout(
          revert.pullRequest ? `revert pull request #${revert.pullRequest.number} ${revert.action}: ${revert.pullRequest.url}
` : `${revert.message ?? "no revert pull request needed"}
`
        );
    } else if (!json && args.options["revert"] !== false && !gitHubReady) {
      io.stdout("no revert pull request: set GITHUB_TOKEN and GITHUB_REPOSITORY to open one\n");
    }
    if (json) io.stdout(`${JSON.stringify(revert ? { ...result, revert } : result, null, 2)}
`);
    return result.verified ? EXIT.ok : EXIT.failed;
  }
};
export {
  command
};
