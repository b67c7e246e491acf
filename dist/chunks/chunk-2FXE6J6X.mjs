import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  commitIdentity,
  git,
  gitOutput,
  gitSucceeds
} from "./chunk-DOYWIERC.mjs";
import {
  require_dist
} from "./chunk-S5U7UAL3.mjs";
import {
  EXIT,
  Failure
} from "./chunk-QKVV5EAQ.mjs";
import {
  __toESM
} from "./chunk-UMADLKRQ.mjs";

// src/edit/yaml-edit.ts
var import_yaml = __toESM(require_dist(), 1);
var EditError = class extends Failure {
};
function yamlScalar(value) {
  return (0, import_yaml.stringify)(value).trimEnd();
}
function flowMap(value) {
  const pairs = Object.entries(value).map(([k, v]) => `${yamlScalar(k)}: ${yamlScalar(v)}`);
  return `{ ${pairs.join(", ")} }`;
}
function setIn(source, path, valueText) {
  if (path.length === 0) throw new EditError("cannot replace the whole document");
  const doc = (0, import_yaml.parseDocument)(source);
  if (doc.errors.length > 0)
    throw new EditError(
      `the file is not valid YAML (${doc.errors[0]?.message ?? "parse error"}); fix it first`
    );
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  if (!(0, import_yaml.isMap)(parent)) {
    const where = parentPath.length === 0 ? "the document" : parentPath.join(".");
    throw new EditError(`${where} is not a mapping, so ${path.join(".")} cannot be set`);
  }
  const pair = findPair(parent, key);
  const edited = pair ? replaceValue(source, pair, valueText) : insertPair(source, parent, key, valueText);
  assertParses(edited, path);
  return edited;
}
function findPair(map, key) {
  return map.items.find((p) => (0, import_yaml.isScalar)(p.key) && String(p.key.value) === key);
}
function rangeOf(node) {
  const range = node?.range;
  return range ?? void 0;
}
function replaceValue(source, pair, valueText) {
  const value = rangeOf(pair.value);
  const key = rangeOf(pair.key);
  if (!key) throw new EditError("cannot locate the key in the file");
  if (value && (0, import_yaml.isScalar)(pair.value)) return splice(source, value[0], value[1], valueText);
  let end = value ? value[1] : key[1];
  while (end > key[1] && /\s/.test(source[end - 1] ?? "")) end--;
  return splice(source, key[1], end, `: ${valueText}`);
}
function insertPair(source, parent, key, valueText) {
  const entry = `${yamlScalar(key)}: ${valueText}`;
  const last = parent.items[parent.items.length - 1];
  const range = rangeOf(parent);
  if (parent.flow) {
    if (!range) throw new EditError("cannot locate the mapping in the file");
    const lastEnd2 = last ? rangeOf(last.value ?? last.key)?.[1] : void 0;
    if (lastEnd2 !== void 0) return splice(source, lastEnd2, lastEnd2, `, ${entry}`);
    return splice(source, range[0], range[1], `{ ${entry} }`);
  }
  if (!last) {
    return source.length === 0 || source.endsWith("\n") ? `${source}${entry}
` : `${source}
${entry}
`;
  }
  const firstKey = rangeOf(parent.items[0]?.key);
  const lastEnd = rangeOf(last.value ?? last.key)?.[1];
  if (!firstKey || lastEnd === void 0) throw new EditError("cannot locate the mapping in the file");
  const indent = firstKey[0] - lineStart(source, firstKey[0]);
  const newline = source.indexOf("\n", Math.max(lastEnd - 1, 0));
  const at = newline === -1 ? source.length : newline + 1;
  const prefix = newline === -1 ? "\n" : "";
  return splice(source, at, at, `${prefix}${" ".repeat(indent)}${entry}
`);
}
function lineStart(source, offset) {
  return source.lastIndexOf("\n", offset - 1) + 1;
}
function splice(source, start, end, text) {
  return source.slice(0, start) + text + source.slice(end);
}
function assertParses(edited, path) {
  const doc = (0, import_yaml.parseDocument)(edited);
  if (doc.errors.length > 0 || !doc.hasIn(path))
    throw new EditError(`editing ${path.join(".")} would break the file; edit it by hand`);
}

// src/git/remote.ts
function gitRemote(root, env) {
  const url = env["FLAGOPS_GIT_REMOTE"] || gitOutput(root, ["remote", "get-url", "origin"], env) || "";
  if (!url)
    throw new Failure(
      `no git remote to push to: set FLAGOPS_GIT_REMOTE or run in a checkout with an "origin" remote (${root})`,
      EXIT.usage
    );
  const token = env["GITHUB_TOKEN"];
  if (!token || !/^https:\/\//.test(url)) return { url, env };
  const host = new URL(url).origin;
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    url,
    env: {
      ...env,
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: `http.${host}/.extraheader`,
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`
    }
  };
}

// src/propose/clone.ts
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
async function inClone(remote, env, purpose, body) {
  const dir = mkdtempSync(join(tmpdir(), `flagops-${purpose}-`));
  try {
    git(dir, ["clone", "--quiet", "--no-tags", remote, "."], env);
    return await body(cloneIn(dir, env));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
function cloneIn(dir, env) {
  return {
    dir,
    defaultBranch() {
      const ref = gitOutput(dir, ["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"], env);
      return (ref ?? "refs/remotes/origin/main").replace(/^refs\/remotes\/origin\//, "");
    },
    hasBranch(branch) {
      return gitSucceeds(dir, ["rev-parse", "--verify", "--quiet", `origin/${branch}`], env);
    },
    fileOn(branch, file) {
      return gitOutput(dir, ["show", `origin/${branch}:${file}`], env);
    },
    checkout(branch, from) {
      git(dir, ["checkout", "--quiet", "-B", branch, `origin/${from}`], env);
    },
    commitFile(file, text, message, options = {}) {
      writeFileSync(join(dir, file), text);
      git(dir, ["add", "--", file], env);
      const allowEmpty = options.allowEmpty ? ["--allow-empty"] : [];
      git(dir, [...commitIdentity(dir, env), "commit", "--quiet", ...allowEmpty, "-m", message], env);
    },
    push(branch, options = {}) {
      const force = options.force ? ["--force"] : [];
      git(dir, ["push", "--quiet", ...force, "origin", `HEAD:refs/heads/${branch}`], env);
    }
  };
}
async function upsertPullRequest(pulls, open, wanted) {
  if (!open) return { pullRequest: await pulls.create(wanted), created: true, changed: true };
  if (open.title === wanted.title && open.body === wanted.body)
    return { pullRequest: open, created: false, changed: false };
  const pullRequest = await pulls.update(open.number, { title: wanted.title, body: wanted.body });
  return { pullRequest, created: false, changed: true };
}

// src/edit/describe.ts
function describeValueChanges(before, after) {
  const lines = [];
  const old = before?.flags ?? {};
  for (const [name, value] of Object.entries(after.flags ?? {})) {
    const was = old[name];
    if (was?.enabled !== value.enabled)
      lines.push(`${name} ${was ? onOff(was.enabled) : "absent"} → ${onOff(value.enabled)}`);
    for (const [attr, v] of Object.entries(value.attributes)) {
      const w = was?.attributes[attr];
      if (JSON.stringify(w) !== JSON.stringify(v)) lines.push(`${name}.${attr} ${show(w)} → ${show(v)}`);
    }
  }
  return lines;
}
function onOff(enabled) {
  return enabled ? "on" : "off";
}
function show(v) {
  return v === void 0 ? "unset" : typeof v === "string" ? v : JSON.stringify(v);
}

export {
  inClone,
  upsertPullRequest,
  describeValueChanges,
  EditError,
  yamlScalar,
  flowMap,
  setIn,
  gitRemote
};
