import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
var t={ok:0,failed:1,usage:2,unavailable:3,unverified:4},n=class extends Error{constructor(o,a=t.failed){super(o);this.exitCode=a;this.name="Failure"}exitCode};function s(e){return e instanceof Error?e.message:String(e)}function r(e){return e instanceof n?e.exitCode:t.failed}export{t as a,n as b,s as c,r as d};
