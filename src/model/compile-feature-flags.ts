/**
 * Values file + flag definitions → the `AWS.AppConfig.FeatureFlags` document object (the AWS AppConfig User Guide,
 * "Type reference for AWS.AppConfig.FeatureFlags"):
 *
 *   { version: "1",
 *     flags:  { <flag>: { name, description?, attributes?: { <attr>: { description?, constraints } } } },
 *     values: { <flag>: { enabled, <attr>: value, … } } }
 *
 * The document holds the flags the values file sets, each with its definition from app.yaml, so two
 * feature-flag profiles of one application can carry different flags. AppConfig adds `_createdAt` /
 * `_updatedAt` itself; we never write them (they would change the bytes on every compile).
 *
 * Every rule AppConfig enforces on CreateHostedConfigurationVersion that the repository could break is
 * checked here and reported as a diagnostic, so a bad definition fails in the pull request rather than
 * as a BadRequestException in the middle of a deploy.
 */

import { ROLLOUT_KEY } from '../core/names.ts';
import { appPosition, error, targetPosition } from './compile-locate.ts';
import type { Application, AttributeDefinition, Diagnostic, Target } from './types.ts';

/** AppConfig's pattern for flag and attribute keys. */
export const FEATURE_FLAG_KEY_PATTERN = /^[a-z][a-zA-Z\d_-]{0,63}$/;
export const MAX_ATTRIBUTES_PER_FLAG = 25;
export const MAX_DESCRIPTION_LENGTH = 1024;
export const MAX_STRING_VALUE_LENGTH = 1024;
export const MAX_PATTERN_LENGTH = 1024;
export const MAX_ENUM_VALUES = 100;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface FeatureFlagsBuild {
  document: JsonObject;
  diagnostics: Diagnostic[];
}

export function buildFeatureFlagsDocument(app: Application, target: Target): FeatureFlagsBuild {
  const diagnostics: Diagnostic[] = [];
  const flags: JsonObject = {};
  const values: JsonObject = {};

  for (const [flagName, flagValue] of Object.entries(target.flags ?? {})) {
    // Keys starting with `_` are flagops' own (e.g. `_rollout`), never flags: not deployed.
    if (flagName.startsWith('_')) continue;
    const definition = Object.hasOwn(app.flags, flagName) ? app.flags[flagName] : undefined;
    if (!definition) {
      diagnostics.push(
        error(
          'unknown-flag',
          `flag "${flagName}" is not defined in ${app.dir}/app.yaml: declare it under flags: or remove it from this file`,
          targetPosition(target, flagName),
        ),
      );
      continue;
    }
    // An invalid key is reported and left out: it could never deploy, and keys such as `__proto__`
    // must not reach a plain object.
    if (!checkKey(flagName, 'flag', appPosition(app, `flags.${flagName}`), diagnostics)) continue;

    const compiledFlag: JsonObject = { name: flagName };
    if (definition.description !== undefined) {
      checkDescription(
        definition.description,
        `flag "${flagName}"`,
        app,
        `flags.${flagName}.description`,
        diagnostics,
      );
      compiledFlag['description'] = definition.description;
    }
    const attributeNames = Object.keys(definition.attributes);
    if (attributeNames.length > MAX_ATTRIBUTES_PER_FLAG) {
      diagnostics.push(
        error(
          'too-many-attributes',
          `flag "${flagName}" declares ${attributeNames.length} attributes; AppConfig allows at most ${MAX_ATTRIBUTES_PER_FLAG} per flag: split it into several flags or move settings to a freeform profile`,
          appPosition(app, `flags.${flagName}.attributes`),
        ),
      );
    }
    if (attributeNames.length > 0) {
      const attributes: JsonObject = {};
      for (const [attributeName, attribute] of Object.entries(definition.attributes)) {
        if (
          !checkKey(
            attributeName,
            'attribute',
            appPosition(app, `flags.${flagName}.attributes.${attributeName}`),
            diagnostics,
          )
        )
          continue;
        attributes[attributeName] = compileAttribute(app, flagName, attributeName, attribute, diagnostics);
      }
      compiledFlag['attributes'] = attributes;
    }
    flags[flagName] = compiledFlag;
    values[flagName] = compileValue(
      app,
      target,
      flagName,
      flagValue.enabled,
      flagValue.attributes,
      diagnostics,
    );
  }

  return { document: { version: '1', flags, values }, diagnostics };
}

function compileAttribute(
  app: Application,
  flagName: string,
  attributeName: string,
  attribute: AttributeDefinition,
  diagnostics: Diagnostic[],
): JsonObject {
  const path = `flags.${flagName}.attributes.${attributeName}`;
  const label = `attribute "${flagName}.${attributeName}"`;
  if (attributeName === 'enabled') {
    diagnostics.push(
      error(
        'reserved-attribute-name',
        `${label} is named "enabled", which AppConfig uses for the flag's on/off value: rename the attribute`,
        appPosition(app, path),
      ),
    );
  }
  const compiled: JsonObject = {};
  if (attribute.description !== undefined) {
    checkDescription(attribute.description, label, app, `${path}.description`, diagnostics);
    compiled['description'] = attribute.description;
  }
  const constraints: JsonObject = { type: attribute.type, required: attribute.required };
  switch (attribute.type) {
    case 'number':
      rejectConstraints(attribute, ['enum', 'pattern'], 'number', label, app, path, diagnostics);
      Object.assign(constraints, numberBounds(attribute, label, app, path, diagnostics));
      break;
    case 'string':
      Object.assign(constraints, stringRule(attribute, label, app, path, diagnostics));
      break;
    case 'boolean':
      rejectConstraints(
        attribute,
        ['enum', 'pattern', 'minimum', 'maximum'],
        'boolean',
        label,
        app,
        path,
        diagnostics,
      );
      break;
    case 'array': {
      const elements = attribute.elements;
      if (!elements) {
        diagnostics.push(
          error(
            'array-without-elements',
            `${label} is an array without "elements": AppConfig needs the element type (string or number) and its constraints`,
            appPosition(app, path),
          ),
        );
        break;
      }
      const elementPath = `${path}.elements`;
      const elementLabel = `elements of ${label}`;
      const compiledElements: JsonObject = { type: elements.type };
      if (elements.type === 'number') {
        rejectConstraints(
          elements,
          ['enum', 'pattern'],
          'number',
          elementLabel,
          app,
          elementPath,
          diagnostics,
        );
        Object.assign(compiledElements, numberBounds(elements, elementLabel, app, elementPath, diagnostics));
      } else {
        Object.assign(compiledElements, stringRule(elements, elementLabel, app, elementPath, diagnostics));
      }
      constraints['elements'] = compiledElements;
      break;
    }
  }
  compiled['constraints'] = constraints;
  return compiled;
}

interface Bounds {
  minimum?: number;
  maximum?: number;
}

/** AppConfig declares number `minimum`/`maximum` as integers; a fraction would be refused at deploy. */
function numberBounds(
  bounds: Bounds,
  label: string,
  app: Application,
  path: string,
  diagnostics: Diagnostic[],
): JsonObject {
  const out: JsonObject = {};
  for (const key of ['minimum', 'maximum'] as const) {
    const bound = bounds[key];
    if (bound === undefined) continue;
    if (!Number.isSafeInteger(bound)) {
      diagnostics.push(
        error(
          'non-integer-bound',
          `${label} has ${key} ${bound}; AppConfig number constraints must be integers: use ${Math.round(bound)}, or scale the attribute (e.g. per mille instead of percent)`,
          appPosition(app, `${path}.${key}`),
        ),
      );
    }
    out[key] = bound;
  }
  if (bounds.minimum !== undefined && bounds.maximum !== undefined && bounds.minimum > bounds.maximum) {
    diagnostics.push(
      error(
        'bounds-inverted',
        `${label} has minimum ${bounds.minimum} above maximum ${bounds.maximum}: no value could pass`,
        appPosition(app, `${path}.minimum`),
      ),
    );
  }
  return out;
}

interface StringRule {
  pattern?: string;
  enum?: Array<string | number>;
}

function stringRule(
  rule: StringRule,
  label: string,
  app: Application,
  path: string,
  diagnostics: Diagnostic[],
) {
  const out: JsonObject = {};
  if (rule.pattern !== undefined && rule.enum !== undefined) {
    diagnostics.push(
      error(
        'pattern-and-enum',
        `${label} sets both pattern and enum; AppConfig allows only one of them on a string: keep the enum and drop the pattern`,
        appPosition(app, `${path}.pattern`),
      ),
    );
  }
  if (rule.pattern !== undefined) {
    if (rule.pattern.length > MAX_PATTERN_LENGTH) {
      diagnostics.push(
        error(
          'pattern-too-long',
          `${label} has a ${rule.pattern.length}-character pattern; AppConfig allows at most ${MAX_PATTERN_LENGTH}`,
          appPosition(app, `${path}.pattern`),
        ),
      );
    }
    out['pattern'] = rule.pattern;
  }
  if (rule.enum !== undefined) {
    if (rule.enum.length > MAX_ENUM_VALUES) {
      diagnostics.push(
        error(
          'enum-too-long',
          `${label} lists ${rule.enum.length} enum values; AppConfig allows at most ${MAX_ENUM_VALUES}: use a pattern instead`,
          appPosition(app, `${path}.enum`),
        ),
      );
    }
    rule.enum.forEach((item, index) => {
      if (typeof item === 'number' && !Number.isSafeInteger(item)) {
        diagnostics.push(
          error(
            'non-integer-enum',
            `${label} enum value ${item} is not an integer; AppConfig enums hold strings or integers: quote it`,
            appPosition(app, `${path}.enum.${index}`),
          ),
        );
      }
    });
    out['enum'] = [...rule.enum];
  }
  return out;
}

function rejectConstraints(
  rule: Bounds & StringRule,
  keys: ReadonlyArray<keyof (Bounds & StringRule)>,
  type: string,
  label: string,
  app: Application,
  path: string,
  diagnostics: Diagnostic[],
): void {
  for (const key of keys) {
    if (rule[key] === undefined) continue;
    diagnostics.push(
      error(
        'unsupported-constraint',
        `${label} is a ${type} with "${key}", which AppConfig does not support on ${type}s: remove it${type === 'number' && key === 'enum' ? ' (a policy ladder in app.yaml can restrict the allowed numbers)' : ''}`,
        appPosition(app, `${path}.${key}`),
      ),
    );
  }
}

function compileValue(
  app: Application,
  target: Target,
  flagName: string,
  enabled: boolean,
  attributeValues: Record<string, unknown>,
  diagnostics: Diagnostic[],
): JsonObject {
  const definition = app.flags[flagName]!;
  // Attribute values of disabled flags are stored too: AppConfig keeps them, and re-enabling a flag
  // must bring back the same settings.
  const value: JsonObject = { enabled };
  for (const [attributeName, attributeValue] of Object.entries(attributeValues)) {
    if (attributeName === ROLLOUT_KEY || attributeValue === undefined) continue;
    const path = `${flagName}.${attributeName}`;
    if (!Object.hasOwn(definition.attributes, attributeName)) {
      diagnostics.push(
        error(
          'unknown-attribute',
          `flag "${flagName}" has no attribute "${attributeName}" in ${app.dir}/app.yaml: declare it or remove it`,
          targetPosition(target, path),
        ),
      );
      continue;
    }
    // Its definition's invalid key was reported already; keep it out of the object.
    if (!FEATURE_FLAG_KEY_PATTERN.test(attributeName)) continue;
    for (const text of stringsIn(attributeValue)) {
      if (text.length > MAX_STRING_VALUE_LENGTH) {
        diagnostics.push(
          error(
            'value-too-long',
            `"${path}" has a ${text.length}-character string; AppConfig allows at most ${MAX_STRING_VALUE_LENGTH} per value: move long text to a freeform profile`,
            targetPosition(target, path),
          ),
        );
      }
    }
    value[attributeName] = attributeValue as Json;
  }
  return value;
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

function checkKey(
  key: string,
  kind: 'flag' | 'attribute',
  position: Diagnostic['position'],
  out: Diagnostic[],
): boolean {
  if (FEATURE_FLAG_KEY_PATTERN.test(key)) return true;
  out.push(
    error(
      'invalid-key',
      `${kind} key "${key}" does not match AppConfig's ${FEATURE_FLAG_KEY_PATTERN.source}: start with a lower-case letter, then up to 63 letters, digits, "_" or "-"`,
      position,
    ),
  );
  return false;
}

function checkDescription(text: string, label: string, app: Application, path: string, out: Diagnostic[]) {
  if (text.length <= MAX_DESCRIPTION_LENGTH) return;
  out.push(
    error(
      'description-too-long',
      `${label} has a ${text.length}-character description; AppConfig allows at most ${MAX_DESCRIPTION_LENGTH}: shorten it`,
      appPosition(app, path),
    ),
  );
}
