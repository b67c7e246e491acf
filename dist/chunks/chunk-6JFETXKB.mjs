import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
var s="github-actions[bot]";async function m(t,o=s){try{let{data:e}=await t.rest.users.getAuthenticated();return e.login}catch(e){let n=e.status;if(n===401||n===403||n===404)return o;throw e}}function c(t){return`<!-- flagops:${t} -->`}function a(t,o){let e=n=>n.toLowerCase().replace(/\[bot\]$/,"");return e(t)===e(o)}function u(t,o,e=65e3){let n=`

${o}`,r=e-n.length;if(t.length<=r)return t+n;let i=`

… (truncated: the full text is in the job summary)`;return t.slice(0,r-i.length)+i+n}async function g(t,o){let e=c(o.purpose),n=u(o.text,e),r=(await t.list(o.issue)).find(i=>a(i.author,o.author)&&i.body.includes(e));return r?r.body===n?{action:"unchanged",comment:r}:{action:"updated",comment:await t.update(r.id,n)}:{action:"created",comment:await t.create(o.issue,n)}}export{m as a,g as b};
