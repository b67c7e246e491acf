import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
} from "./chunk-EBGWBLLA.mjs";
import "./chunk-V5F6SYOK.mjs";
import "./chunk-RH4BOOSJ.mjs";
import "./chunk-PV334CNP.mjs";
import "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import "./chunk-A5OJVAN7.mjs";
import "./chunk-PWRRELHS.mjs";
import "./chunk-XMGGJPA5.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
};
