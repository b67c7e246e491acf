import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
} from "./chunk-T4E43BHN.mjs";
import "./chunk-5FMCSJNL.mjs";
import "./chunk-BEQOJOJR.mjs";
import "./chunk-DOYWIERC.mjs";
import "./chunk-7GHZ77ZE.mjs";
import "./chunk-SLK3YAOL.mjs";
import "./chunk-S5U7UAL3.mjs";
import "./chunk-QKVV5EAQ.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
};
