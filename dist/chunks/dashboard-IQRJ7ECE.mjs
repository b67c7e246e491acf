import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
} from "./chunk-KXZCBPVE.mjs";
import "./chunk-HVWVRJ6R.mjs";
import "./chunk-CDAOOPQF.mjs";
import "./chunk-3H3MUTW2.mjs";
import "./chunk-LSTVOV7P.mjs";
import "./chunk-CYQ6XN3J.mjs";
import "./chunk-PRK5CCZC.mjs";
import "./chunk-R52IGUF4.mjs";
import "./chunk-PWRRELHS.mjs";
import "./chunk-SHB6SBT6.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  command,
  dashboardRegion,
  describeDashboards,
  runDashboards
};
