import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import{b as o}from"./chunk-O5HW3VWJ.mjs";function r(t){return o(t)}export{r as a};
