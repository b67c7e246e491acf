import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EDIT_OPTIONS,
  command,
  numberOption,
  runEdit
} from "./chunk-5ZRBHAPC.mjs";
import "./chunk-TZKYJER5.mjs";
import "./chunk-TAMWFICQ.mjs";
import "./chunk-SEURZTZJ.mjs";
import "./chunk-5R7UJW2S.mjs";
import "./chunk-3SB52TIX.mjs";
import "./chunk-GD5V3PYV.mjs";
import "./chunk-X5CIPRTW.mjs";
import "./chunk-YKMEQ3BT.mjs";
import "./chunk-5J2VDBS2.mjs";
import "./chunk-CRA3N2ZM.mjs";
import "./chunk-MKBKQ2QT.mjs";
import "./chunk-XC3Q56L7.mjs";
import "./chunk-PV334CNP.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-2RWZAGUO.mjs";
import "./chunk-U4OG5VJE.mjs";
import "./chunk-PX4VJDWW.mjs";
import "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import "./chunk-OZB5XGBP.mjs";
import "./chunk-VUZMR3KI.mjs";
import "./chunk-36WHMPUM.mjs";
import "./chunk-XMGGJPA5.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  EDIT_OPTIONS,
  command,
  numberOption,
  runEdit
};
