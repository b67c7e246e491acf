import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  CliError
} from "./chunk-AHO5A5OE.mjs";
import {
  EXIT
} from "./chunk-XMGGJPA5.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/demo.ts
var command = {
  name: "demo",
  summary: "The whole story on the local sandbox, told by the repository’s own workflows",
  options: {
    speed: {
      type: "number",
      description: "Simulated seconds per real second",
      default: 600,
      placeholder: "X"
    },
    full: {
      type: "boolean",
      description: "The guide's Phase 1 to the 24-hour soak instead: enable queries, the advancer's ladder to 100 % with approvals, a soak breach caught by watch",
      default: false
    },
    browse: {
      type: "boolean",
      description: "Keep the sandbox and its pages up after the story, until Ctrl-C",
      default: false
    }
  },
  async run(args, io) {
    const speed = args.options["speed"];
    if (!(speed > 0)) throw new CliError("--speed must be greater than 0", EXIT.usage);
    if (args.options["full"] === true) {
      const { runFullDemo } = await import("../sandbox/index.mjs");
      return (await runFullDemo(io)).exitCode;
    }
    const { runDemo } = await import("../sandbox/index.mjs");
    return runDemo(io, { speed, browse: args.options["browse"] === true });
  }
};
export {
  command
};
