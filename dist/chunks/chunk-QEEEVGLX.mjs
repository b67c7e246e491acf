import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
var o=["flagops:revert","flagops:automatic"],t="flagops:advance",s="flagops:drift",a="flagops:bake",p="flagops:verify",e="_rollout";export{o as a,t as b,s as c,a as d,p as e,e as f};
