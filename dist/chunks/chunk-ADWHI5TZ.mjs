import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{a as e,b as m,d as p}from"./chunk-DMHYUMN3.mjs";import{c as s}from"./chunk-2H3TQLAM.mjs";import{f as r}from"./chunk-OGPFB7VD.mjs";function R(o,t,c,f={}){let i=[...o.diagnostics,...s(o)],a=t?p(t,o,{...f,now:c}):m(o);for(let n of a)n.severity!=="info"&&i.push(e(n));return i.sort(r)}export{R as a};
