import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  gitRemote
} from "./chunk-TAMWFICQ.mjs";
import {
  gitHubHoldCheck,
  noHolds
} from "./chunk-62J4PYUU.mjs";
import {
  gitHubBakeStore
} from "./chunk-SJ7ZTYUP.mjs";
import {
  gitHubFromEnv
} from "./chunk-HT6FUBY7.mjs";

// src/runtime/advance.ts
function hasGitHub(env) {
  return Boolean((env["GITHUB_TOKEN"] || env["GH_TOKEN"]) && env["GITHUB_REPOSITORY"]);
}
function advanceDepsFromEnv(env, run) {
  const gh = hasGitHub(env) ? gitHubFromEnv(env) : void 0;
  const remote = gh ? gitRemote(run.root, env) : void 0;
  return {
    ctx: run.ctx,
    snapshot: run.snapshot,
    holds: gh ? gitHubHoldCheck(gh.api.pulls) : noHolds,
    ...gh ? { bakes: gitHubBakeStore(gh.octokit, gh.api.repo) } : {},
    ...gh && remote ? {
      github: {
        api: gh.api,
        octokit: gh.octokit,
        repo: gh.api.repo,
        remote: remote.url,
        env: remote.env
      }
    } : {},
    dryRun: run.dryRun,
    ...run.environment ? { environment: run.environment } : {}
  };
}

export {
  hasGitHub,
  advanceDepsFromEnv
};
