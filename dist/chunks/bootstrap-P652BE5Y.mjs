import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  runDashboards
} from "./chunk-QQDSJITQ.mjs";
import {
  alarmArnPrefixFor,
  bootstrap
} from "./chunk-IG3SOGNC.mjs";
import "./chunk-5FMCSJNL.mjs";
import {
  runtimeFromEnvironment
} from "./chunk-3WLBU63B.mjs";
import {
  makeContext
} from "./chunk-C3K56K75.mjs";
import "./chunk-JUCKGTSM.mjs";
import "./chunk-PV334CNP.mjs";
import {
  findRepoRoot,
  selectApplication
} from "./chunk-26HIZ3AG.mjs";
import {
  CliError
} from "./chunk-AHO5A5OE.mjs";
import {
  loadWorkingTree
} from "./chunk-BA6QBSFO.mjs";
import "./chunk-J65SMI3B.mjs";
import {
  EXIT
} from "./chunk-XMGGJPA5.mjs";
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
    const dashboards = await runDashboards(
      runtime.aws,
      appName ? [selectApplication(repo, appName)] : Object.values(repo.applications),
      { mode: "apply", region: region || "us-east-1" },
      { stdout: (t) => json ? void 0 : io.stdout(t) }
    );
    const dashboardActions = dashboards.map((d) => ({
      resource: "dashboard",
      name: d.dashboard,
      action: d.state === "unchanged" ? "exists" : d.state
    }));
    if (json) io.stdout(`${JSON.stringify([...actions, ...dashboardActions], null, 2)}
`);
    else {
      const created = actions.filter((a) => a.action === "created").length;
      io.stdout(`${created} created, ${actions.length - created} already there
`);
    }
    return EXIT.ok;
  }
};
export {
  command
};
