import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-FQCWP6RG.mjs";import"./chunk-XNKMIXYH.mjs";import"./chunk-74FYISFN.mjs";import"./chunk-4GVK7Q4A.mjs";import"./chunk-TE4ZUAJ2.mjs";import"./chunk-GMOAKDQA.mjs";import"./chunk-QEEEVGLX.mjs";import"./chunk-6ZIFBDKF.mjs";import"./chunk-32CXVLQD.mjs";import"./chunk-W3X7OZEZ.mjs";export{f as bakeFactsOf,d as compiledHash,e as dwellFromEnv,c as dwellFromRecords,a as gitHubBakeStore,b as parseFacts,g as recordBakeFromEnv};
