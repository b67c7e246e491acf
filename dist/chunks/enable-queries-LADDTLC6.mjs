import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EDIT_OPTIONS,
  runEdit
} from "./chunk-IDHEUXAW.mjs";
import "./chunk-BVTESKQD.mjs";
import "./chunk-QDVKT233.mjs";
import {
  enableQueries
} from "./chunk-ROXHIQJZ.mjs";
import "./chunk-GE5VKHL3.mjs";
import "./chunk-3SB52TIX.mjs";
import "./chunk-MIDDKYUO.mjs";
import "./chunk-HMI4CJPQ.mjs";
import "./chunk-7XWQS4WR.mjs";
import "./chunk-GXWI4LY7.mjs";
import "./chunk-IRIFWFKS.mjs";
import "./chunk-MKBKQ2QT.mjs";
import "./chunk-XC3Q56L7.mjs";
import "./chunk-IXC52LNN.mjs";
import "./chunk-LSTVOV7P.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-N7LMTA5R.mjs";
import "./chunk-CYQ6XN3J.mjs";
import "./chunk-PRK5CCZC.mjs";
import "./chunk-O2B7TQHY.mjs";
import "./chunk-R52IGUF4.mjs";
import "./chunk-PWRRELHS.mjs";
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
