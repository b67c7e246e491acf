import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  policyNow
} from "./chunk-IMSBEPII.mjs";
import {
  ValidationFailed,
  editAsPullRequest,
  editWorkingTree,
  setPercentage
} from "./chunk-N3YVVLY2.mjs";
import {
  EditError,
  gitRemote
} from "./chunk-2FXE6J6X.mjs";
import {
  validateRepository
} from "./chunk-5XP62VFB.mjs";
import {
  dwellFromEnv
} from "./chunk-DKJJ2XPZ.mjs";
import {
  verificationFromEnv
} from "./chunk-UNCDWQFU.mjs";
import {
  gitHubFromEnv
} from "./chunk-VJ6H3ZYA.mjs";
import {
  loadWorkingTree
} from "./chunk-7GHZ77ZE.mjs";
import {
  TARGET_OPTIONS,
  findRepoRoot,
  selectTarget
} from "./chunk-SLK3YAOL.mjs";
import {
  formatDiagnostic
} from "./chunk-S5U7UAL3.mjs";
import {
  CliError,
  EXIT
} from "./chunk-QKVV5EAQ.mjs";

// src/cli/commands/set-percentage.ts
var EDIT_OPTIONS = {
  "app-name": TARGET_OPTIONS["app-name"],
  environment: TARGET_OPTIONS.environment,
  pr: {
    type: "boolean",
    description: "Commit on a branch, push it (FLAGOPS_GIT_REMOTE or origin) and open its pull request"
  },
  update: {
    type: "boolean",
    description: "With --pr: add this change to the target's open pull request instead of refusing"
  }
};
var command = {
  name: "set-percentage",
  summary: "Set the share of API queries served by InfluxDB in one environment",
  description: "Edits flags/<app>/<env>/feature-flags.yaml in place (comments and layout kept), validates it with\npolicy and refuses an illegal change with the reason. With --pr the change goes to a pull request\n(GITHUB_TOKEN, GITHUB_REPOSITORY); re-running updates the same pull request.",
  options: {
    ...EDIT_OPTIONS,
    percentage: { type: "number", description: "Percentage 0-100", placeholder: "N", required: true }
  },
  async run(args, io) {
    const percentage = numberOption(args, "percentage");
    return runEdit(args, io, {
      name: "set-percentage",
      flags: `--percentage ${percentage}`,
      apply: (text) => setPercentage(text, percentage)
    });
  }
};
function numberOption(args, name) {
  const value = args.options[name];
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new CliError(`--${name} needs a number, got ${String(value)}`, EXIT.usage);
  return value;
}
async function runEdit(args, io, edit) {
  const root = findRepoRoot(io.cwd, io.env);
  const environment = String(args.options["environment"]);
  const appName = args.options["app-name"];
  const { app, target } = selectTarget(loadWorkingTree(root), { appName, environment });
  const spec = {
    application: app.name,
    environment,
    profile: target.profile,
    file: target.file,
    apply: edit.apply,
    invocation: `flagops ${edit.name} --app-name ${app.name} --environment ${environment} ${edit.flags}`,
    ...edit.notes ? { notes: edit.notes } : {}
  };
  const now = policyNow(io.env);
  const current = loadWorkingTree(root);
  const verification = await verificationFromEnv(io.env, current);
  const dwell = await dwellFromEnv(io.env, current);
  const validate = (head, base) => validateRepository(head, base, now, {
    ...verification ? { verification } : {},
    ...dwell ? { dwell } : {}
  });
  try {
    if (args.options["pr"] !== true) {
      const outcome2 = editWorkingTree(root, spec, validate);
      if (!outcome2.changed) io.stdout(`${outcome2.file}: already so, nothing to change
`);
      else io.stdout(`${outcome2.file}: ${outcome2.changes.join(", ") || "updated"}
`);
      return EXIT.ok;
    }
    const { api } = gitHubFromEnv(io.env);
    const remote = gitRemote(root, io.env);
    const outcome = await editAsPullRequest(spec, {
      remote: remote.url,
      github: api,
      validate,
      env: remote.env,
      update: args.options["update"] === true
    });
    io.stdout(
      `${outcome.action === "created" ? "opened" : outcome.action === "updated" ? "updated" : "unchanged"} pull request #${outcome.pullRequest.number} (${outcome.branch}): ${outcome.changes.join(", ")}
${outcome.pullRequest.url}
`
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ValidationFailed) {
      for (const d of error.diagnostics) io.stderr(`${formatDiagnostic(d)}
`);
      throw new CliError(error.message, EXIT.failed);
    }
    if (error instanceof EditError) throw new CliError(error.message, EXIT.failed);
    throw error;
  }
}

export {
  EDIT_OPTIONS,
  command,
  numberOption,
  runEdit
};
