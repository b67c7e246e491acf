import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EDIT_OPTIONS,
  runEdit
} from "./chunk-TQOYOGDO.mjs";
import "./chunk-G2U53EO3.mjs";
import "./chunk-QDVKT233.mjs";
import {
  enableQueries
} from "./chunk-4BPC7NWG.mjs";
import "./chunk-LZ2KCQBA.mjs";
import "./chunk-3SB52TIX.mjs";
import "./chunk-E66SCIFO.mjs";
import "./chunk-YFIODN2A.mjs";
import "./chunk-7XWQS4WR.mjs";
import "./chunk-GXWI4LY7.mjs";
import "./chunk-KBJFEM6N.mjs";
import "./chunk-MKBKQ2QT.mjs";
import "./chunk-XC3Q56L7.mjs";
import "./chunk-IXC52LNN.mjs";
import "./chunk-LSTVOV7P.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-N7LMTA5R.mjs";
import "./chunk-HQ7VPFTY.mjs";
import "./chunk-CYQ6XN3J.mjs";
import "./chunk-PRK5CCZC.mjs";
import "./chunk-DXNVWNTH.mjs";
import "./chunk-PEWZHCSA.mjs";
import "./chunk-T7HF7BMO.mjs";
import "./chunk-SHB6SBT6.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/cli/commands/enable-queries.ts
var command = {
  name: "enable-queries",
  summary: "Switch use_influxdb_for_api_queries on in one environment",
  description: "The prerequisite of any InfluxDB traffic. Edits the values file in place; with --pr it opens or\nupdates the target's pull request, and a later set-percentage --pr stacks on the same one.",
  options: { ...EDIT_OPTIONS },
  async run(args, io) {
    return runEdit(args, io, { name: "enable-queries", flags: "", apply: enableQueries });
  }
};
export {
  command
};
