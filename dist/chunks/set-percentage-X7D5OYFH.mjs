import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EDIT_OPTIONS,
  command,
  numberOption,
  runEdit
} from "./chunk-RHVZ56LC.mjs";
import "./chunk-5J2VDBS2.mjs";
import "./chunk-TAMWFICQ.mjs";
import "./chunk-C7CRUNZK.mjs";
import "./chunk-VIF5ZNWC.mjs";
import "./chunk-5PF2FZBE.mjs";
import "./chunk-PV334CNP.mjs";
import "./chunk-3RHSJDSV.mjs";
import "./chunk-SJ7ZTYUP.mjs";
import "./chunk-EAUI3ICK.mjs";
import "./chunk-RGNUHZZM.mjs";
import "./chunk-HT6FUBY7.mjs";
import "./chunk-U4OG5VJE.mjs";
import "./chunk-PX4VJDWW.mjs";
import "./chunk-XISSI26M.mjs";
import "./chunk-MKBKQ2QT.mjs";
import "./chunk-XC3Q56L7.mjs";
import "./chunk-26HIZ3AG.mjs";
import "./chunk-AHO5A5OE.mjs";
import "./chunk-EJUDYG2B.mjs";
import "./chunk-BA6QBSFO.mjs";
import "./chunk-J65SMI3B.mjs";
import "./chunk-XMGGJPA5.mjs";
import "./chunk-UMADLKRQ.mjs";
export {
  EDIT_OPTIONS,
  command,
  numberOption,
  runEdit
};
