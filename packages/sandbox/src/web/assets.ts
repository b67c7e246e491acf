/**
 * The pages' static files: one small stylesheet, the few lines that draw diagrams, and mermaid
 * itself from its npm package (never a CDN: the sandbox works offline). Kept as strings, not files
 * beside this module, so they are found however the sandbox is loaded (sources or a bundle).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;color:#1f2328;background:#fff}
a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
.wrap{max-width:1012px;margin:0 auto;padding:0 16px}
.top{background:#f6f8fa;border-bottom:1px solid #d0d7de;padding:12px 0 0;margin-bottom:20px}
.top .repo{font-size:18px;color:#1f2328}.top .sandbox{float:right;color:#59636e;font-size:12px}
.top nav{margin-top:8px;display:flex;gap:4px}
.top nav a{padding:6px 12px;color:#1f2328;border-bottom:2px solid transparent}
.top nav a[aria-current]{border-bottom-color:#fd8c73;font-weight:600}
h1{font-size:26px;font-weight:400;margin:0 0 8px}h1 .num{color:#59636e}
h2{font-size:18px;margin:24px 0 8px}
.meta{color:#59636e;margin-bottom:16px}
code,pre,tt,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.badge{display:inline-block;padding:3px 10px;border-radius:16px;color:#fff;font-weight:600;font-size:13px}
.badge.open,.badge.success{background:#1f883d}.badge.merged{background:#8250df}.badge.closed,.badge.failure{background:#cf222e}
.badge.pending{background:#9a6700}.badge.neutral{background:#59636e}
.mark{font-weight:700}.mark.success,.mark.open{color:#1a7f37}.mark.failure,.mark.closed{color:#cf222e}
.mark.pending{color:#9a6700}.mark.merged{color:#8250df}.mark.neutral{color:#59636e}
.label{display:inline-block;padding:0 7px;border-radius:12px;font-size:12px;font-weight:500;line-height:20px;color:#1f2328;margin-right:4px}
.label.dark{color:#fff}
.box{border:1px solid #d0d7de;border-radius:6px;margin:0 0 16px;background:#fff}
.box>.head{background:#f6f8fa;border-bottom:1px solid #d0d7de;padding:8px 16px;border-radius:6px 6px 0 0}
.box>.body{padding:12px 16px;overflow-x:auto}
.rows{list-style:none;margin:0;padding:0}.rows>li{padding:8px 16px;border-top:1px solid #d0d7de}.rows>li:first-child{border-top:0}
.rows .title{font-weight:600;font-size:16px;color:#1f2328}.rows .sub{color:#59636e;font-size:12px}
.filters a{margin-right:12px;color:#1f2328}.filters a[aria-current]{font-weight:600}
.event{color:#59636e;padding:4px 16px 12px 32px}
.checks td,.checks th{padding:6px 8px;border-top:1px solid #d0d7de;text-align:left;vertical-align:top}
.checks{border-collapse:collapse;width:100%}
.blockers{margin:4px 0 0;padding-left:20px}
.diff{border-collapse:collapse;width:100%;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.diff td{padding:0 8px;white-space:pre-wrap;word-break:break-all}.diff .n{color:#59636e;text-align:right;width:1%;user-select:none;white-space:nowrap}
.diff .add{background:#dafbe1}.diff .del{background:#ffebe9}.diff .hunk{background:#ddf4ff;color:#59636e}
.log{background:#0d1117;color:#e6edf3;padding:12px;border-radius:6px;overflow-x:auto;white-space:pre-wrap}
.steps{list-style:none;padding:0;margin:0}.steps li{padding:4px 0}
.markdown-body{overflow-wrap:break-word}.markdown-body>:first-child{margin-top:0}.markdown-body>:last-child{margin-bottom:0}
.markdown-body table{border-collapse:collapse;margin:0 0 16px;display:block;overflow:auto}
.markdown-body th,.markdown-body td{border:1px solid #d0d7de;padding:6px 13px}.markdown-body tr:nth-child(2n){background:#f6f8fa}
.markdown-body pre{background:#f6f8fa;padding:16px;border-radius:6px;overflow:auto}
.markdown-body code{background:rgba(175,184,193,.2);padding:.2em .4em;border-radius:6px}.markdown-body pre code{background:none;padding:0}
.markdown-body pre.mermaid{background:#fff;text-align:center}
.markdown-body blockquote{margin:0 0 16px;padding:0 1em;color:#59636e;border-left:.25em solid #d0d7de}
.markdown-body details{margin:0 0 16px}.markdown-body summary{cursor:pointer}
.markdown-body li:has(>input[type=checkbox]){list-style:none;margin-left:-1.3em}
.markdown-body img{max-width:100%}
`;

/**
 * Draws every `pre.mermaid` block with mermaid's strict security level (labels are text, no click
 * handlers), then marks the document so a reader (or a test) knows drawing finished.
 */
export const DIAGRAMS = `'use strict';
(function () {
  var root = document.documentElement;
  if (typeof mermaid === 'undefined') { root.dataset.diagrams = 'unavailable'; return; }
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: 'default',
    themeVariables: { xyChart: { plotColorPalette: '#0969da, #cf222e, #1a7f37, #8250df' } },
  });
  mermaid.run({ querySelector: 'pre.mermaid' }).then(
    function () { root.dataset.diagrams = 'drawn'; },
    function (error) { root.dataset.diagrams = 'failed'; console.error(error); },
  );
})();
`;

let mermaidSource: Buffer | undefined;

/** mermaid's browser bundle from node_modules, read once. */
export function mermaidBundle(): Buffer {
  mermaidSource ??= readFileSync(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'));
  return mermaidSource;
}
