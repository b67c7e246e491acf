/**
 * A unified diff's hunks (as GitHub's API gives them in `patch`) as a table with old and new line
 * numbers, the way a pull request's "Files changed" reads.
 */
import type { FileChange } from '../github/git.ts';
import { esc } from './html.ts';

/** Past this many lines per page a diff is cut, with a note saying how much was left out. */
const MAX_LINES = 2_000;

export function renderFiles(files: FileChange[], anchorPrefix = 'diff'): string {
  if (files.length === 0) return '<p class="meta">No changes.</p>';
  let budget = MAX_LINES;
  const parts: string[] = [];
  for (const [i, file] of files.entries()) {
    const name =
      file.previousFilename !== undefined
        ? `${esc(file.previousFilename)} → ${esc(file.filename)}`
        : esc(file.filename);
    const stats = `<span class="mark success">+${file.additions}</span> <span class="mark failure">−${file.deletions}</span>`;
    let body: string;
    if (file.patch === undefined) body = '<p class="meta">Binary file or no textual change.</p>';
    else if (budget <= 0)
      body = '<p class="meta">Diff not shown: this page already shows its share of lines.</p>';
    else {
      const lines = file.patch.split('\n');
      body = patchTable(lines.slice(0, budget));
      if (lines.length > budget) body += `<p class="meta">${lines.length - budget} more lines not shown.</p>`;
      budget -= lines.length;
    }
    parts.push(
      `<div class="box file" id="${anchorPrefix}-${i}"><div class="head mono">${stats} ${name} <span class="meta">${esc(file.status)}</span></div>${body}</div>`,
    );
  }
  return parts.join('\n');
}

function patchTable(lines: string[]): string {
  let oldLine = 0;
  let newLine = 0;
  const rows: string[] = [];
  for (const line of lines) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      rows.push(`<tr class="hunk"><td class="n"></td><td class="n"></td><td>${esc(line)}</td></tr>`);
    } else if (line.startsWith('+')) {
      rows.push(
        `<tr class="add"><td class="n"></td><td class="n">${newLine++}</td><td>${esc(line)}</td></tr>`,
      );
    } else if (line.startsWith('-')) {
      rows.push(
        `<tr class="del"><td class="n">${oldLine++}</td><td class="n"></td><td>${esc(line)}</td></tr>`,
      );
    } else if (line.startsWith('\\')) {
      rows.push(`<tr><td class="n"></td><td class="n"></td><td class="meta">${esc(line)}</td></tr>`);
    } else {
      rows.push(
        `<tr><td class="n">${oldLine++}</td><td class="n">${newLine++}</td><td>${esc(line)}</td></tr>`,
      );
    }
  }
  return `<table class="diff">${rows.join('')}</table>`;
}
