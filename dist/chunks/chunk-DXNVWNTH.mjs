import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// src/core/target.ts
function targetId(t) {
  return `${t.application}/${t.environment}/${t.profile}`;
}

export {
  targetId
};
