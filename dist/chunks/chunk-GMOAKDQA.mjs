import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
var t=`

… (truncated: GitHub allows at most 65,536 characters here)`;function I(n,r=65536){return n.length<=r?n:n.slice(0,r-t.length)+t}function e(n){return n.length<=140?n:`${n.slice(0,139)}…`}export{I as a,e as b};
