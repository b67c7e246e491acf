import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  alarmArnPrefixFor,
  bootstrap
} from "./chunk-JRKYWVXI.mjs";
import {
  failureOf
} from "./chunk-QUE575YV.mjs";
import {
  runtimeFromEnvironment
} from "./chunk-FJRNVLGT.mjs";
import "./chunk-4CFKZHU4.mjs";
import {
  makeContext
} from "./chunk-4SOFQPDM.mjs";
import "./chunk-LSTVOV7P.mjs";
import {
  findRepoRoot,
  selectApplication
} from "./chunk-CYQ6XN3J.mjs";
import {
  CliError
} from "./chunk-PRK5CCZC.mjs";
import {
  loadWorkingTree
} from "./chunk-VR35YWCJ.mjs";
import "./chunk-GG4POKPS.mjs";
import {
  EXIT
} from "./chunk-SHB6SBT6.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/bootstrap.ts
var command = {
  name: "bootstrap",
  summary: "Create missing AppConfig resources; never deletes",
  options: {
    "app-name": { type: "string", description: "Only this application (default: all)", placeholder: "NAME" },
    json: { type: "boolean", description: "Print what was done as JSON", default: false }
  },
  async run(args, io) {
    const repo = loadWorkingTree(findRepoRoot(io.cwd, io.env));
    const appName = args.options["app-name"];
    if (appName !== void 0) selectApplication(repo, appName);
    const roleArn = io.env["FLAGOPS_ALARM_ROLE_ARN"];
    const region = io.env["AWS_REGION"] ?? io.env["AWS_DEFAULT_REGION"] ?? "";
    const prefix = roleArn ? alarmArnPrefixFor(roleArn, region) : void 0;
    if (roleArn && !prefix) {
      throw new CliError(
        `FLAGOPS_ALARM_ROLE_ARN="${roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>), or AWS_REGION is unset`,
        EXIT.usage
      );
    }
    const json = args.options["json"] === true;
    try {
      const runtime = await runtimeFromEnvironment(io.env);
      const ctx = makeContext({
        ...runtime,
        reporter: { emit: (e) => json ? void 0 : io.stdout(`${e.message}
`) }
      });
      const actions = await bootstrap(ctx, repo, {
        ...roleArn && prefix ? { alarmRoleArn: roleArn, alarmArnPrefix: prefix } : {},
        ...appName ? { applications: [appName] } : {}
      });
      if (json) io.stdout(`${JSON.stringify(actions, null, 2)}
`);
      else {
        const created = actions.filter((a) => a.action === "created").length;
        io.stdout(`${created} created, ${actions.length - created} already there
`);
      }
      return EXIT.ok;
    } catch (error) {
      const f = failureOf(error);
      throw new CliError(f.message, f.exitCode);
    }
  }
};
export {
  command
};
