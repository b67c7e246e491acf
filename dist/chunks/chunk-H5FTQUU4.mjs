import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EditError,
  describeValueChanges
} from "./chunk-JOX6JB6K.mjs";
import {
  OverlaySource
} from "./chunk-3SB52TIX.mjs";
import {
  commitIdentity,
  git,
  gitSucceeds
} from "./chunk-PV334CNP.mjs";
import {
  targetId
} from "./chunk-O2B7TQHY.mjs";
import {
  GitRevisionSource,
  WorkingTreeSource,
  loadRepository
} from "./chunk-PWRRELHS.mjs";

// src/edit/change.ts
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
var ValidationFailed = class extends EditError {
  constructor(message, diagnostics) {
    super(message);
    this.diagnostics = diagnostics;
  }
  diagnostics;
};
function planEdit(start, base, spec, validate) {
  const raw = start.read(spec.file);
  if (raw === void 0) throw new EditError(`${spec.file} does not exist; create it first`);
  const before = raw.toString("utf8");
  const after = spec.apply(before);
  const head = loadRepository(new OverlaySource(start, { [spec.file]: after }));
  const errors = validate(head, base).filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new ValidationFailed(
      `refused: ${spec.file} would not pass validation and policy; nothing was changed`,
      errors
    );
  return { before, after, changes: describeValueChanges(findTarget(base, spec), findTarget(head, spec)) };
}
function findTarget(repo, spec) {
  const id = targetId(spec);
  return repo.targets.find((t) => targetId(t) === id);
}
function editWorkingTree(root, spec, validate) {
  const source = new WorkingTreeSource(root);
  const plan = planEdit(source, loadRepository(source), spec, validate);
  if (plan.after !== plan.before) writeFileSync(join(root, spec.file), plan.after);
  return { file: spec.file, changed: plan.after !== plan.before, changes: plan.changes };
}
var OpenChange = class extends EditError {
  constructor(pullRequest) {
    super(
      `pull request #${pullRequest.number} (${pullRequest.url}) is still open for this target: "${pullRequest.title}". Merge it and let it bake first (the guide moves one phase at a time), or pass --update to add this change to it.`
    );
    this.pullRequest = pullRequest;
  }
  pullRequest;
};
function changeBranch(spec) {
  return `flagops/change/${spec.application}/${spec.environment}/${spec.profile}`;
}
async function editAsPullRequest(spec, options) {
  const env = options.env ?? process.env;
  const work = mkdtempSync(join(tmpdir(), "flagops-edit-"));
  try {
    git(work, ["clone", "--quiet", "--no-tags", options.remote, "."], env);
    const baseBranch = options.baseBranch ?? defaultBranch(work, env);
    const branch = changeBranch(spec);
    const open = await options.github.pulls.findOpenByHead(branch);
    const stack = open !== void 0 && gitSucceeds(work, ["rev-parse", "--verify", "--quiet", `origin/${branch}`], env);
    git(
      work,
      ["checkout", "--quiet", "-B", branch, stack ? `origin/${branch}` : `origin/${baseBranch}`],
      env
    );
    const base = loadRepository(new GitRevisionSource(work, `origin/${baseBranch}`));
    const plan = planEdit(new WorkingTreeSource(work), base, spec, options.validate);
    if (plan.after === plan.before && !open)
      throw new EditError(`${spec.file} on ${baseBranch} already says so: no pull request needed`);
    if (plan.after !== plan.before && open && options.update !== true) throw new OpenChange(open);
    let action = open ? "updated" : "created";
    if (plan.after !== plan.before) {
      writeFileSync(join(work, spec.file), plan.after);
      git(work, ["add", "--", spec.file], env);
      git(
        work,
        [...commitIdentity(work, env), "commit", "--quiet", "-m", commitMessage(spec, plan.changes)],
        env
      );
      git(
        work,
        ["push", "--quiet", ...stack ? [] : ["--force"], "origin", `HEAD:refs/heads/${branch}`],
        env
      );
    } else action = "unchanged";
    const head = loadRepository(new WorkingTreeSource(work));
    const changes = describeValueChanges(findTarget(base, spec), findTarget(head, spec));
    const title = pullRequestTitle(spec, changes);
    const body = pullRequestBody(spec, changes);
    const pullRequest = open ? await options.github.pulls.update(open.number, { title, body }) : await options.github.pulls.create({ head: branch, base: baseBranch, title, body });
    return { branch, changes, pullRequest, action };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
function defaultBranch(work, env) {
  const ref = gitSucceeds(work, ["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"], env) ? git(work, ["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"], env) : "refs/remotes/origin/main";
  return ref.replace(/^refs\/remotes\/origin\//, "");
}
function summary(spec, changes) {
  return `${spec.application}/${spec.environment}: ${changes.length > 0 ? changes.join(", ") : "rollout plan"}`;
}
function commitMessage(spec, changes) {
  return `${summary(spec, changes)}

${spec.invocation}`;
}
function pullRequestTitle(spec, changes) {
  const title = summary(spec, changes);
  return title.length <= 120 ? title : `${title.slice(0, 119)}…`;
}
function pullRequestBody(spec, changes) {
  return [
    `Changes \`${spec.file}\`:`,
    "",
    ...changes.length > 0 ? changes.map((c) => `- \`${c}\``) : ["- no value changes"],
    ...spec.notes && spec.notes.length > 0 ? ["", ...spec.notes] : [],
    "",
    `Opened by \`${spec.invocation}\`. Re-running a flagops edit for this target updates this pull request.`
  ].join("\n");
}

export {
  ValidationFailed,
  editWorkingTree,
  changeBranch,
  editAsPullRequest
};
