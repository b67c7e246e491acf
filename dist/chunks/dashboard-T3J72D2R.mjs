import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
} from "./chunk-NNIV5IM2.mjs";
import "./chunk-6XIY4UUU.mjs";
import "./chunk-KX6WMV6P.mjs";
import "./chunk-XMFKVK35.mjs";
import "./chunk-LSTVOV7P.mjs";
import "./chunk-CYQ6XN3J.mjs";
import "./chunk-PRK5CCZC.mjs";
import "./chunk-PEWZHCSA.mjs";
import "./chunk-T7HF7BMO.mjs";
import "./chunk-SHB6SBT6.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
};
