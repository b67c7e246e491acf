import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  gitHubFromEnv
} from "./chunk-VJ6H3ZYA.mjs";
import {
  compileTarget,
  targetId
} from "./chunk-KAJDPQA3.mjs";
import {
  BAKE_TASK
} from "./chunk-S5U7UAL3.mjs";

// src/rollout/bake-record.ts
var STATE = {
  healthy: "success",
  breached: "failure",
  unverified: "error",
  "no-data": "error"
};
function gitHubBakeStore(octokit, repo) {
  const base = { owner: repo.owner, repo: repo.repo };
  const list = async (environment) => {
    const { data } = await octokit.rest.repos.listDeployments({
      ...base,
      task: BAKE_TASK,
      environment,
      per_page: 100
    });
    return data.flatMap((d) => {
      const facts = parseFacts(d.payload);
      return facts ? [{ ...facts, id: d.id, url: d.url }] : [];
    });
  };
  const withStatus = async (r) => {
    const { data } = await octokit.rest.repos.listDeploymentStatuses({
      ...base,
      deployment_id: r.id,
      per_page: 1
    });
    const newest = data[0];
    if (!newest) return r;
    const verdict = newest.state === "success" ? "healthy" : newest.state === "failure" ? "breached" : r.verdict === "no-data" ? "no-data" : "unverified";
    return {
      ...r,
      verdict,
      ...newest.description ? { note: newest.description } : {},
      updatedAt: Date.parse(newest.created_at)
    };
  };
  const writeStatus = async (id, verdict, note) => {
    await octokit.rest.repos.createDeploymentStatus({
      ...base,
      deployment_id: id,
      state: STATE[verdict],
      description: note.slice(0, 140),
      auto_inactive: false
    });
  };
  return {
    async record(facts, ref) {
      const existing = (await list(facts.environment)).find(
        (r) => r.target === facts.target && r.deploymentNumber === facts.deploymentNumber && r.contentHash === facts.contentHash
      );
      if (existing) return withStatus(existing);
      const description = `bake of deployment ${facts.deploymentNumber}: ${facts.verdict}`;
      const { data } = await octokit.rest.repos.createDeployment({
        ...base,
        ref,
        task: BAKE_TASK,
        environment: facts.environment,
        auto_merge: false,
        required_contexts: [],
        description,
        payload: { ...facts }
      });
      if (!("id" in data)) throw new Error(`GitHub did not create the bake record: ${data.message}`);
      await writeStatus(data.id, facts.verdict, description);
      return { ...facts, id: data.id, url: data.url, note: description };
    },
    async latest(target) {
      const id = targetId(target);
      const newest = (await list(target.environment)).filter((r) => r.target === id).sort((a, b) => b.deploymentNumber - a.deploymentNumber || b.id - a.id)[0];
      return newest ? withStatus(newest) : void 0;
    },
    async update(record, verdict, note) {
      await writeStatus(record.id, verdict, note);
      return { ...record, verdict, note: note.slice(0, 140) };
    }
  };
}
function parseFacts(payload) {
  let p = payload;
  if (typeof p === "string") {
    try {
      p = JSON.parse(p);
    } catch {
      return void 0;
    }
  }
  if (!p || typeof p !== "object") return void 0;
  const o = p;
  const w = o["window"];
  const verdicts = ["healthy", "breached", "unverified", "no-data"];
  if (typeof o["target"] !== "string" || typeof o["environment"] !== "string" || typeof o["deploymentNumber"] !== "number" || typeof o["contentHash"] !== "string" || !/^[0-9a-f]{16}$/.test(o["contentHash"]) || typeof o["completedAt"] !== "number" || !w || typeof w["from"] !== "number" || typeof w["to"] !== "number" || typeof o["verdict"] !== "string" || !verdicts.includes(o["verdict"]))
    return void 0;
  return {
    target: o["target"],
    environment: o["environment"],
    deploymentNumber: o["deploymentNumber"],
    contentHash: o["contentHash"],
    window: { from: w["from"], to: w["to"] },
    completedAt: o["completedAt"],
    verdict: o["verdict"]
  };
}
function dwellFromRecords(records, expectedHash) {
  return {
    currentStep(target) {
      const r = records.get(targetId(target));
      if (!r) return { recorded: false, why: "no bake of the current step is recorded" };
      const expected = expectedHash(target);
      if (expected !== void 0 && r.contentHash !== expected)
        return {
          recorded: false,
          why: `the newest recorded bake (deployment ${r.deploymentNumber}) is of other content than the current step`
        };
      return {
        recorded: true,
        verdict: r.verdict,
        since: new Date(r.completedAt),
        deployment: r.deploymentNumber
      };
    }
  };
}
function compiledHash(repo, target) {
  const app = repo.applications[target.application];
  const t = repo.targets.find((x) => targetId(x) === targetId(target));
  if (!app || !t) return void 0;
  const compiled = compileTarget(app, t);
  return compiled.ok ? compiled.document.sha256.slice(0, 16) : void 0;
}
async function dwellFromEnv(env, base) {
  const targets = base.targets;
  if (targets.length === 0) return void 0;
  if (!(env["GITHUB_TOKEN"] || env["GH_TOKEN"]) || !env["GITHUB_REPOSITORY"]) return void 0;
  const { octokit, api } = gitHubFromEnv(env);
  const store = gitHubBakeStore(octokit, api.repo);
  const records = /* @__PURE__ */ new Map();
  for (const t of targets) records.set(targetId(t), await store.latest(t));
  return dwellFromRecords(records, (t) => compiledHash(base, t));
}

export {
  gitHubBakeStore,
  dwellFromEnv
};
