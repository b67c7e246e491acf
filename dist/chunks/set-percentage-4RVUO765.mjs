import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EDIT_OPTIONS,
  command,
  numberOption,
  runEdit
} from "./chunk-7MTAUCCC.mjs";
import "./chunk-IMSBEPII.mjs";
import "./chunk-N3YVVLY2.mjs";
import "./chunk-2FXE6J6X.mjs";
import "./chunk-5PF2FZBE.mjs";
import "./chunk-5XP62VFB.mjs";
import "./chunk-DKJJ2XPZ.mjs";
import "./chunk-UNCDWQFU.mjs";
import "./chunk-CJGDFX3A.mjs";
import "./chunk-MKBKQ2QT.mjs";
import "./chunk-XC3Q56L7.mjs";
import "./chunk-DOYWIERC.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-VJ6H3ZYA.mjs";
import "./chunk-5ASYAPI3.mjs";
import "./chunk-PX4VJDWW.mjs";
import "./chunk-7GHZ77ZE.mjs";
import "./chunk-KAJDPQA3.mjs";
import "./chunk-SLK3YAOL.mjs";
import "./chunk-S5U7UAL3.mjs";
import "./chunk-QKVV5EAQ.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  EDIT_OPTIONS,
  command,
  numberOption,
  runEdit
};
