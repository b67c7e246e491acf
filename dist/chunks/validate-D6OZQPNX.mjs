import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  policyNow
} from "./chunk-IMSBEPII.mjs";
import {
  validateRepository
} from "./chunk-5XP62VFB.mjs";
import {
  dwellFromEnv
} from "./chunk-DKJJ2XPZ.mjs";
import {
  verificationFromEnv
} from "./chunk-UNCDWQFU.mjs";
import "./chunk-CJGDFX3A.mjs";
import "./chunk-MKBKQ2QT.mjs";
import "./chunk-XC3Q56L7.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-VJ6H3ZYA.mjs";
import "./chunk-5ASYAPI3.mjs";
import {
  loadRevision,
  loadWorkingTree
} from "./chunk-7GHZ77ZE.mjs";
import "./chunk-KAJDPQA3.mjs";
import {
  findRepoRoot
} from "./chunk-SLK3YAOL.mjs";
import {
  formatDiagnostic,
  formatGithubAnnotation
} from "./chunk-S5U7UAL3.mjs";
import {
  EXIT
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/validate.ts
var command = {
  name: "validate",
  summary: "Check flags/ against the schemas, the flag definitions and policy",
  description: "Prints every problem as path:line:col: error: message (or GitHub annotations with --format github,\nthe default when GITHUB_ACTIONS=true). Exit 1 when anything is wrong.",
  options: {
    base: {
      type: "string",
      description: "Also check the change from this git revision (transition rules)",
      placeholder: "REF"
    },
    format: { type: "string", description: "Output format", choices: ["text", "json", "github"] }
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const format = args.options["format"] ?? (io.env["GITHUB_ACTIONS"] === "true" ? "github" : "text");
    const head = loadWorkingTree(root);
    const base = typeof args.options["base"] === "string" ? loadRevision(root, args.options["base"]) : void 0;
    const verification = base ? await verificationFromEnv(io.env, head) : void 0;
    const dwell = base ? await dwellFromEnv(io.env, base) : void 0;
    const diagnostics = validateRepository(head, base, policyNow(io.env), {
      ...verification ? { verification } : {},
      ...dwell ? { dwell } : {}
    });
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const warnings = diagnostics.length - errors;
    const summary = `${head.targets.length} target${head.targets.length === 1 ? "" : "s"} in ${Object.keys(head.applications).length} application(s): ${errors} error(s), ${warnings} warning(s)`;
    if (format === "json") {
      io.stdout(
        `${JSON.stringify({ ok: errors === 0, errors, warnings, targets: head.targets.length, diagnostics }, null, 2)}
`
      );
    } else {
      const line = format === "github" ? formatGithubAnnotation : formatDiagnostic;
      for (const d of diagnostics) io.stdout(`${line(d)}
`);
      io.stdout(`${errors === 0 ? "ok" : "failed"}: ${summary}
`);
    }
    return errors === 0 ? EXIT.ok : EXIT.failed;
  }
};
export {
  command
};
