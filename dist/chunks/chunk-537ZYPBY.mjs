import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{a as n,b as o}from"./chunk-32CXVLQD.mjs";function i(r){let e=r.FLAGOPS_NOW;if(!e)return new Date;let t=new Date(e);if(Number.isNaN(t.getTime()))throw new o(`FLAGOPS_NOW="${e}" is not an ISO-8601 instant`,n.usage);return t}export{i as a};
