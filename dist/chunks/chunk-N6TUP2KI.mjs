import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{l as r,m as n,n as s}from"./chunk-O7RHO3SR.mjs";import{a as i,b as t}from"./chunk-32CXVLQD.mjs";import{execFileSync as p}from"node:child_process";function u(e){return r(new n(e))}function y(e,o){try{p("git",["rev-parse","--verify","--quiet",`${o}^{commit}`],{cwd:e,stdio:"ignore"})}catch{throw new t(`--base ${o}: git cannot resolve this revision in ${e}; fetch it or name another`,i.usage)}return r(new s(e,o))}export{u as a,y as b};
