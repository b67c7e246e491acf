import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EXIT,
  Failure
} from "./chunk-QKVV5EAQ.mjs";

// src/policy/now.ts
function policyNow(env) {
  const raw = env["FLAGOPS_NOW"];
  if (!raw) return /* @__PURE__ */ new Date();
  const at = new Date(raw);
  if (Number.isNaN(at.getTime()))
    throw new Failure(`FLAGOPS_NOW="${raw}" is not an ISO-8601 instant`, EXIT.usage);
  return at;
}

export {
  policyNow
};
