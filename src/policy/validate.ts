/**
 * Everything `flagops validate` checks, below every entry point: the loader's diagnostics (schemas,
 * flag definitions), the compiled documents' limits, and policy — state rules alone, or the
 * transition rules too when a base revision is given. The CLI, the plan action and the operator
 * edits all ask this one function.
 */
import { compileTarget } from '../model/compile.ts';
import type { Diagnostic, Repository } from '../model/types.ts';
import { checkChange } from './check.ts';
import { findingToDiagnostic } from './finding.ts';
import { checkState } from './state.ts';
import type { TransitionContext } from './transition.ts';

/** Everything `validate` checks, as diagnostics sorted by file and line. */
export function validateRepository(
  head: Repository,
  base: Repository | undefined,
  now: Date,
  context: Omit<TransitionContext, 'now'> = {},
): Diagnostic[] {
  const diagnostics = [...head.diagnostics];
  const broken = new Set(head.diagnostics.filter((d) => d.severity === 'error').map((d) => d.position.file));
  for (const target of head.targets) {
    const app = head.applications[target.application];
    // A file that failed to load has already said why; compiling it would only repeat that.
    if (!app || broken.has(target.file)) continue;
    const compiled = compileTarget(app, target);
    if (!compiled.ok) diagnostics.push(...compiled.diagnostics);
  }
  const findings = base ? checkChange(base, head, { ...context, now }) : checkState(head);
  for (const f of findings) if (f.severity !== 'info') diagnostics.push(findingToDiagnostic(f));
  return diagnostics.sort(
    (a, b) =>
      a.position.file.localeCompare(b.position.file) ||
      a.position.line - b.position.line ||
      a.position.column - b.position.column,
  );
}
