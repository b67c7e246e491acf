import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-H6YDUCUZ.mjs";import"./chunk-TE4ZUAJ2.mjs";import"./chunk-GMOAKDQA.mjs";import"./chunk-QEEEVGLX.mjs";import"./chunk-6ZIFBDKF.mjs";import"./chunk-32CXVLQD.mjs";import"./chunk-W3X7OZEZ.mjs";export{a as gitHubVerificationStore,c as verificationFromEnv,b as verificationProvider};
