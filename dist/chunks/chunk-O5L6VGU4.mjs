import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
var e={check:async()=>({held:!1})};export{e as a};
