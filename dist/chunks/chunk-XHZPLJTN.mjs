import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
function o(e,n){let t=e.events.find(r=>r.type==="ROLLBACK_STARTED"||r.type==="REVERT_COMPLETED");return{kind:"appconfig-rollback",deploymentNumber:e.number,triggeredBy:t?.triggeredBy??"APPCONFIG",description:t?.description||`deployment ended ${e.state}`,at:t?.at??n}}export{o as a};
