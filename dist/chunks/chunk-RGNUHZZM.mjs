import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// src/pipeline/versions.ts
var LABEL = /^flagops\.([A-Za-z0-9-]{1,20})\.([0-9a-f]{16})$/;
function versionLabel(commit, sha256) {
  const c = commit.replace(/[^A-Za-z0-9-]/g, "").slice(0, 12) || "local";
  return `flagops.${c}.${sha256.slice(0, 16)}`;
}
function labelContentHash(label) {
  return label === void 0 ? void 0 : LABEL.exec(label)?.[2];
}
function versionDescription(target, commit) {
  const pr = commit.pullRequest !== void 0 ? ` from pull request #${commit.pullRequest}` : "";
  const by = commit.author ? ` by ${commit.author}` : "";
  return `flagops: ${target} at commit ${commit.sha}${pr}${by}`.slice(0, 1024);
}
function runningDeployment(deployments, profileName) {
  return [...deployments].sort((a, b) => b.number - a.number).find((d) => d.profileName === profileName && d.state === "COMPLETE");
}

export {
  versionLabel,
  labelContentHash,
  versionDescription,
  runningDeployment
};
