import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  renderJson,
  renderMarkdown,
  renderText
} from "./chunk-OCHYFXX4.mjs";
import {
  buildPlan
} from "./chunk-AYIZANP5.mjs";
import {
  policyNow
} from "./chunk-5J2VDBS2.mjs";
import "./chunk-PX4VJDWW.mjs";
import "./chunk-XISSI26M.mjs";
import "./chunk-MKBKQ2QT.mjs";
import {
  findRepoRoot
} from "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import "./chunk-EJUDYG2B.mjs";
import {
  loadRevision,
  loadWorkingTree
} from "./chunk-BA6QBSFO.mjs";
import "./chunk-J65SMI3B.mjs";
import {
  EXIT
} from "./chunk-XMGGJPA5.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/plan.ts
var command = {
  name: "plan",
  summary: "Show what a change does per target, with policy verdicts and approvals",
  description: "Compares the working tree with --base (default: the pull request base in GitHub Actions,\nelse HEAD). Exit 1 when the change breaks policy or does not validate.",
  options: {
    base: { type: "string", description: "Git revision to compare with", placeholder: "REF" },
    format: {
      type: "string",
      description: "Output format",
      choices: ["text", "markdown", "json"],
      default: "text"
    }
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const baseRef = args.options["base"] ?? defaultBase(io.env);
    const plan = buildPlan(loadRevision(root, baseRef), loadWorkingTree(root), {
      now: policyNow(io.env),
      baseLabel: baseRef
    });
    const format = args.options["format"];
    const out = format === "json" ? renderJson(plan) : format === "markdown" ? renderMarkdown(plan) : renderText(plan, { color: io.isTTY && !io.env["NO_COLOR"] });
    io.stdout(out.endsWith("\n") ? out : `${out}
`);
    return plan.verdict === "fail" ? EXIT.failed : EXIT.ok;
  }
};
function defaultBase(env) {
  const prBase = env["GITHUB_BASE_REF"];
  return prBase ? `origin/${prBase}` : "HEAD";
}
export {
  command
};
