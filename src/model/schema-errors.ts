/**
 * ajv's errors as diagnostics a person can act on, each pointing at the YAML node at fault: the key
 * for unknown or badly named keys, the value for wrong values.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { diagnostic } from './diagnostics.ts';
import { didYouMean } from './did-you-mean.ts';
import { excerpt } from './text.ts';
import type { Diagnostic } from './types.ts';
import type { NodeIndex } from './yaml.ts';
import { yaml11Boolean, yaml11BooleanMessage } from './yaml11.ts';

const SAFE_NAME_PATTERN = '^[a-z0-9][a-z0-9-]{0,63}$';

/** JSON Pointer (`/environments/production`) to dotted path (`environments.production`). */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** How a message names a node: `` `a.b` `` or "the top level". */
export function describePath(path: string): string {
  return path === '' ? 'the top level' : `\`${path}\``;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string "${excerpt(value)}"`;
  return `${typeof value} ${String(value)}`;
}

export function schemaDiagnostics(errors: readonly ErrorObject[], index: NodeIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  // anyOf/oneOf report every failed branch and then themselves; the summary alone reads better.
  const branchSummaries = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const seen = new Set<string>();
  for (const error of errors) {
    if (branchSummaries.some((s) => s !== error && error.schemaPath.startsWith(`${s.schemaPath}/`))) continue;
    // propertyNames reports the failing name through an inner error; that one carries the detail.
    if (error.keyword === 'propertyNames') continue;
    // if/then (a comparative guard's own schema) reports the inner errors, then "must match then".
    if (error.keyword === 'if') continue;
    const d = toDiagnostic(error, index);
    const key = `${d.position.line}:${d.position.column}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function toDiagnostic(error: ErrorObject, index: NodeIndex): Diagnostic {
  const path = pointerToPath(error.instancePath);
  const where = describePath(path);
  const params = error.params as Record<string, unknown>;
  const propertyName = (error as { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    const keyPath = join(path, propertyName);
    const safe = (error.schema as unknown) === SAFE_NAME_PATTERN;
    const message = safe
      ? `\`${propertyName}\` is not a safe name: use lowercase letters, digits and '-' (start with a letter or digit, at most 64 characters); names become directories under flags/.`
      : `key \`${propertyName}\` in ${where} is not allowed: ${error.message ?? 'invalid name'}${patternHint(error)}.`;
    return diagnostic(safe ? 'unsafe-name' : 'schema', index.key(keyPath), message);
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      const known = Object.keys((error.parentSchema?.['properties'] as object | undefined) ?? {});
      const patterns = Object.keys((error.parentSchema?.['patternProperties'] as object | undefined) ?? {});
      if (patterns.length > 0) {
        // Keys here are names the user chooses (flags); the rule for them is what helps.
        const others = known.length > 0 ? `, or be one of ${known.join(', ')}` : '';
        return diagnostic(
          'schema',
          index.key(join(path, name)),
          `\`${name}\` is not a valid name in ${where}: names must match ${patterns.join(' or ')} (a lowercase letter, then letters, digits, '_' or '-')${others}.`,
        );
      }
      const list = known.length > 0 ? ` Allowed here: ${known.join(', ')}.` : '';
      return diagnostic(
        'schema',
        index.key(join(path, name)),
        `unknown key \`${name}\` in ${where}.${didYouMean(name, known) || list}`,
      );
    }
    case 'required': {
      const name = String(params['missingProperty']);
      return diagnostic('required', index.key(path), `${where} is missing the required key \`${name}\`.`);
    }
    case 'type': {
      const expected = String(params['type']);
      if (expected.includes('boolean') && yaml11Boolean(error.data) !== undefined) {
        return diagnostic(
          'yaml11-boolean',
          index.value(path),
          yaml11BooleanMessage(where, String(error.data)),
        );
      }
      return diagnostic(
        'type',
        index.value(path),
        `${where} must be ${article(expected)}, but is ${describeValue(error.data)}.`,
      );
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((v) => String(v));
      return diagnostic(
        'enum',
        index.value(path),
        `${where} is ${describeValue(error.data)}; allowed: ${allowed.join(', ')}.${didYouMean(String(error.data), allowed)}`,
      );
    }
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const code = error.keyword.toLowerCase().includes('min') ? 'minimum' : 'maximum';
      return diagnostic(code, index.value(path), `${where} is ${String(error.data)}; it ${error.message}.`);
    }
    case 'pattern':
      return diagnostic(
        'schema',
        index.value(path),
        `${where} is ${describeValue(error.data)}, which is not allowed: ${error.message}${patternHint(error)}.`,
      );
    case 'anyOf':
    case 'oneOf':
      return diagnostic(
        'schema',
        index.value(path),
        `${where} is ${describeValue(error.data)}; ${anyOfHint(error)}`,
      );
    default:
      return diagnostic('schema', index.value(path), `${where} ${error.message ?? 'is invalid'}.`);
  }
}

function article(types: string): string {
  return types
    .split(',')
    .map((t) =>
      t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`,
    )
    .join(' or ');
}

// The schema's own description usually says in words what the pattern means.
function patternHint(error: ErrorObject): string {
  const description = error.parentSchema?.['description'];
  return typeof description === 'string' ? ` (${description.replace(/\.$/, '')})` : '';
}

function anyOfHint(error: ErrorObject): string {
  const description = error.parentSchema?.['description'];
  return typeof description === 'string'
    ? `expected ${lowerFirst(description)}`
    : `${error.message ?? 'invalid'}.`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
