import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{a as e,b as r}from"./chunk-32CXVLQD.mjs";var t=class extends r{constructor(n,o=e.failed){super(n,o),this.name="CliError"}};export{t as a};
