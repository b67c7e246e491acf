import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EDIT_OPTIONS,
  numberOption,
  runEdit
} from "./chunk-RHVZ56LC.mjs";
import "./chunk-5J2VDBS2.mjs";
import "./chunk-TAMWFICQ.mjs";
import {
  gradualRollout
} from "./chunk-C7CRUNZK.mjs";
import "./chunk-VIF5ZNWC.mjs";
import "./chunk-5PF2FZBE.mjs";
import "./chunk-PV334CNP.mjs";
import "./chunk-3RHSJDSV.mjs";
import "./chunk-SJ7ZTYUP.mjs";
import "./chunk-EAUI3ICK.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-HT6FUBY7.mjs";
import "./chunk-U4OG5VJE.mjs";
import "./chunk-PX4VJDWW.mjs";
import "./chunk-XISSI26M.mjs";
import "./chunk-MKBKQ2QT.mjs";
import "./chunk-XC3Q56L7.mjs";
import "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import "./chunk-EJUDYG2B.mjs";
import "./chunk-BA6QBSFO.mjs";
import "./chunk-J65SMI3B.mjs";
import "./chunk-XMGGJPA5.mjs";
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
