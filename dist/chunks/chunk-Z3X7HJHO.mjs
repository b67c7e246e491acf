import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  PipelineError
} from "./chunk-LZ5O73OD.mjs";
import {
  labelContentHash
} from "./chunk-RGNUHZZM.mjs";
import {
  compileTarget,
  normaliseDeployedContent,
  targetId
} from "./chunk-KAJDPQA3.mjs";

// src/pipeline/content.ts
function fixedContent(snapshot) {
  return async () => snapshot;
}
function findTarget(repo, ref) {
  const app = repo.applications[ref.application];
  if (!app) {
    const known = Object.keys(repo.applications).join(", ") || "none";
    throw new PipelineError(`no application ${ref.application} under flags/ (found: ${known})`, 2);
  }
  const target = repo.targets.find(
    (t) => t.application === ref.application && t.environment === ref.environment && t.profile === ref.profile
  );
  if (!target) {
    const known = repo.targets.filter((t) => t.application === ref.application).map((t) => `${t.environment}/${t.profile}`).join(", ");
    throw new PipelineError(`no values file for ${targetId(ref)} (targets: ${known || "none"})`, 2);
  }
  return { app, target };
}
function compileSnapshot(snapshot, ref) {
  const errors = snapshot.repo.diagnostics.filter((d) => d.severity === "error");
  const { app, target } = findTarget(snapshot.repo, ref);
  const relevant = errors.filter(
    (d) => d.position.file === target.file || d.position.file.startsWith(`${app.dir}/app.yaml`)
  );
  if (relevant.length > 0) throw invalid(relevant);
  const result = compileTarget(app, target);
  if (!result.ok) throw invalid(result.diagnostics.filter((d) => d.severity === "error"));
  return { app, target, document: result.document, commit: snapshot.commit };
}
function invalid(diagnostics) {
  const lines = diagnostics.map(
    (d) => `${d.position.file}:${d.position.line}:${d.position.column}: error: ${d.message}`
  );
  return new PipelineError(`refusing to deploy content that does not compile:
${lines.join("\n")}`, 1);
}

// src/pipeline/in-sync.ts
import { createHash } from "node:crypto";
function labelNamesContent(label, sha2562) {
  return labelContentHash(label) === sha2562.slice(0, 16);
}
async function runsContent(ctx, t, deployment, wanted) {
  if (labelContentHash(deployment.versionLabel) !== void 0)
    return labelNamesContent(deployment.versionLabel, wanted.sha256);
  const versionNumber = Number(deployment.version);
  if (!Number.isInteger(versionNumber)) return false;
  const stored = await ctx.aws.appconfig.getHostedVersion(t.application.id, t.profile.id, versionNumber);
  const normalised = normaliseDeployedContent(Buffer.from(stored.content), wanted.profileType);
  return normalised !== void 0 && sha256(normalised) === wanted.sha256;
}
function sha256(b) {
  return createHash("sha256").update(b).digest("hex");
}

export {
  fixedContent,
  findTarget,
  compileSnapshot,
  labelNamesContent,
  runsContent
};
