import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{b as u}from"./chunk-6ZIFBDKF.mjs";import{a as i,b as t,c as o}from"./chunk-32CXVLQD.mjs";function r(e){if(e instanceof t)return{message:e.message,exitCode:e.exitCode};let n=u(e);if(n!==void 0)return{message:n,exitCode:i.unavailable}}function d(e){return r(e)??{message:o(e),exitCode:i.failed}}export{r as a,d as b};
