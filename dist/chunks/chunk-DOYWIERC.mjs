import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  Failure
} from "./chunk-QKVV5EAQ.mjs";

// src/git/run.ts
import { execFileSync } from "node:child_process";
var GitProblem = class extends Failure {
  constructor(message) {
    super(message);
    this.name = "GitProblem";
  }
};
function git(cwd, args, env = process.env) {
  try {
    return execFileSync("git", args, {
      cwd,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"]
    }).trim();
  } catch (error) {
    const stderr = String(error.stderr ?? "").trim();
    throw new GitProblem(
      `git ${args.join(" ")} failed: ${stderr.split("\n").slice(-2).join(" ") || "no output"}`
    );
  }
}
function gitSucceeds(cwd, args, env = process.env) {
  try {
    execFileSync("git", args, { cwd, env, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
function gitOutput(cwd, args, env = process.env) {
  try {
    return execFileSync("git", args, { cwd, env, stdio: ["ignore", "pipe", "ignore"] }).toString("utf8").trim();
  } catch {
    return void 0;
  }
}
function commitIdentity(work, env) {
  if (env["GIT_AUTHOR_EMAIL"] || gitSucceeds(work, ["config", "user.email"], env)) return [];
  return ["-c", "user.name=flagops", "-c", "user.email=flagops@users.noreply.github.com"];
}

export {
  git,
  gitSucceeds,
  gitOutput,
  commitIdentity
};
