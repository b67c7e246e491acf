import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{a as o}from"./chunk-355RDPAA.mjs";import"./chunk-G2GFW3JE.mjs";import"./chunk-32CXVLQD.mjs";import"./chunk-W3X7OZEZ.mjs";var n=await o("sandbox","Run the local AppConfig, CloudWatch and GitHub emulator");export{n as command};
