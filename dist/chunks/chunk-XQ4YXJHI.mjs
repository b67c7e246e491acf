import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  PipelineError
} from "./chunk-3H3MUTW2.mjs";
import {
  compileTarget
} from "./chunk-O2B7TQHY.mjs";

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
    throw new PipelineError(
      `no values file for ${ref.application}/${ref.environment}/${ref.profile} (targets: ${known || "none"})`,
      2
    );
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

export {
  fixedContent,
  findTarget,
  compileSnapshot
};
