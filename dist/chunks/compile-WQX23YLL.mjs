import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import "./chunk-XC3Q56L7.mjs";
import {
  loadWorkingTree
} from "./chunk-7GHZ77ZE.mjs";
import {
  compileTarget
} from "./chunk-KAJDPQA3.mjs";
import {
  TARGET_OPTIONS,
  targetFromArgs
} from "./chunk-SLK3YAOL.mjs";
import {
  formatDiagnostic
} from "./chunk-S5U7UAL3.mjs";
import {
  EXIT
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/compile.ts
var command = {
  name: "compile",
  summary: "Print the AppConfig document a target deploys",
  options: {
    ...TARGET_OPTIONS,
    pretty: {
      type: "boolean",
      description: "Indent for reading (the deployed bytes are compact)",
      default: false
    }
  },
  async run(args, io) {
    const { repo, app, target } = targetFromArgs(args, io, loadWorkingTree);
    const own = repo.diagnostics.filter(
      (d) => d.severity === "error" && (d.position.file === target.file || d.position.file.endsWith("app.yaml"))
    );
    const compiled = own.length === 0 ? compileTarget(app, target) : { ok: false, diagnostics: own };
    if (!compiled.ok) {
      for (const d of compiled.diagnostics) io.stderr(`${formatDiagnostic(d)}
`);
      return EXIT.failed;
    }
    const text = compiled.document.content.toString("utf8");
    io.stdout(args.options["pretty"] ? `${JSON.stringify(JSON.parse(text), null, 2)}
` : `${text}
`);
    return EXIT.ok;
  }
};
export {
  command
};
