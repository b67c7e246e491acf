import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
} from "./chunk-QQDSJITQ.mjs";
import "./chunk-5FMCSJNL.mjs";
import "./chunk-3WLBU63B.mjs";
import "./chunk-JUCKGTSM.mjs";
import "./chunk-PV334CNP.mjs";
import "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import "./chunk-BA6QBSFO.mjs";
import "./chunk-J65SMI3B.mjs";
import "./chunk-XMGGJPA5.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
};
