import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  checkChange,
  checkState,
  findingToDiagnostic
} from "./chunk-CJGDFX3A.mjs";
import {
  compileDiagnostics
} from "./chunk-KAJDPQA3.mjs";
import {
  compareDiagnostics
} from "./chunk-S5U7UAL3.mjs";

// src/policy/validate.ts
function validateRepository(head, base, now, context = {}) {
  const diagnostics = [...head.diagnostics, ...compileDiagnostics(head)];
  const findings = base ? checkChange(base, head, { ...context, now }) : checkState(head);
  for (const f of findings) if (f.severity !== "info") diagnostics.push(findingToDiagnostic(f));
  return diagnostics.sort(compareDiagnostics);
}

export {
  validateRepository
};
