import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  gitHubFromEnv
} from "./chunk-VJ6H3ZYA.mjs";
import {
  VERIFY_TASK
} from "./chunk-S5U7UAL3.mjs";
import {
  EXIT,
  Failure
} from "./chunk-QKVV5EAQ.mjs";

// src/acceptance/record.ts
function gitHubVerificationStore(octokit, repo) {
  const base = { owner: repo.owner, repo: repo.repo };
  return {
    async record(environment, result, ref) {
      const failed = result.rows.filter((r) => r.outcome === "fail" || r.outcome === "no-data");
      const description = result.passed ? `acceptance passed (${result.rows.length} criteria)` : `acceptance failed: ${failed.map((r) => r.criterion).join(", ")}`.slice(0, 140);
      const { data } = await octokit.rest.repos.createDeployment({
        ...base,
        ref,
        task: VERIFY_TASK,
        environment,
        auto_merge: false,
        required_contexts: [],
        description,
        payload: JSON.stringify({ window: result.window, passed: result.passed, rows: result.rows })
      });
      if (!("id" in data))
        throw new Failure(`GitHub did not create the verification record: ${data.message}`, EXIT.unavailable);
      await octokit.rest.repos.createDeploymentStatus({
        ...base,
        deployment_id: data.id,
        state: result.passed ? "success" : "failure",
        description,
        auto_inactive: false
      });
      return {
        environment,
        id: data.id,
        passed: result.passed,
        at: new Date(data.created_at),
        url: data.url,
        window: result.window
      };
    },
    async latest(environment) {
      const { data } = await octokit.rest.repos.listDeployments({
        ...base,
        task: VERIFY_TASK,
        environment,
        per_page: 1
      });
      const newest = data[0];
      if (!newest) return void 0;
      const statuses = await octokit.rest.repos.listDeploymentStatuses({
        ...base,
        deployment_id: newest.id,
        per_page: 1
      });
      return {
        environment,
        id: newest.id,
        passed: statuses.data[0]?.state === "success",
        at: new Date(newest.created_at),
        url: newest.url
      };
    }
  };
}
async function verificationProvider(store, environments) {
  const known = /* @__PURE__ */ new Map();
  for (const env of new Set(environments)) known.set(env, await store.latest(env));
  return {
    latest: (target) => {
      const r = known.get(target.environment);
      return r ? { passed: r.passed, at: r.at, ...r.url ? { url: r.url } : {} } : void 0;
    }
  };
}
async function verificationFromEnv(env, repo) {
  const environments = Object.values(repo.applications).flatMap(
    (app) => !app.acceptance ? [] : app.acceptance.environments.length > 0 ? app.acceptance.environments : app.environments.map((e) => e.name)
  );
  if (environments.length === 0) return void 0;
  if (!(env["GITHUB_TOKEN"] || env["GH_TOKEN"]) || !env["GITHUB_REPOSITORY"]) return void 0;
  const { octokit, api } = gitHubFromEnv(env);
  return verificationProvider(gitHubVerificationStore(octokit, api.repo), environments);
}

export {
  gitHubVerificationStore,
  verificationProvider,
  verificationFromEnv
};
