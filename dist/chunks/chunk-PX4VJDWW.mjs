import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// src/escape/markdown.ts
var ZERO_WIDTH_SPACE = "&#8203;";
function htmlText(text) {
  return neutraliseMentions(
    text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;")
  );
}
function neutraliseMentions(escaped) {
  return escaped.replaceAll("@", `@${ZERO_WIDTH_SPACE}`);
}
var INLINE_MARKUP = /[\\`*~[\]|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;
var LINE_START_MARKUP = /^(\s*)(?:([#=+-])|(\d+)([.)]))/;
function mdText(text) {
  return inlineText(text, true);
}
function inlineText(text, atLineStart) {
  const oneLine = text.replace(/\r\n?|\n/g, " ");
  const escaped = oneLine.replace(INLINE_MARKUP, (c) => `\\${c}`);
  const safe = atLineStart ? escaped.replace(
    LINE_START_MARKUP,
    (_m, space, sign, digits, dot) => sign ? `${space}\\${sign}` : `${space}${digits}\\${dot}`
  ) : escaped;
  return htmlText(safe);
}
function mdCode(text) {
  const clean = text.replace(/\r\n?|\n/g, " ");
  if (clean === "") return "` `";
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 || /^ | $/.test(clean) ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}
function mdTableCode(text) {
  return mdCode(text.replaceAll("|", "\\|"));
}
function mdProse(text) {
  const parts = text.replace(/\r\n?|\n/g, " ").split("`");
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? "";
    if (i % 2 === 1 && i < closed) out += mdTableCode(part);
    else out += (i % 2 === 1 ? "\\`" : "") + inlineText(part, i === 0);
  }
  return out;
}
function mdCodeBlock(text, info = "") {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}
${text.replace(/\r\n?/g, "\n")}
${fence}`;
}

export {
  mdText,
  mdCode,
  mdTableCode,
  mdProse,
  mdCodeBlock
};
