import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  revertBranchPrefix
} from "./chunk-NAC7TEFE.mjs";
import {
  gitHubFromEnv
} from "./chunk-VJ6H3ZYA.mjs";
import {
  describeGitHubError
} from "./chunk-5ASYAPI3.mjs";
import {
  targetId
} from "./chunk-KAJDPQA3.mjs";
import {
  EXIT,
  Failure,
  messageOf
} from "./chunk-QKVV5EAQ.mjs";

// src/pipeline/holds.ts
var noHolds = {
  check: async () => ({ held: false })
};

// src/revert/hold.ts
function gitHubHoldCheck(pulls, options = {}) {
  const app = options.appLogin?.toLowerCase();
  const repo = options.repository?.toLowerCase();
  return {
    async check(target) {
      const prefix = revertBranchPrefix(target);
      const id = targetId(target);
      let open;
      try {
        open = await pulls.listOpen();
      } catch (error) {
        const why = describeGitHubError(error) ?? messageOf(error);
        throw new Failure(
          `cannot read the open pull requests, so ${id} may be held by an automatic revert and is not deployed: ${why} (the token needs pull-requests: read)`,
          EXIT.unavailable
        );
      }
      const holding = open.filter(
        (p) => p.headRef.startsWith(prefix) && (app === void 0 || p.author.toLowerCase() === app) && (repo === void 0 || p.headRepository === "" || p.headRepository.toLowerCase() === repo)
      ).sort((a, b) => a.number - b.number);
      const first = holding[0];
      if (!first) return { held: false };
      return {
        held: true,
        url: first.url,
        reason: `${id} is held by automatic revert pull request #${first.number} (${first.url}): merge it to make main match what runs, or close it unmerged to release the hold on purpose`
      };
    }
  };
}
function holdsFromEnv(env) {
  if (!(env["GITHUB_TOKEN"] || env["GH_TOKEN"]) || !env["GITHUB_REPOSITORY"]) return void 0;
  const appLogin = env["FLAGOPS_APP_LOGIN"];
  return gitHubHoldCheck(gitHubFromEnv(env).api.pulls, {
    repository: env["GITHUB_REPOSITORY"],
    ...appLogin ? { appLogin } : {}
  });
}

export {
  noHolds,
  gitHubHoldCheck,
  holdsFromEnv
};
