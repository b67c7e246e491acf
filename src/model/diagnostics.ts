/**
 * Turning problems into text: the compiler-style line people read in a terminal, and the workflow
 * command GitHub turns into an annotation on the pull request's diff.
 */
import { escapeCommandData, escapeCommandProperty } from '../escape/workflow-commands.ts';
import type { Diagnostic, Severity, SourcePosition } from './types.ts';

export function diagnostic(
  code: string,
  position: SourcePosition,
  message: string,
  severity: Severity = 'error',
): Diagnostic {
  return { severity, code, message, position };
}

/** The start of a file, for problems that concern the whole file. */
export function fileStart(file: string): SourcePosition {
  return { file, line: 1, column: 1 };
}

/** `path:line:col: error: message`, path relative to the repository root. */
export function formatDiagnostic(d: Diagnostic): string {
  const { file, line, column } = d.position;
  return `${file}:${line}:${column}: ${d.severity}: ${d.message}`;
}

/** `::error file=…,line=…,col=…,title=…::message`, escaped as GitHub's workflow commands require. */
export function formatGithubAnnotation(d: Diagnostic): string {
  const { file, line, column } = d.position;
  const props = [
    `file=${escapeCommandProperty(file)}`,
    `line=${line}`,
    `col=${column}`,
    `title=${escapeCommandProperty(`flagops ${d.code}`)}`,
  ].join(',');
  return `::${d.severity} ${props}::${escapeCommandData(d.message)}`;
}

/** Files first, then lines, then columns: the order an editor's problem list shows. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const pa = a.position;
  const pb = b.position;
  if (pa.file !== pb.file) return pa.file < pb.file ? -1 : 1;
  return pa.line - pb.line || pa.column - pb.column;
}
