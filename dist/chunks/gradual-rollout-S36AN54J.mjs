import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EDIT_OPTIONS,
  numberOption,
  runEdit
} from "./chunk-7MTAUCCC.mjs";
import "./chunk-IMSBEPII.mjs";
import {
  gradualRollout
} from "./chunk-N3YVVLY2.mjs";
import "./chunk-2FXE6J6X.mjs";
import "./chunk-5PF2FZBE.mjs";
import "./chunk-5XP62VFB.mjs";
import "./chunk-DKJJ2XPZ.mjs";
import "./chunk-UNCDWQFU.mjs";
import "./chunk-CJGDFX3A.mjs";
import "./chunk-MKBKQ2QT.mjs";
import "./chunk-XC3Q56L7.mjs";
import "./chunk-DOYWIERC.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-VJ6H3ZYA.mjs";
import "./chunk-5ASYAPI3.mjs";
import "./chunk-PX4VJDWW.mjs";
import "./chunk-7GHZ77ZE.mjs";
import "./chunk-KAJDPQA3.mjs";
import "./chunk-SLK3YAOL.mjs";
import "./chunk-S5U7UAL3.mjs";
import "./chunk-QKVV5EAQ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/gradual-rollout.ts
var command = {
  name: "gradual-rollout",
  summary: "Start a stepwise traffic rollout towards a target percentage",
  description: "Raises influxdb_traffic_percentage by one step now and records the plan (target, step size,\nwait minutes) under _rollout in the values file, for the advancer to continue after each bake.",
  options: {
    ...EDIT_OPTIONS,
    target: { type: "number", description: "Final percentage 0-100", placeholder: "N", required: true },
    "step-size": {
      type: "number",
      description: "Percentage points per step",
      placeholder: "S",
      required: true
    },
    "wait-minutes": {
      type: "number",
      description: "Healthy minutes between steps",
      placeholder: "W",
      required: true
    }
  },
  async run(args, io) {
    const target = numberOption(args, "target");
    const stepSize = numberOption(args, "step-size");
    const waitMinutes = numberOption(args, "wait-minutes");
    return runEdit(args, io, {
      name: "gradual-rollout",
      flags: `--target ${target} --step-size ${stepSize} --wait-minutes ${waitMinutes}`,
      apply: (text) => gradualRollout(text, { target, stepSize, waitMinutes }),
      notes: [
        `Rollout plan: to ${target}% in steps of ${stepSize} points, ${waitMinutes} healthy minutes apart.`
      ]
    });
  }
};
export {
  command
};
