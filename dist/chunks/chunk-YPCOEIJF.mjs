import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  clockFromEnvironment,
  commitFromGit,
  createAws
} from "./chunk-KJE3SVFT.mjs";
import {
  WorkingTreeSource,
  loadRepository
} from "./chunk-J65SMI3B.mjs";

// src/runtime/env.ts
async function runtimeFromEnvironment(env) {
  const clock = await clockFromEnvironment(env);
  const speed = Number(env.FLAGOPS_CLOCK_SPEED ?? "1");
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || void 0;
  const aws = createAws({
    ...region ? { region } : {},
    ...Number.isFinite(speed) && speed > 1 ? { clockSpeed: speed } : {}
  });
  return { aws, clock, ...region ? { region } : {} };
}
function workingTreeContent(root) {
  return async () => ({ repo: loadRepository(new WorkingTreeSource(root)), commit: commitFromGit(root) });
}

export {
  runtimeFromEnvironment,
  workingTreeContent
};
