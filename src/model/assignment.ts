/**
 * `FLAG.ATTRIBUTE=VALUE` and `FLAG=on|off`: the words of `flagops set` and of the `set:` lists in
 * app.yaml's `commands:` (docs/reference.md#commands). Parsing and resolving against the flag's
 * definition live here so that `validate` (for presets) and the edit commands say the same thing.
 */
import { didYouMean } from './did-you-mean.ts';
import type { Application, AttributeDefinition } from './types.ts';

export interface Assignment {
  flag: string;
  /** `enabled` for `FLAG=on|off`. */
  attribute: string;
  /** The value as written, or `$name` for a preset's placeholder. */
  value: string;
}

const SWITCH: Record<string, boolean> = { on: true, off: false, true: true, false: false };
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Splits the words; a malformed one throws with the form it should have. */
export function parseAssignment(text: string): Assignment {
  const eq = text.indexOf('=');
  const target = eq < 0 ? '' : text.slice(0, eq).trim();
  const value = eq < 0 ? '' : text.slice(eq + 1).trim();
  const [flag = '', attribute, ...rest] = target.split('.');
  if (eq < 0 || flag === '' || attribute === '' || rest.length > 0 || value === '')
    throw new AssignmentError(
      `"${text}" is not an assignment; write FLAG.ATTRIBUTE=VALUE, or FLAG=on / FLAG=off for enabled`,
    );
  if (attribute === undefined && !(value.toLowerCase() in SWITCH) && !value.startsWith('$'))
    throw new AssignmentError(
      `"${text}": a flag alone takes on or off; write ${flag}.ATTRIBUTE=VALUE to set an attribute`,
    );
  return { flag, attribute: attribute ?? 'enabled', value };
}

export class AssignmentError extends Error {}

/** The placeholder's option name (`$percentage` → `percentage`), or undefined for a literal. */
export function placeholderOf(assignment: Assignment): string | undefined {
  if (!assignment.value.startsWith('$')) return undefined;
  const name = assignment.value.slice(1);
  if (!NAME.test(name))
    throw new AssignmentError(
      `"${assignment.value}" is not a placeholder; write $ and a name, e.g. $percentage`,
    );
  return name;
}

/**
 * The definition the assignment writes to: `enabled` (a boolean every flag has) or a declared
 * attribute. An undeclared flag or attribute throws, naming the declared ones.
 */
export function resolveAssignment(
  app: Application,
  assignment: Pick<Assignment, 'flag' | 'attribute'>,
): AttributeDefinition | 'enabled' {
  const flag = app.flags[assignment.flag];
  if (!flag)
    throw new AssignmentError(
      `\`${assignment.flag}\` is not a flag of ${app.name} (declared under \`flags:\` in ${app.dir}/app.yaml).${didYouMean(assignment.flag, Object.keys(app.flags))}`,
    );
  if (assignment.attribute === 'enabled') return 'enabled';
  const attribute = flag.attributes[assignment.attribute];
  if (!attribute)
    throw new AssignmentError(
      `\`${assignment.flag}\` has no attribute \`${assignment.attribute}\` (declared: ${['enabled', ...Object.keys(flag.attributes)].join(', ')}).${didYouMean(assignment.attribute, Object.keys(flag.attributes))}`,
    );
  return attribute;
}

/** The value for the file: typed as the definition says; anything else stays text for validation to judge. */
export function typedValue(definition: AttributeDefinition | 'enabled', text: string): unknown {
  if (definition === 'enabled' || definition.type === 'boolean') return SWITCH[text.toLowerCase()] ?? text;
  if (definition.type === 'number') {
    const n = Number(text);
    return text !== '' && Number.isFinite(n) ? n : text;
  }
  return text;
}
