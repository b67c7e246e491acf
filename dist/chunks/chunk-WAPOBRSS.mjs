import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{c as o}from"./chunk-JLSQSBOO.mjs";function r(t){return o(t)}export{r as a};
