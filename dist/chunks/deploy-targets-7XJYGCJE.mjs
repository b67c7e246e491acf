import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import "./chunk-XC3Q56L7.mjs";
import {
  git
} from "./chunk-DOYWIERC.mjs";
import "./chunk-KAJDPQA3.mjs";
import {
  WorkingTreeSource,
  loadRepository
} from "./chunk-S5U7UAL3.mjs";
import {
  EXIT
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/deploy-targets.ts
import { appendFileSync } from "node:fs";

// src/approvals/touched.ts
function touchedEnvironments(repo, paths) {
  const touched = /* @__PURE__ */ new Map();
  const add = (app, envs) => {
    const set = touched.get(app) ?? /* @__PURE__ */ new Set();
    for (const e of envs) set.add(e);
    touched.set(app, set);
  };
  for (const path of paths) {
    for (const app of Object.values(repo.applications)) {
      const all = app.environments.map((e) => e.name);
      if (path.startsWith("schemas/")) add(app.name, all);
      if (!path.startsWith(`${app.dir}/`)) continue;
      const rest = path.slice(app.dir.length + 1);
      if (rest === "app.yaml") add(app.name, all);
      const env = rest.split("/")[0];
      if (env !== void 0 && rest.includes("/") && all.includes(env)) add(app.name, [env]);
    }
  }
  const result = /* @__PURE__ */ new Map();
  for (const [name, set] of touched) {
    const order = repo.applications[name]?.environments.map((e) => e.name) ?? [];
    result.set(
      name,
      order.filter((e) => set.has(e))
    );
  }
  return result;
}
function deployMatrix(touched) {
  const include = [];
  for (const [application, environments] of touched)
    for (const environment of environments) include.push({ application, environment });
  return { include };
}
function allEnvironments(repo, application) {
  const all = /* @__PURE__ */ new Map();
  for (const app of Object.values(repo.applications))
    if (application === void 0 || app.name === application)
      all.set(
        app.name,
        app.environments.map((e) => e.name)
      );
  return all;
}

// src/cli/commands/deploy-targets.ts
var text = (v) => typeof v === "string" && v !== "" ? v : void 0;
var command = {
  name: "deploy-targets",
  summary: "Print the deploy matrix: the targets a push changed, or those asked for",
  options: {
    before: {
      type: "string",
      description: "Commit before the push (github.event.before)",
      placeholder: "SHA"
    },
    after: { type: "string", description: "Commit after the push (default HEAD)", placeholder: "SHA" },
    "app-name": { type: "string", description: "Only this application", placeholder: "NAME" },
    environment: { type: "string", description: "Only this environment", placeholder: "ENV" }
  },
  async run(args, io) {
    const repo = loadRepository(new WorkingTreeSource(io.cwd));
    const before = text(args.options["before"]) ?? "";
    const after = text(args.options["after"]) ?? "HEAD";
    const application = text(args.options["app-name"]);
    const environment = text(args.options["environment"]);
    const knownRange = /^[0-9a-f]{40}$/.test(before) && !/^0+$/.test(before);
    let touched = allEnvironments(repo, application);
    if (knownRange && !application && !environment) {
      const paths = git(io.cwd, ["diff", "--name-only", before, after], io.env).split("\n").filter(Boolean);
      touched = touchedEnvironments(repo, paths);
    }
    if (environment)
      for (const [app, envs] of touched)
        touched.set(
          app,
          envs.filter((e) => e === environment)
        );
    const matrix = deployMatrix(touched);
    const outputs = `matrix=${JSON.stringify(matrix)}
count=${matrix.include.length}
`;
    if (io.env["GITHUB_OUTPUT"]) appendFileSync(io.env["GITHUB_OUTPUT"], outputs);
    io.stdout(outputs);
    return EXIT.ok;
  }
};
export {
  command
};
