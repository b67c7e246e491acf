import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  GitRevisionSource,
  WorkingTreeSource,
  loadRepository
} from "./chunk-S5U7UAL3.mjs";
import {
  EXIT,
  Failure
} from "./chunk-QKVV5EAQ.mjs";

// src/model/revision.ts
import { execFileSync } from "node:child_process";
function loadWorkingTree(root) {
  return loadRepository(new WorkingTreeSource(root));
}
function loadRevision(root, ref) {
  try {
    execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      cwd: root,
      stdio: "ignore"
    });
  } catch {
    throw new Failure(
      `--base ${ref}: git cannot resolve this revision in ${root}; fetch it or name another`,
      EXIT.usage
    );
  }
  return loadRepository(new GitRevisionSource(root, ref));
}

export {
  loadWorkingTree,
  loadRevision
};
