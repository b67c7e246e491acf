import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-3K2NZY5Y.mjs";import"./chunk-OQQV5EAP.mjs";import"./chunk-RI3OUYEU.mjs";import"./chunk-22NOMQQA.mjs";import"./chunk-4II76XZC.mjs";import"./chunk-EUY72PN2.mjs";import"./chunk-HYNUYQDZ.mjs";import"./chunk-G2GFW3JE.mjs";import"./chunk-JLSQSBOO.mjs";import"./chunk-Z5DTF7PN.mjs";import"./chunk-32CXVLQD.mjs";import"./chunk-W3X7OZEZ.mjs";export{a as command,b as dashboardRegion,d as describeDashboards,c as runDashboards};
