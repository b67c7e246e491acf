/**
 * Everything `flagops validate` checks, below every entry point: the loader's diagnostics (schemas,
 * flag definitions), the compiled documents' limits, and policy — state rules alone, or the
 * transition rules too when a base revision is given. The CLI, the plan action and the operator
 * edits all ask this one function.
 */
import { compileDiagnostics } from '../model/compile.ts';
import { compareDiagnostics } from '../model/diagnostics.ts';
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
  const diagnostics = [...head.diagnostics, ...compileDiagnostics(head)];
  const findings = base ? checkChange(base, head, { ...context, now }) : checkState(head);
  for (const f of findings) if (f.severity !== 'info') diagnostics.push(findingToDiagnostic(f));
  return diagnostics.sort(compareDiagnostics);
}
