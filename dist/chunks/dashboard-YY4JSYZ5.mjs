import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-RB5NLJHG.mjs";import"./chunk-OQQV5EAP.mjs";import"./chunk-77M6RVPS.mjs";import"./chunk-22NOMQQA.mjs";import"./chunk-4II76XZC.mjs";import"./chunk-KHZ63ITZ.mjs";import"./chunk-HYNUYQDZ.mjs";import"./chunk-G2GFW3JE.mjs";import"./chunk-NUSGBXBM.mjs";import"./chunk-32CXVLQD.mjs";import"./chunk-W3X7OZEZ.mjs";export{a as command,b as dashboardRegion,d as describeDashboards,c as runDashboards};
