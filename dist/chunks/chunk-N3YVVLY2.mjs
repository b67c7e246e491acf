import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EditError,
  describeValueChanges,
  flowMap,
  inClone,
  setIn,
  upsertPullRequest,
  yamlScalar
} from "./chunk-2FXE6J6X.mjs";
import {
  OverlaySource
} from "./chunk-5PF2FZBE.mjs";
import {
  mdCode
} from "./chunk-PX4VJDWW.mjs";
import {
  targetId
} from "./chunk-KAJDPQA3.mjs";
import {
  GitRevisionSource,
  ROLLOUT_KEY,
  WorkingTreeSource,
  loadRepository,
  require_dist
} from "./chunk-S5U7UAL3.mjs";
import {
  __toESM
} from "./chunk-UMADLKRQ.mjs";

// src/edit/change.ts
import { writeFileSync } from "node:fs";
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
  return inClone(options.remote, options.env ?? process.env, "edit", async (clone) => {
    const baseBranch = options.baseBranch ?? clone.defaultBranch();
    const branch = changeBranch(spec);
    const open = await options.github.pulls.findOpenByHead(branch);
    const stack = open !== void 0 && clone.hasBranch(branch);
    clone.checkout(branch, stack ? branch : baseBranch);
    const base = loadRepository(new GitRevisionSource(clone.dir, `origin/${baseBranch}`));
    const plan = planEdit(new WorkingTreeSource(clone.dir), base, spec, options.validate);
    if (plan.after === plan.before && !open)
      throw new EditError(`${spec.file} on ${baseBranch} already says so: no pull request needed`);
    if (plan.after !== plan.before && open && options.update !== true) throw new OpenChange(open);
    let action = open ? "updated" : "created";
    if (plan.after !== plan.before) {
      clone.commitFile(spec.file, plan.after, commitMessage(spec, plan.changes));
      clone.push(branch, { force: !stack });
    } else action = "unchanged";
    const head = loadRepository(new WorkingTreeSource(clone.dir));
    const changes = describeValueChanges(findTarget(base, spec), findTarget(head, spec));
    const { pullRequest } = await upsertPullRequest(options.github.pulls, open, {
      head: branch,
      base: baseBranch,
      title: pullRequestTitle(spec, changes),
      body: pullRequestBody(spec, changes)
    });
    return { branch, changes, pullRequest, action };
  });
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
    ...changes.length > 0 ? changes.map((c) => `- ${mdCode(c)}`) : ["- no value changes"],
    ...spec.notes && spec.notes.length > 0 ? ["", ...spec.notes] : [],
    "",
    `Opened by \`${spec.invocation}\`. Re-running a flagops edit for this target updates this pull request.`
  ].join("\n");
}

// src/edit/traffic.ts
var import_yaml = __toESM(require_dist(), 1);
var TRAFFIC_FLAG = "influxdb_traffic_percentage";
var TRAFFIC_ATTRIBUTE = "percentage";
var QUERIES_FLAG = "use_influxdb_for_api_queries";
function setPercentage(source, percentage) {
  checkPercentage(percentage, "percentage");
  let text = setIn(source, [TRAFFIC_FLAG, TRAFFIC_ATTRIBUTE], yamlScalar(percentage));
  if (percentage > 0 && readIn(text, [TRAFFIC_FLAG, "enabled"]) !== true)
    text = setIn(text, [TRAFFIC_FLAG, "enabled"], "true");
  return text;
}
function enableQueries(source) {
  if (readIn(source, [QUERIES_FLAG, "enabled"]) === true) return source;
  return setIn(source, [QUERIES_FLAG, "enabled"], "true");
}
function gradualRollout(source, request) {
  checkPercentage(request.target, "target");
  if (!Number.isFinite(request.stepSize) || request.stepSize <= 0)
    throw new EditError(`--step-size must be a positive number, got ${request.stepSize}`);
  if (!Number.isFinite(request.waitMinutes) || request.waitMinutes < 0)
    throw new EditError(`--wait-minutes must be 0 or more, got ${request.waitMinutes}`);
  const current = readIn(source, [TRAFFIC_FLAG, TRAFFIC_ATTRIBUTE]);
  const from = typeof current === "number" ? current : 0;
  if (request.target <= from)
    throw new EditError(
      `${TRAFFIC_FLAG}.${TRAFFIC_ATTRIBUTE} is already ${from}; a gradual rollout only goes up (use set-percentage to lower it)`
    );
  const plan = {
    flag: TRAFFIC_FLAG,
    attribute: TRAFFIC_ATTRIBUTE,
    target: request.target,
    step: request.stepSize,
    wait_minutes: request.waitMinutes
  };
  const withPlan = setIn(source, [ROLLOUT_KEY], flowMap({ ...plan }));
  return setPercentage(withPlan, Math.min(from + request.stepSize, request.target));
}
function checkPercentage(value, name) {
  if (!Number.isFinite(value) || value < 0 || value > 100)
    throw new EditError(`--${name} must be a number from 0 to 100, got ${value}`);
}
function readIn(source, path) {
  return (0, import_yaml.parseDocument)(source).getIn(path);
}
function removeRollout(source) {
  const lines = source.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`${ROLLOUT_KEY}:`));
  if (start < 0) return source;
  let end = start + 1;
  while (end < lines.length && /^\s+\S/.test(lines[end] ?? "")) end += 1;
  lines.splice(start, end - start);
  return lines.join("\n");
}

export {
  ValidationFailed,
  editWorkingTree,
  changeBranch,
  editAsPullRequest,
  setPercentage,
  enableQueries,
  gradualRollout,
  removeRollout
};
