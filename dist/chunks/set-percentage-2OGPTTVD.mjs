import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EDIT_OPTIONS,
  command,
  numberOption,
  runEdit
} from "./chunk-RTBLS635.mjs";
import "./chunk-H6Z4IOFA.mjs";
import "./chunk-TAMWFICQ.mjs";
import "./chunk-JQ6PP4LE.mjs";
import "./chunk-UWC2TD2E.mjs";
import "./chunk-3SB52TIX.mjs";
import "./chunk-JALHVZYS.mjs";
import "./chunk-FHSBC5PW.mjs";
import "./chunk-A5LZP4FJ.mjs";
import "./chunk-5J2VDBS2.mjs";
import "./chunk-HITCBEQC.mjs";
import "./chunk-MKBKQ2QT.mjs";
import "./chunk-XC3Q56L7.mjs";
import "./chunk-PV334CNP.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-RLTBYQI6.mjs";
import "./chunk-U4OG5VJE.mjs";
import "./chunk-PX4VJDWW.mjs";
import "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import "./chunk-C65MKTBZ.mjs";
import "./chunk-KBUGINDY.mjs";
import "./chunk-POVLCFC4.mjs";
import "./chunk-XMGGJPA5.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  EDIT_OPTIONS,
  command,
  numberOption,
  runEdit
};
