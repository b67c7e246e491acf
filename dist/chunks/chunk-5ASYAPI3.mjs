import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EXIT,
  Failure
} from "./chunk-QKVV5EAQ.mjs";

// src/github/errors.ts
var GitHubConfigError = class extends Failure {
  constructor(message) {
    super(message, EXIT.unavailable);
    this.name = "GitHubConfigError";
  }
};
function describeGitHubError(error) {
  if (error instanceof GitHubConfigError) return error.message;
  if (typeof error !== "object" || error === null) return void 0;
  const e = error;
  if (e.name !== "HttpError" && typeof e.status !== "number") return void 0;
  const status = typeof e.status === "number" ? e.status : 0;
  const url = typeof e.request?.url === "string" ? e.request.url : "GitHub";
  const detail = typeof e.message === "string" ? e.message.split("\n")[0] : "";
  switch (status) {
    case 401:
      return `GitHub rejected the token (401) at ${url}: check GITHUB_TOKEN`;
    case 403:
      return `GitHub refused (403) at ${url}: ${detail}; check the token's permissions (the workflow's permissions: block)`;
    case 404:
      return `GitHub has nothing at ${url} (404): check GITHUB_REPOSITORY and the pull request number`;
    case 422:
      return `GitHub rejected the request (422) at ${url}: ${detail}`;
    default:
      return status >= 500 || status === 0 ? `GitHub is unreachable or failing at ${url} (${status || "no response"}: ${detail}); retry later or check GITHUB_API_URL` : `GitHub answered ${status} at ${url}: ${detail}`;
  }
}

export {
  GitHubConfigError,
  describeGitHubError
};
