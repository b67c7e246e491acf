import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  latestOpinions
} from "./chunk-YWRZMMGV.mjs";
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
  findTarget
} from "./chunk-Z3X7HJHO.mjs";
import {
  resolveTarget
} from "./chunk-4FJUIIKQ.mjs";
import {
  originalPullComment,
  revertBody,
  revertBranch,
  revertTitle
} from "./chunk-NAC7TEFE.mjs";
import {
  commitFromGit
} from "./chunk-BEQOJOJR.mjs";
import {
  git,
  gitSucceeds
} from "./chunk-DOYWIERC.mjs";
import {
  runningDeployment
} from "./chunk-RGNUHZZM.mjs";
import {
  decompileFeatureFlags,
  matchesDeployed,
  targetId
} from "./chunk-KAJDPQA3.mjs";
import {
  REVERT_LABELS,
  WorkingTreeSource,
  loadRepository
} from "./chunk-S5U7UAL3.mjs";
import {
  Failure
} from "./chunk-QKVV5EAQ.mjs";

// src/github/identity.ts
var ACTIONS_BOT = "github-actions[bot]";
async function tokenLogin(octokit, fallback = ACTIONS_BOT) {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    const status = error.status;
    if (status === 401 || status === 403 || status === 404) return fallback;
    throw error;
  }
}

// src/revert/open.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";

// src/github/sticky-comment.ts
var COMMENT_LIMIT = 65e3;
function markerFor(purpose) {
  return `<!-- flagops:${purpose} -->`;
}
function sameLogin(a, b) {
  const norm = (s) => s.toLowerCase().replace(/\[bot\]$/, "");
  return norm(a) === norm(b);
}
function stickyBody(text, marker, limit = COMMENT_LIMIT) {
  const suffix = `

${marker}`;
  const room = limit - suffix.length;
  if (text.length <= room) return text + suffix;
  const note = "\n\n… (truncated: the full text is in the job summary)";
  return text.slice(0, room - note.length) + note + suffix;
}
async function upsertStickyComment(comments, request) {
  const marker = markerFor(request.purpose);
  const body = stickyBody(request.text, marker);
  const existing = (await comments.list(request.issue)).find(
    (c) => sameLogin(c.author, request.author) && c.body.includes(marker)
  );
  if (!existing) return { action: "created", comment: await comments.create(request.issue, body) };
  if (existing.body === body) return { action: "unchanged", comment: existing };
  return { action: "updated", comment: await comments.update(existing.id, body) };
}

// src/revert/restore.ts
var RestoreError = class extends Failure {
};
function valueText(value) {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return yamlScalar(value);
  return JSON.stringify(value);
}
function isScalarRecord(value) {
  return Object.values(value).every((v) => ["string", "number", "boolean"].includes(typeof v));
}
function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}
function restoreFeatureFlags(source, current, deployed) {
  let text = source;
  for (const name of Object.keys(current)) {
    if (!(name in deployed))
      throw new RestoreError(`flag ${name} is in the file but not deployed; it would have to be removed`);
  }
  for (const [name, want] of Object.entries(deployed)) {
    const have = current[name];
    try {
      if (!have) {
        const whole = { enabled: want.enabled, ...want.attributes };
        text = setIn(text, [name], isScalarRecord(whole) ? flowMap(whole) : JSON.stringify(whole));
        continue;
      }
      if (have.enabled !== want.enabled) text = setIn(text, [name, "enabled"], yamlScalar(want.enabled));
      for (const key of Object.keys(have.attributes)) {
        if (!(key in want.attributes) && want.enabled)
          throw new RestoreError(
            `${name}.${key} is in the file but not deployed; it would have to be removed`
          );
      }
      for (const [key, value] of Object.entries(want.attributes)) {
        if (!same(have.attributes[key], value)) text = setIn(text, [name, key], valueText(value));
      }
    } catch (error) {
      if (error instanceof EditError) throw new RestoreError(`${name}: ${error.message}`);
      throw error;
    }
  }
  return text;
}
var LABEL = /^flagops\.([A-Za-z0-9-]{1,20})\.([0-9a-f]{16})$/;
function labelCommit(label) {
  const commit = label === void 0 ? void 0 : LABEL.exec(label)?.[1];
  return commit && commit !== "local" ? commit : void 0;
}

// src/revert/open.ts
var RevertError = class extends Failure {
};
async function openRevert(input) {
  const { evidence, aws, github } = input;
  const env = input.env ?? process.env;
  const baseBranch = input.baseBranch ?? "main";
  const ref = evidence.target;
  const id = targetId(ref);
  const t = await resolveTarget(aws, ref);
  const deployments = await aws.appconfig.listDeployments(t.application.id, t.environment.id);
  const running = runningDeployment(deployments, t.profile.name);
  if (!running)
    throw new RevertError(
      `${id} serves no configuration after the rollback, so there is no content to restore the file to; fix forward with a pull request`
    );
  const hosted = await aws.appconfig.getHostedVersion(
    t.application.id,
    t.profile.id,
    Number(running.version)
  );
  const deployedBytes = Buffer.from(hosted.content);
  let badLabel = evidence.badVersion?.label;
  if (badLabel === void 0 && evidence.deploymentNumber !== void 0) {
    badLabel = (await aws.appconfig.getDeployment(t.application.id, t.environment.id, evidence.deploymentNumber)).versionLabel;
  }
  const badCommit = labelCommit(badLabel);
  const branch = revertBranch(ref, badCommit);
  return inClone(input.remote, env, "revert", async (clone) => {
    const work = clone.dir;
    clone.checkout(branch, baseBranch);
    const repo = loadRepository(new WorkingTreeSource(work));
    const { app, target } = findTarget(repo, ref);
    const before = readFileSync(join(work, target.file), "utf8");
    const restored = restoreFile(work, app, target, before, deployedBytes, running.versionLabel, env);
    const changes = describeValueChanges(target, findTarget(restored.repo, ref).target);
    const open = await github.pulls.findOpenByHead(branch);
    if (restored.text === before && !open) {
      return {
        action: "not-needed",
        branch,
        changes: [],
        message: `${target.file} on ${baseBranch} already says what ${id} serves (version ${running.version}); no revert needed`
      };
    }
    const originalPull = await findOriginalPull(work, github, badCommit, env);
    const body = revertBody(evidence, {
      file: target.file,
      ...badCommit ? { badCommit } : {},
      ...originalPull ? { originalPull: originalPull.pull } : {},
      changes
    });
    const title = revertTitle(evidence);
    const remoteHas = open !== void 0 && clone.fileOn(branch, target.file) === restored.text.trimEnd();
    if (!remoteHas) {
      clone.commitFile(
        target.file,
        restored.text,
        `${title}

Restores ${target.file} to ${running.versionLabel ?? `version ${running.version}`}, which ${id} serves after the rollback.`,
        { allowEmpty: true }
      );
      clone.push(branch, { force: true });
    }
    const upserted = await upsertPullRequest(github.pulls, open, {
      head: branch,
      base: baseBranch,
      title,
      body
    });
    const { pullRequest } = upserted;
    const action = upserted.created ? "created" : upserted.changed || !remoteHas ? "updated" : "unchanged";
    if (upserted.created) {
      const reviewers = [.../* @__PURE__ */ new Set([originalPull?.pull.author, ...originalPull?.approvers ?? []])].filter(
        (l) => !!l && l.toLowerCase() !== input.login.toLowerCase() && !l.endsWith("[bot]")
      );
      await github.pulls.requestReviewers(pullRequest.number, reviewers);
    }
    const missing = REVERT_LABELS.filter((l) => !pullRequest.labels.includes(l));
    if (missing.length > 0) await github.labels.add(pullRequest.number, missing);
    if (originalPull) {
      await upsertStickyComment(github.comments, {
        issue: originalPull.pull.number,
        purpose: `revert:${id}`,
        author: input.login,
        text: originalPullComment(evidence, pullRequest)
      });
    }
    return {
      action,
      branch,
      pullRequest: { ...pullRequest, labels: [.../* @__PURE__ */ new Set([...pullRequest.labels, ...REVERT_LABELS])] },
      restoredFrom: restored.from,
      changes,
      ...originalPull ? { originalPull: originalPull.pull.number } : {}
    };
  });
}
function restoreFile(work, app, target, before, deployed, runningLabel, env) {
  const attempt = (text) => {
    const next = loadRepository(new OverlaySource(new WorkingTreeSource(work), { [target.file]: text }));
    const t = next.targets.find((x) => x.file === target.file);
    const a = next.applications[app.name];
    return t && a && matchesDeployed(a, t, deployed) ? next : void 0;
  };
  let problem = "";
  if (target.profileType === "AWS.AppConfig.FeatureFlags" && target.flags) {
    const decoded = decompileFeatureFlags(deployed);
    if (!decoded.ok) problem = decoded.error;
    else {
      try {
        const text = restoreFeatureFlags(before, target.flags, decoded.flags);
        const next = attempt(text);
        if (next) return { text, repo: next, from: "deployed-document" };
        problem = "the edited file does not compile to the deployed content";
      } catch (error) {
        if (!(error instanceof RestoreError)) throw error;
        problem = error.message;
      }
    }
  } else problem = "freeform profiles are restored from the labelled commit";
  const commit = labelCommit(runningLabel);
  if (commit && gitSucceeds(work, ["cat-file", "-e", `${commit}:${target.file}`], env)) {
    const text = `${git(work, ["show", `${commit}:${target.file}`], env)}
`;
    const next = attempt(text);
    if (next) return { text, repo: next, from: "labelled-commit" };
  }
  throw new RevertError(
    `cannot restore ${target.file} to the deployed content (${problem}${commit ? `; commit ${commit} from the label does not give it either` : ""}); restore the file by hand in a pull request`
  );
}
async function findOriginalPull(work, github, commit, env) {
  if (!commit || !gitSucceeds(work, ["cat-file", "-e", `${commit}^{commit}`], env)) return void 0;
  const info = commitFromGit(work, commit);
  if (info.pullRequest === void 0) return void 0;
  try {
    const pull = await github.pulls.get(info.pullRequest);
    const approvers = [...latestOpinions(await github.pulls.listReviews(pull.number)).values()].filter((r) => r.state === "APPROVED" && !r.isBot && r.user !== pull.author).map((r) => r.user);
    return { pull, approvers };
  } catch {
    return void 0;
  }
}

export {
  tokenLogin,
  openRevert
};
