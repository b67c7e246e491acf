import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{a as e,b as m,d as p}from"./chunk-MNLNORKG.mjs";import{f as s}from"./chunk-BDLA4P5U.mjs";import{m as r}from"./chunk-NUSGBXBM.mjs";function R(o,t,c,f={}){let i=[...o.diagnostics,...s(o)],a=t?p(t,o,{...f,now:c}):m(o);for(let n of a)n.severity!=="info"&&i.push(e(n));return i.sort(r)}export{R as a};
