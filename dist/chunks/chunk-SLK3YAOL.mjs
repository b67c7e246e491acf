import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  CliError,
  EXIT
} from "./chunk-QKVV5EAQ.mjs";

// src/cli/context.ts
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
function findRepoRoot(cwd, env) {
  const explicit = env["FLAGOPS_ROOT"];
  if (explicit) return resolve(cwd, explicit);
  let dir = resolve(cwd);
  for (; ; ) {
    if (existsSync(join(dir, "flags")) && statSync(join(dir, "flags")).isDirectory()) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}
function selectApplication(repo, appName) {
  const names = Object.keys(repo.applications);
  if (appName === void 0) {
    if (names.length === 1) return repo.applications[names[0]];
    if (names.length === 0)
      throw new CliError("no application found under flags/ (expected flags/<app>/app.yaml)");
    throw new CliError(
      `several applications under flags/ (${names.join(", ")}): choose one with --app-name`,
      EXIT.usage
    );
  }
  const app = repo.applications[appName];
  if (!app)
    throw new CliError(
      `no application "${appName}" under flags/; known: ${names.join(", ") || "none"}`,
      EXIT.usage
    );
  return app;
}
function selectTarget(repo, selector) {
  const app = selectApplication(repo, selector.appName);
  const profile = selector.profile ?? "feature-flags";
  const envNames = app.environments.map((e) => e.name);
  if (!envNames.includes(selector.environment)) {
    throw new CliError(
      `application ${app.name} has no environment "${selector.environment}"; known: ${envNames.join(", ")}`,
      EXIT.usage
    );
  }
  if (!app.profiles[profile]) {
    throw new CliError(
      `application ${app.name} has no profile "${profile}"; known: ${Object.keys(app.profiles).join(", ")}`,
      EXIT.usage
    );
  }
  const target = repo.targets.find(
    (t) => t.application === app.name && t.environment === selector.environment && t.profile === profile
  );
  if (!target)
    throw new CliError(`${app.dir}/${selector.environment}/${profile}.yaml is missing or could not be read`);
  return { app, target };
}
var TARGET_OPTIONS = {
  "app-name": {
    type: "string",
    description: "Application (may be omitted when flags/ has one)",
    placeholder: "NAME"
  },
  environment: {
    type: "string",
    description: "Environment, e.g. production",
    placeholder: "ENV",
    required: true
  },
  profile: {
    type: "string",
    description: "Configuration profile",
    placeholder: "PROFILE",
    default: "feature-flags"
  }
};
function targetFromArgs(args, io, load) {
  const root = findRepoRoot(io.cwd, io.env);
  const repo = load(root);
  const { app, target } = selectTarget(repo, {
    appName: args.options["app-name"],
    environment: args.options["environment"],
    profile: args.options["profile"]
  });
  return { root, repo, app, target };
}

export {
  findRepoRoot,
  selectApplication,
  selectTarget,
  TARGET_OPTIONS,
  targetFromArgs
};
