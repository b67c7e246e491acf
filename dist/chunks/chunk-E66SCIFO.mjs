import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  checkChange,
  checkState,
  findingToDiagnostic
} from "./chunk-KBJFEM6N.mjs";
import {
  compileTarget
} from "./chunk-HQ7VPFTY.mjs";

// src/policy/validate.ts
function validateRepository(head, base, now, context = {}) {
  const diagnostics = [...head.diagnostics];
  const broken = new Set(head.diagnostics.filter((d) => d.severity === "error").map((d) => d.position.file));
  for (const target of head.targets) {
    const app = head.applications[target.application];
    if (!app || broken.has(target.file)) continue;
    const compiled = compileTarget(app, target);
    if (!compiled.ok) diagnostics.push(...compiled.diagnostics);
  }
  const findings = base ? checkChange(base, head, { ...context, now }) : checkState(head);
  for (const f of findings) if (f.severity !== "info") diagnostics.push(findingToDiagnostic(f));
  return diagnostics.sort(
    (a, b) => a.position.file.localeCompare(b.position.file) || a.position.line - b.position.line || a.position.column - b.position.column
  );
}

export {
  validateRepository
};
