/**
 * A feature-flag values file checked against the flag definitions in app.yaml: every flag known,
 * every attribute declared, of the declared type and within its constraints.
 */
import { compilePattern } from './application-checks.ts';
import { diagnostic } from './diagnostics.ts';
import { didYouMean } from './did-you-mean.ts';
import { describeValue } from './schema-errors.ts';
import type { Application, AttributeDefinition, Diagnostic, FlagValue } from './types.ts';
import { isRecord } from './values.ts';
import type { NodeIndex } from './yaml.ts';
import { yaml11Boolean, yaml11BooleanMessage } from './yaml11.ts';

/** Keys starting with `_` are reserved for flagops (e.g. `_rollout`) and are never flags. */
export function isReservedKey(key: string): boolean {
  return key.startsWith('_');
}

const FLAG_KEY = /^[a-z][a-zA-Z\d_-]{0,63}$/;

export function checkFlagValues(
  data: Record<string, unknown>,
  app: Application,
  index: NodeIndex,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const declared = Object.keys(app.flags);
  for (const [name, value] of Object.entries(data)) {
    // Malformed names and shapes were reported by the schema; checking them again adds only noise.
    if (isReservedKey(name) || !FLAG_KEY.test(name) || !isRecord(value)) continue;
    const definition = app.flags[name];
    if (!definition) {
      out.push(
        diagnostic(
          'unknown-flag',
          index.key(name),
          `unknown flag \`${name}\`: it is not declared under \`flags:\` in ${app.dir}/app.yaml.${didYouMean(name, declared)}`,
        ),
      );
      continue;
    }
    const attributes = Object.keys(definition.attributes);
    for (const [attributeName, attributeValue] of Object.entries(value)) {
      if (attributeName === 'enabled') continue;
      const path = `${name}.${attributeName}`;
      const attribute = definition.attributes[attributeName];
      if (!attribute) {
        const known =
          attributes.length > 0 ? ` Its attributes: ${attributes.join(', ')}.` : ' It has no attributes.';
        out.push(
          diagnostic(
            'unknown-attribute',
            index.key(path),
            `flag \`${name}\` has no attribute \`${attributeName}\`.${didYouMean(attributeName, attributes) || known}`,
          ),
        );
        continue;
      }
      out.push(...checkAttributeValue(path, attribute, attributeValue, index));
    }
    for (const attribute of Object.values(definition.attributes)) {
      if (attribute.required && !(attribute.name in value)) {
        out.push(
          diagnostic(
            'required',
            index.key(name),
            `flag \`${name}\` is missing its required attribute \`${attribute.name}\`; add \`${attribute.name}: <${attribute.type}>\`.`,
          ),
        );
      }
    }
  }
  for (const name of declared) {
    if (!(name in data)) {
      out.push(
        diagnostic(
          'missing-flag',
          index.value(''),
          `flag \`${name}\` is declared in ${app.dir}/app.yaml but has no value here; add \`${name}: { enabled: false }\` (or true).`,
        ),
      );
    }
  }
  return out;
}

type Constraints = Pick<AttributeDefinition, 'minimum' | 'maximum' | 'enum' | 'pattern'> & {
  type: AttributeDefinition['type'];
};

function checkAttributeValue(
  path: string,
  attribute: AttributeDefinition,
  value: unknown,
  index: NodeIndex,
): Diagnostic[] {
  if (attribute.type === 'array') {
    if (!Array.isArray(value)) return [typeMismatch(path, 'a list', value, index)];
    const elements = attribute.elements;
    if (!elements) return [];
    return value.flatMap((item, i) => checkScalar(`${path}.${i}`, elements, item, index));
  }
  return checkScalar(path, attribute, value, index);
}

function checkScalar(path: string, c: Constraints, value: unknown, index: NodeIndex): Diagnostic[] {
  const at = index.value(path);
  const where = `\`${path}\``;
  switch (c.type) {
    case 'boolean':
      if (typeof value === 'boolean') return [];
      if (yaml11Boolean(value) !== undefined) {
        return [diagnostic('yaml11-boolean', at, yaml11BooleanMessage(where, String(value)))];
      }
      return [typeMismatch(path, 'a boolean (true or false)', value, index)];
    case 'number': {
      if (typeof value !== 'number') return [typeMismatch(path, 'a number', value, index)];
      const out: Diagnostic[] = [];
      if (c.minimum !== undefined && value < c.minimum) {
        out.push(diagnostic('minimum', at, `${where} is ${value}, below the minimum ${c.minimum}.`));
      }
      if (c.maximum !== undefined && value > c.maximum) {
        out.push(diagnostic('maximum', at, `${where} is ${value}, above the maximum ${c.maximum}.`));
      }
      return out;
    }
    case 'string': {
      if (typeof value !== 'string') return [typeMismatch(path, 'a string', value, index)];
      if (c.enum !== undefined && !c.enum.some((allowed) => String(allowed) === value)) {
        const allowed = c.enum.map(String);
        return [
          diagnostic(
            'enum',
            at,
            `${where} is "${value}"; allowed: ${allowed.join(', ')}.${didYouMean(value, allowed)}`,
          ),
        ];
      }
      const pattern = c.pattern === undefined ? undefined : compilePattern(c.pattern);
      if (pattern && !pattern.test(value)) {
        return [
          diagnostic('pattern', at, `${where} is "${value}", which does not match the pattern ${c.pattern}.`),
        ];
      }
      return [];
    }
    default:
      return [];
  }
}

function typeMismatch(path: string, expected: string, value: unknown, index: NodeIndex): Diagnostic {
  return diagnostic(
    'type',
    index.value(path),
    `\`${path}\` must be ${expected}, but is ${describeValue(value)}.`,
  );
}

/** The flags of a values file in file order, for `Target.flags`. */
export function flagValues(data: Record<string, unknown>): Record<string, FlagValue> {
  const flags: Record<string, FlagValue> = {};
  for (const [name, value] of Object.entries(data)) {
    if (isReservedKey(name) || !isRecord(value)) continue;
    const attributes: Record<string, unknown> = {};
    for (const [key, attributeValue] of Object.entries(value)) {
      if (key !== 'enabled') attributes[key] = attributeValue;
    }
    flags[name] = { enabled: value['enabled'] === true, attributes };
  }
  return flags;
}
