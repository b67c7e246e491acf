/**
 * `flagops set`'s edit: each assignment changes one value of a feature-flags values file, in the
 * order given, and every other byte stays (src/edit/yaml-edit.ts). Assignments are resolved against
 * the flag's definition first, so a misspelt name fails before the file is read; values are typed
 * as the definition says, and whatever they break (a range, an enum, a prerequisite, a policy rule)
 * is then reported by validation at the file and line, as `flagops validate` would.
 */
import { parseDocument } from 'yaml';
import { type Assignment, AssignmentError, resolveAssignment, typedValue } from '../model/assignment.ts';
import type { Application } from '../model/types.ts';
import { EditError, flowMap, type ScalarValue, setIn, yamlScalar } from './yaml-edit.ts';

export interface ResolvedAssignment {
  flag: string;
  attribute: string;
  value: unknown;
}

/** Checks the names against `app`'s flags and types the values; throws EditError naming the fix. */
export function resolveAssignments(app: Application, assignments: Assignment[]): ResolvedAssignment[] {
  return assignments.map((a) => {
    try {
      return { flag: a.flag, attribute: a.attribute, value: typedValue(resolveAssignment(app, a), a.value) };
    } catch (error) {
      if (error instanceof AssignmentError) throw new EditError(error.message);
      throw error;
    }
  });
}

/** The text with every assignment applied; a flag missing from the file is added, switched off unless set on. */
export function applyAssignments(source: string, assignments: ResolvedAssignment[]): string {
  let text = source;
  for (const { flag, attribute, value } of assignments) {
    const yaml = valueText(value);
    if (parseDocument(text).getIn([flag]) === undefined) {
      const entry: Record<string, ScalarValue> = {
        enabled: attribute === 'enabled' ? value === true : false,
      };
      text = setIn(text, [flag], flowMap(entry));
      if (attribute === 'enabled') continue;
    }
    text = setIn(text, [flag, attribute], yaml);
  }
  return text;
}

/** Number, boolean and string as YAML scalars; anything else (an array) as one flow line. */
function valueText(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')
    return yamlScalar(value);
  if (Array.isArray(value)) return `[${value.map((v) => yamlScalar(v as ScalarValue)).join(', ')}]`;
  throw new EditError(`cannot write ${String(value)}`);
}

/** Reads one value of a values file (`undefined` when absent). */
export function readValue(source: string, flag: string, attribute: string): unknown {
  return parseDocument(source).getIn([flag, attribute]);
}
