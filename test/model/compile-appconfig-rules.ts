/**
 * AppConfig's documented rules for `AWS.AppConfig.FeatureFlags` documents (the AWS AppConfig User Guide,
 * "Type reference for AWS.AppConfig.FeatureFlags"), written
 * straight from the documentation and independent of the compiler, so a compiler bug cannot hide
 * behind a checker that shares its code. Returns every violation as a readable string.
 */
const KEY = /^[a-z][a-zA-Z\d_-]{0,63}$/;
const FLAG_NAME = /^[^\n]{1,64}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);

export function appConfigFeatureFlagViolations(document: unknown): string[] {
  const problems: string[] = [];
  const onlyKeys = (where: string, value: Obj, allowed: string[]) => {
    for (const key of Object.keys(value))
      if (!allowed.includes(key)) problems.push(`${where}: unexpected key "${key}"`);
  };
  if (!isObj(document)) return ['document is not an object'];
  onlyKeys('document', document, ['version', 'flags', 'values']);
  if (document['version'] !== '1') problems.push('version must be the string "1"');

  const flags = document['flags'] ?? {};
  const values = document['values'] ?? {};
  if (!isObj(flags)) return [...problems, 'flags is not an object'];
  if (!isObj(values)) return [...problems, 'values is not an object'];

  const constraintsOf: Record<string, Record<string, Obj>> = {};
  for (const [flagKey, flag] of Object.entries(flags)) {
    const at = `flags.${flagKey}`;
    if (!KEY.test(flagKey)) problems.push(`${at}: key does not match ${KEY}`);
    if (!isObj(flag)) {
      problems.push(`${at}: not an object`);
      continue;
    }
    onlyKeys(at, flag, ['name', 'description', 'attributes', '_deprecation', '_createdAt', '_updatedAt']);
    if (typeof flag['name'] !== 'string' || !FLAG_NAME.test(flag['name']))
      problems.push(`${at}.name invalid`);
    if (
      flag['description'] !== undefined &&
      !(typeof flag['description'] === 'string' && flag['description'].length <= 1024)
    )
      problems.push(`${at}.description invalid`);
    const attributes = flag['attributes'] ?? {};
    if (!isObj(attributes)) {
      problems.push(`${at}.attributes: not an object`);
      continue;
    }
    if (Object.keys(attributes).length > 25) problems.push(`${at}.attributes: more than 25`);
    constraintsOf[flagKey] = {};
    for (const [attrKey, attr] of Object.entries(attributes)) {
      const aat = `${at}.attributes.${attrKey}`;
      if (!KEY.test(attrKey)) problems.push(`${aat}: key does not match ${KEY}`);
      if (!isObj(attr)) {
        problems.push(`${aat}: not an object`);
        continue;
      }
      onlyKeys(aat, attr, ['description', 'constraints']);
      const c = attr['constraints'];
      if (!isObj(c)) {
        problems.push(`${aat}.constraints missing`);
        continue;
      }
      checkConstraints(`${aat}.constraints`, c, true, problems);
      constraintsOf[flagKey][attrKey] = c;
    }
  }

  for (const [flagKey, value] of Object.entries(values)) {
    const at = `values.${flagKey}`;
    if (!KEY.test(flagKey)) problems.push(`${at}: key does not match ${KEY}`);
    if (!(flagKey in flags)) problems.push(`${at}: no such flag`);
    if (!isObj(value)) {
      problems.push(`${at}: not an object`);
      continue;
    }
    if (typeof value['enabled'] !== 'boolean') problems.push(`${at}.enabled must be a boolean`);
    const declared = constraintsOf[flagKey] ?? {};
    for (const [attrKey, c] of Object.entries(declared)) {
      if (c['required'] === true && !(attrKey in value))
        problems.push(`${at}.${attrKey}: required but missing`);
    }
    for (const [key, v] of Object.entries(value)) {
      if (key === 'enabled' || key === '_variants' || key === '_createdAt' || key === '_updatedAt') continue;
      const c = declared[key];
      if (!c) {
        problems.push(`${at}.${key}: attribute not declared`);
        continue;
      }
      checkValue(`${at}.${key}`, v, c, problems);
    }
  }
  return problems;
}

function checkConstraints(at: string, c: Obj, topLevel: boolean, problems: string[]): void {
  const allowedExtra = topLevel ? ['required'] : [];
  const only = (keys: string[]) => {
    for (const key of Object.keys(c))
      if (![...keys, ...allowedExtra, 'type'].includes(key)) problems.push(`${at}: unexpected "${key}"`);
  };
  if (c['required'] !== undefined && typeof c['required'] !== 'boolean')
    problems.push(`${at}.required not boolean`);
  switch (c['type']) {
    case 'string':
      only(['pattern', 'enum']);
      if (c['pattern'] !== undefined && c['enum'] !== undefined)
        problems.push(`${at}: pattern and enum both set`);
      if (c['pattern'] !== undefined && !(typeof c['pattern'] === 'string' && c['pattern'].length <= 1024))
        problems.push(`${at}.pattern invalid`);
      if (c['enum'] !== undefined) {
        const e = c['enum'];
        if (!Array.isArray(e) || e.length > 100 || !e.every((x) => typeof x === 'string' || isInt(x)))
          problems.push(`${at}.enum invalid`);
      }
      return;
    case 'number':
      only(['minimum', 'maximum']);
      for (const b of ['minimum', 'maximum'])
        if (c[b] !== undefined && !isInt(c[b])) problems.push(`${at}.${b} not an integer`);
      return;
    case 'boolean':
      if (!topLevel) problems.push(`${at}: boolean elements are not allowed`);
      only([]);
      return;
    case 'array':
      if (!topLevel) problems.push(`${at}: nested arrays are not allowed`);
      only(['elements']);
      if (!isObj(c['elements'])) problems.push(`${at}.elements missing`);
      else if (c['elements']['type'] !== 'string' && c['elements']['type'] !== 'number')
        problems.push(`${at}.elements.type must be string or number`);
      else checkConstraints(`${at}.elements`, c['elements'], false, problems);
      return;
    default:
      problems.push(`${at}.type ${JSON.stringify(c['type'])} is not string, number, boolean or array`);
  }
}

function checkValue(at: string, v: unknown, c: Obj, problems: string[]): void {
  switch (c['type']) {
    case 'string':
      if (typeof v !== 'string' || v.length > 1024) return void problems.push(`${at}: not a string of ≤1024`);
      if (typeof c['pattern'] === 'string' && !new RegExp(c['pattern']).test(v))
        problems.push(`${at}: does not match pattern`);
      if (Array.isArray(c['enum']) && !c['enum'].includes(v)) problems.push(`${at}: not in enum`);
      return;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return void problems.push(`${at}: not a number`);
      if (typeof c['minimum'] === 'number' && v < c['minimum']) problems.push(`${at}: below minimum`);
      if (typeof c['maximum'] === 'number' && v > c['maximum']) problems.push(`${at}: above maximum`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') problems.push(`${at}: not a boolean`);
      return;
    case 'array': {
      if (!Array.isArray(v)) return void problems.push(`${at}: not an array`);
      const elements = c['elements'] as Obj;
      for (const [i, item] of v.entries()) checkValue(`${at}.${i}`, item, elements, problems);
      return;
    }
  }
}
