/**
 * `AWS.AppConfig.FeatureFlags` documents, checked the way AppConfig checks them on
 * CreateHostedConfigurationVersion: the published schema's shape (version "1", key patterns, at most
 * 25 attributes, the four constraint types) and then every value against its flag's constraints.
 * Each problem becomes one `InvalidConfiguration` detail so a user sees all of them at once.
 */
import type { InvalidConfigurationDetail } from './errors.ts';

export const KEY_PATTERN = /^[a-z][a-zA-Z\d_-]{0,63}$/;
const MAX_ATTRIBUTES = 25;
const MAX_STRING_VALUE = 1024;
const FLAG_MEMBERS = new Set([
  'name',
  'description',
  'attributes',
  '_createdAt',
  '_updatedAt',
  '_deprecation',
]);
const CONSTRAINT_MEMBERS: Record<string, Set<string>> = {
  string: new Set(['type', 'required', 'pattern', 'enum']),
  number: new Set(['type', 'required', 'minimum', 'maximum']),
  boolean: new Set(['type', 'required']),
  array: new Set(['type', 'required', 'elements']),
};

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(v: Json): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Problems {
  readonly list: InvalidConfigurationDetail[] = [];
  add(location: string, constraint: string, reason: string, value: Json, type = 'schema'): void {
    this.list.push({
      Constraint: constraint,
      Location: location,
      Reason: reason,
      Type: type,
      Value: typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined'),
    });
  }
}

/** Returns every problem found; an empty list means the document is valid. */
export function checkFeatureFlags(doc: Json): InvalidConfigurationDetail[] {
  const p = new Problems();
  if (!isObject(doc)) {
    p.add('$', 'type', 'a feature flag document must be a JSON object', doc);
    return p.list;
  }
  for (const key of Object.keys(doc))
    if (!['version', 'flags', 'values'].includes(key))
      p.add(
        `$.${key}`,
        'additionalProperties',
        'only version, flags and values are allowed at the top level',
        key,
      );
  if (doc['version'] !== '1') p.add('$.version', 'const', 'version must be the string "1"', doc['version']);

  const flags = doc['flags'] ?? {};
  const values = doc['values'] ?? {};
  if (!isObject(flags)) p.add('$.flags', 'type', 'flags must be an object', flags);
  if (!isObject(values)) p.add('$.values', 'type', 'values must be an object', values);
  if (!isObject(flags) || !isObject(values)) return p.list;

  for (const [key, def] of Object.entries(flags)) checkFlagDefinition(p, key, def);
  for (const [key, value] of Object.entries(values)) {
    const def = flags[key];
    if (def === undefined) {
      p.add(`$.values.${key}`, 'definition', `flag ${key} has a value but no definition in flags`, key);
      continue;
    }
    if (isObject(def)) checkFlagValue(p, key, def, value);
  }
  return p.list;
}

function checkFlagDefinition(p: Problems, key: string, def: Json): void {
  const at = `$.flags.${key}`;
  if (!KEY_PATTERN.test(key)) p.add(at, 'pattern', `flag key must match ${KEY_PATTERN.source}`, key);
  if (!isObject(def)) {
    p.add(at, 'type', 'a flag definition must be an object', def);
    return;
  }
  for (const member of Object.keys(def))
    if (!FLAG_MEMBERS.has(member)) p.add(`${at}.${member}`, 'additionalProperties', 'unknown member', member);
  const name = def['name'];
  if (name !== undefined && (typeof name !== 'string' || !/^[^\n]{1,64}$/.test(name)))
    p.add(`${at}.name`, 'pattern', 'name must be 1–64 characters on one line', name);
  const description = def['description'];
  if (description !== undefined && (typeof description !== 'string' || description.length > 1024))
    p.add(
      `${at}.description`,
      'maxLength',
      'description must be a string of at most 1024 characters',
      description,
    );
  const attributes = def['attributes'];
  if (attributes === undefined) return;
  if (!isObject(attributes)) {
    p.add(`${at}.attributes`, 'type', 'attributes must be an object', attributes);
    return;
  }
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES)
    p.add(
      `${at}.attributes`,
      'maxProperties',
      `a flag may have at most ${MAX_ATTRIBUTES} attributes`,
      names.length,
    );
  for (const [attr, spec] of Object.entries(attributes)) {
    const attrAt = `${at}.attributes.${attr}`;
    if (!KEY_PATTERN.test(attr))
      p.add(attrAt, 'pattern', `attribute key must match ${KEY_PATTERN.source}`, attr);
    if (!isObject(spec)) {
      p.add(attrAt, 'type', 'an attribute definition must be an object', spec);
      continue;
    }
    const constraints = spec['constraints'];
    if (constraints !== undefined) checkConstraints(p, `${attrAt}.constraints`, constraints, true);
  }
}

function checkConstraints(p: Problems, at: string, c: Json, allowArray: boolean): void {
  if (!isObject(c)) {
    p.add(at, 'type', 'constraints must be an object', c);
    return;
  }
  const type = c['type'];
  const allowed = typeof type === 'string' ? CONSTRAINT_MEMBERS[type] : undefined;
  if (!allowed || (type === 'array' && !allowArray)) {
    const kinds = allowArray ? 'string, number, boolean or array' : 'string or number';
    p.add(`${at}.type`, 'enum', `constraint type must be ${kinds}`, type);
    return;
  }
  for (const member of Object.keys(c))
    if (!allowed.has(member))
      p.add(`${at}.${member}`, 'additionalProperties', `${member} is not allowed for type ${type}`, member);
  if (c['required'] !== undefined && typeof c['required'] !== 'boolean')
    p.add(`${at}.required`, 'type', 'required must be a boolean', c['required']);
  if (type === 'number') {
    for (const bound of ['minimum', 'maximum'])
      if (c[bound] !== undefined && !Number.isInteger(c[bound]))
        p.add(`${at}.${bound}`, 'type', `${bound} must be an integer`, c[bound]);
  }
  if (type === 'string') {
    if (c['pattern'] !== undefined && c['enum'] !== undefined)
      p.add(at, 'oneOf', 'a string constraint may have pattern or enum, not both', c);
    const pattern = c['pattern'];
    if (pattern !== undefined && (typeof pattern !== 'string' || !compiles(pattern)))
      p.add(`${at}.pattern`, 'format', 'pattern must be a valid regular expression', pattern);
    const en = c['enum'];
    if (en !== undefined && (!Array.isArray(en) || en.length === 0 || en.length > 100))
      p.add(`${at}.enum`, 'type', 'enum must be a list of 1–100 strings or integers', en);
  }
  if (type === 'array') {
    if (c['elements'] === undefined)
      p.add(
        `${at}.elements`,
        'required',
        'an array constraint needs elements (string or number constraints)',
        c,
      );
    else checkConstraints(p, `${at}.elements`, c['elements'], false);
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function checkFlagValue(p: Problems, key: string, def: JsonObject, value: Json): void {
  const at = `$.values.${key}`;
  if (!isObject(value)) {
    p.add(at, 'type', 'a flag value must be an object', value);
    return;
  }
  if (typeof value['enabled'] !== 'boolean')
    p.add(`${at}.enabled`, 'required', 'enabled must be true or false', value['enabled']);
  const attributes = isObject(def['attributes']) ? def['attributes'] : {};
  for (const [attr, given] of Object.entries(value)) {
    if (attr === 'enabled' || attr.startsWith('_')) continue;
    const spec = attributes[attr];
    if (!isObject(spec)) {
      p.add(`${at}.${attr}`, 'definition', `attribute ${attr} is not defined for flag ${key}`, attr);
      continue;
    }
    const c = spec['constraints'];
    if (isObject(c)) checkValue(p, `${at}.${attr}`, c, given);
    else checkUnconstrained(p, `${at}.${attr}`, given);
  }
  for (const [attr, spec] of Object.entries(attributes)) {
    if (!isObject(spec) || !isObject(spec['constraints'])) continue;
    if (spec['constraints']['required'] === true && value[attr] === undefined)
      p.add(
        `${at}.${attr}`,
        'required',
        `attribute ${attr} is required for flag ${key}`,
        'undefined',
        'constraint',
      );
  }
}

function checkUnconstrained(p: Problems, at: string, given: Json): void {
  const scalar = (v: Json) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  const ok =
    scalar(given) ||
    (Array.isArray(given) &&
      (given.every((v) => typeof v === 'string') || given.every((v) => typeof v === 'number')));
  if (!ok)
    p.add(at, 'type', 'an attribute value must be a string, number, boolean or list of one of them', given);
  else if (typeof given === 'string' && given.length > MAX_STRING_VALUE)
    p.add(at, 'maxLength', `string values are limited to ${MAX_STRING_VALUE} characters`, given);
}

function checkValue(p: Problems, at: string, c: JsonObject, given: Json): void {
  const fail = (constraint: string, reason: string) => p.add(at, constraint, reason, given, 'constraint');
  switch (c['type']) {
    case 'boolean':
      if (typeof given !== 'boolean') fail('type: boolean', 'must be true or false');
      return;
    case 'number':
      if (typeof given !== 'number' || !Number.isFinite(given)) {
        fail('type: number', 'must be a number');
        return;
      }
      if (typeof c['minimum'] === 'number' && given < c['minimum'])
        fail(`minimum: ${c['minimum']}`, `must be at least ${c['minimum']}`);
      if (typeof c['maximum'] === 'number' && given > c['maximum'])
        fail(`maximum: ${c['maximum']}`, `must be at most ${c['maximum']}`);
      return;
    case 'string':
      if (typeof given !== 'string') {
        fail('type: string', 'must be a string');
        return;
      }
      if (given.length > MAX_STRING_VALUE) fail('maxLength: 1024', 'must be at most 1024 characters');
      if (typeof c['pattern'] === 'string' && compiles(c['pattern']) && !new RegExp(c['pattern']).test(given))
        fail(`pattern: ${c['pattern']}`, `must match ${c['pattern']}`);
      if (Array.isArray(c['enum']) && !c['enum'].some((e) => String(e) === given))
        fail(`enum: ${JSON.stringify(c['enum'])}`, `must be one of ${c['enum'].join(', ')}`);
      return;
    case 'array': {
      if (!Array.isArray(given)) {
        fail('type: array', 'must be a list');
        return;
      }
      const elements = c['elements'];
      if (!isObject(elements)) return;
      given.forEach((item, i) => {
        checkValue(p, `${at}[${i}]`, elements, item);
      });
      return;
    }
  }
}

/**
 * Stamp `_createdAt`/`_updatedAt` on every flag definition and value as AppConfig does. An entry
 * unchanged since the previous version keeps its timestamps, so re-uploading the same document does
 * not look like a change.
 */
export function stampMetadata(doc: JsonObject, previous: JsonObject | undefined, nowIso: string): JsonObject {
  const out: JsonObject = { ...doc };
  for (const section of ['flags', 'values'] as const) {
    const entries = doc[section];
    if (!isObject(entries)) continue;
    const before = previous && isObject(previous[section]) ? previous[section] : {};
    const stamped: JsonObject = {};
    for (const [key, entry] of Object.entries(entries)) {
      if (!isObject(entry)) {
        stamped[key] = entry;
        continue;
      }
      const old = before[key];
      const unchanged = isObject(old) && sameIgnoringMetadata(old, entry);
      stamped[key] = {
        ...entry,
        _createdAt: entry['_createdAt'] ?? (isObject(old) ? old['_createdAt'] : undefined) ?? nowIso,
        _updatedAt: entry['_updatedAt'] ?? (unchanged ? old['_updatedAt'] : undefined) ?? nowIso,
      };
    }
    out[section] = stamped;
  }
  return out;
}

function withoutMetadata(entry: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(entry).filter(([k]) => k !== '_createdAt' && k !== '_updatedAt'));
}

function sameIgnoringMetadata(a: JsonObject, b: JsonObject): boolean {
  return canonical(withoutMetadata(a)) === canonical(withoutMetadata(b));
}

function canonical(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * What AppConfigData serves for a feature-flag profile: `{flag: {enabled, ...attributes}}`, with
 * attributes only for enabled flags and no metadata. Flags without a value are disabled.
 */
export function simplifyFeatureFlags(doc: Json): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  if (!isObject(doc) || !isObject(doc['flags'])) return out;
  const values = isObject(doc['values']) ? doc['values'] : {};
  for (const key of Object.keys(doc['flags'])) {
    const value = values[key];
    const enabled = isObject(value) && value['enabled'] === true;
    const entry: JsonObject = { enabled };
    if (enabled && isObject(value))
      for (const [attr, v] of Object.entries(value))
        if (attr !== 'enabled' && !attr.startsWith('_')) entry[attr] = v;
    out[key] = entry;
  }
  return out;
}
