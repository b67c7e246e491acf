import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EDIT_OPTIONS,
  command,
  numberOption,
  runEdit
} from "./chunk-HELRYKCC.mjs";
import "./chunk-MV3XS6V7.mjs";
import "./chunk-TAMWFICQ.mjs";
import "./chunk-XIECPRP3.mjs";
import "./chunk-LXOIXLZO.mjs";
import "./chunk-3SB52TIX.mjs";
import "./chunk-UNXYC2MT.mjs";
import "./chunk-CLLYQN56.mjs";
import "./chunk-IKWIC22F.mjs";
import "./chunk-5J2VDBS2.mjs";
import "./chunk-AVEDXNBG.mjs";
import "./chunk-MKBKQ2QT.mjs";
import "./chunk-XC3Q56L7.mjs";
import "./chunk-PV334CNP.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-RLTBYQI6.mjs";
import "./chunk-U4OG5VJE.mjs";
import "./chunk-PX4VJDWW.mjs";
import "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import "./chunk-GYOFF2TW.mjs";
import "./chunk-63TE45XQ.mjs";
import "./chunk-EMXNOCBW.mjs";
import "./chunk-XMGGJPA5.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  EDIT_OPTIONS,
  command,
  numberOption,
  runEdit
};
