import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
} from "./chunk-OBRM6C7Q.mjs";
import "./chunk-5FMCSJNL.mjs";
import "./chunk-RJANN43M.mjs";
import "./chunk-KJE3SVFT.mjs";
import "./chunk-PV334CNP.mjs";
import "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import "./chunk-VUZMR3KI.mjs";
import "./chunk-36WHMPUM.mjs";
import "./chunk-XMGGJPA5.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
};
