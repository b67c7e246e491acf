import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{a as n,b as o}from"./chunk-32CXVLQD.mjs";var l={pollIntervalMs:3e4,readDelayMs:1e3,ingestionAllowanceMs:12e4,deployPollMinMs:5e3,deployPollMaxMs:3e4,inFlightWaitMs:120*6e4,toleratedPollFailures:6};function a(e){return{...e,settings:{...l,...e.settings}}}function p(e,t,i){e.reporter.emit({...i,at:e.clock.now(),target:t})}var r=class extends o{constructor(t,i=n.failed){super(t,i),this.name="PipelineError"}};export{a,p as b,r as c};
