import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{a as c}from"./chunk-N6TUP2KI.mjs";import{d,e as f}from"./chunk-HYNUYQDZ.mjs";import"./chunk-G2GFW3JE.mjs";import"./chunk-XC3Q56L7.mjs";import"./chunk-O7RHO3SR.mjs";import{a as m}from"./chunk-2H3TQLAM.mjs";import{d as p}from"./chunk-OGPFB7VD.mjs";import"./chunk-QEEEVGLX.mjs";import{a as n}from"./chunk-32CXVLQD.mjs";import"./chunk-W3X7OZEZ.mjs";var k={name:"compile",summary:"Print the AppConfig document a target deploys",options:{...d,pretty:{type:"boolean",description:"Indent for reading (the deployed bytes are compact)",default:!1}},async run(r,o){let{repo:l,app:g,target:i}=f(r,o,c),s=l.diagnostics.filter(t=>t.severity==="error"&&(t.position.file===i.file||t.position.file.endsWith("app.yaml"))),e=s.length===0?m(g,i):{ok:!1,diagnostics:s};if(!e.ok){for(let t of e.diagnostics)o.stderr(`${p(t)}
`);return n.failed}let a=e.document.content.toString("utf8");return o.stdout(r.options.pretty?`${JSON.stringify(JSON.parse(a),null,2)}
`:`${a}
`),n.ok}};export{k as command};
