import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  dashboardBody,
  isDashboardDrift,
  syncDashboards
} from "./chunk-5FMCSJNL.mjs";
import {
  runtimeFromEnvironment
} from "./chunk-BEQOJOJR.mjs";
import {
  loadWorkingTree
} from "./chunk-7GHZ77ZE.mjs";
import {
  findRepoRoot,
  selectApplication
} from "./chunk-SLK3YAOL.mjs";
import {
  CliError,
  EXIT
} from "./chunk-QKVV5EAQ.mjs";

// src/cli/commands/dashboard.ts
var command = {
  name: "dashboard",
  summary: "Write or check the CloudWatch dashboards app.yaml names, from the guards",
  options: {
    apply: {
      type: "boolean",
      description: "Write every dashboard that differs (PutDashboard)",
      default: false
    },
    check: {
      type: "boolean",
      description: "Exit 1 when a dashboard is missing or changed by hand",
      default: false
    },
    environment: { type: "string", description: "Only this environment", placeholder: "E" },
    "app-name": { type: "string", description: "Only this application (default: all)", placeholder: "NAME" }
  },
  async run(args, io) {
    if (args.options["apply"] && args.options["check"])
      throw new CliError("use --apply or --check, not both", EXIT.usage);
    const repo = loadWorkingTree(findRepoRoot(io.cwd, io.env));
    const appName = args.options["app-name"];
    const apps = appName ? [selectApplication(repo, appName)] : Object.values(repo.applications);
    const environment = args.options["environment"];
    const region = dashboardRegion(io.env);
    if (!args.options["apply"] && !args.options["check"]) {
      io.stdout(`${JSON.stringify(printable(apps, environment, region), null, 2)}
`);
      return EXIT.ok;
    }
    const { aws } = await runtimeFromEnvironment(io.env);
    const results = await runDashboards(
      aws,
      apps,
      {
        mode: args.options["apply"] ? "apply" : "check",
        region,
        ...environment !== void 0 ? { environment } : {}
      },
      io
    );
    return results.some(isDashboardDrift) ? EXIT.failed : EXIT.ok;
  }
};
function dashboardRegion(env) {
  return env["AWS_REGION"] || env["AWS_DEFAULT_REGION"] || "us-east-1";
}
async function runDashboards(aws, apps, options, io) {
  const results = await syncDashboards(aws, apps, options);
  for (const line of describeDashboards(results)) io.stdout(`${line}
`);
  return results;
}
function describeDashboards(results) {
  return results.map(
    (r) => `dashboard ${r.dashboard} (${r.application}/${r.environment}): ${DESCRIBE[r.state]}`
  );
}
var DESCRIBE = {
  created: "created",
  updated: "updated from the guards",
  unchanged: "matches the guards",
  stale: "matches the guards; deployment markers behind — `flagops dashboard --apply` adds them",
  missing: "missing — run `flagops dashboard --apply`",
  drifted: "changed outside git — `flagops dashboard --apply` restores it from the guards"
};
function printable(apps, environment, region) {
  const out = {};
  for (const app of apps)
    for (const env of app.environments)
      if (env.dashboard && (environment === void 0 || env.name === environment))
        out[env.dashboard] = dashboardBody({
          application: app.name,
          environment: env.name,
          region,
          guards: env.guards.map((g) => app.guards[g]).filter((g) => g !== void 0),
          deployments: []
        });
  return out;
}

export {
  command,
  dashboardRegion,
  runDashboards,
  describeDashboards
};
