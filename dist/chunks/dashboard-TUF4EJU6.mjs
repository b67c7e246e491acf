import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
} from "./chunk-57JECMEP.mjs";
import "./chunk-D6DXBJLY.mjs";
import "./chunk-DY4S2AX3.mjs";
import "./chunk-PV334CNP.mjs";
import "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import "./chunk-KBUGINDY.mjs";
import "./chunk-POVLCFC4.mjs";
import "./chunk-XMGGJPA5.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
};
