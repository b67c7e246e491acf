/**
 * Where a compiler diagnostic points. The loader records positions by dotted path; a compiler rule
 * asks for the most specific path it knows and falls back to the nearest recorded ancestor, so a
 * message lands on the offending line whenever the loader kept it and on the file otherwise.
 */
import type { Application, Diagnostic, SourcePosition, Target } from './types.ts';

export function appPosition(app: Application, path: string): SourcePosition {
  return nearest(app.locations, path) ?? { file: `${app.dir}/app.yaml`, line: 1, column: 1 };
}

export function targetPosition(target: Target, path: string): SourcePosition {
  return nearest(target.locations, path) ?? { file: target.file, line: 1, column: 1 };
}

export function error(code: string, message: string, position: SourcePosition): Diagnostic {
  return { severity: 'error', code, message, position };
}

function nearest(locations: Record<string, SourcePosition>, path: string): SourcePosition | undefined {
  let current = path;
  for (;;) {
    const found = locations[current];
    if (found) return found;
    if (current === '') return undefined;
    const dot = current.lastIndexOf('.');
    current = dot < 0 ? '' : current.slice(0, dot);
  }
}
