import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  checkChange,
  checkState,
  findingToDiagnostic
} from "./chunk-IRIFWFKS.mjs";
import {
  compileDiagnostics
} from "./chunk-O2B7TQHY.mjs";

// src/policy/validate.ts
function validateRepository(head, base, now, context = {}) {
  const diagnostics = [...head.diagnostics, ...compileDiagnostics(head)];
  const findings = base ? checkChange(base, head, { ...context, now }) : checkState(head);
  for (const f of findings) if (f.severity !== "info") diagnostics.push(findingToDiagnostic(f));
  return diagnostics.sort(
    (a, b) => a.position.file.localeCompare(b.position.file) || a.position.line - b.position.line || a.position.column - b.position.column
  );
}

export {
  validateRepository
};
