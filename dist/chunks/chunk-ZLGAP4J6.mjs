import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
var o={emit:()=>{}};function m(r=o){let t=[];return{events:t,emit(e){t.push(e),r.emit(e)}}}function p(r){let t=r[0]?.at??0;return r.filter(e=>e.kind!=="bake"||e.status!=="pending").map(e=>`${i(e.at-t)}  ${e.message}`).join(`
`)}function i(r){let t=Math.max(0,Math.round(r/1e3)),e=Math.floor(t/3600),s=Math.floor(t%3600/60),a=t%60,n=`${String(s).padStart(2,"0")}:${String(a).padStart(2,"0")}`;return e>0?`+${e}:${n}`:`+${n}`}export{o as a,m as b,p as c};
