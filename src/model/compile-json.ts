/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers as ECMAScript
 * prints them. This is the serialisation of RFC 8785 (JCS) for the values flagops handles, so equal
 * content always gives equal bytes and therefore an equal sha256 — which is how the pipeline tells
 * "already deployed" from "changed" without a second hosted version (README promise 3).
 */

/** Thrown for values JSON cannot represent faithfully (NaN, Infinity, undefined, functions, bigint…). */
export class NotJsonError extends Error {
  constructor(
    message: string,
    /** Dotted path of the offending value, `''` for the root. */
    readonly path: string,
  ) {
    super(message);
    this.name = 'NotJsonError';
  }
}

export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, '', parts, new Set());
  return parts.join('');
}

function write(value: unknown, path: string, out: string[], ancestors: Set<object>): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      // JSON.stringify would silently turn these into null and change what the flag means.
      if (!Number.isFinite(value)) throw new NotJsonError(`${String(value)} is not a JSON number`, path);
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new NotJsonError(`a ${typeof value} value has no JSON form`, path);
  }
  const object = value as object;
  if (ancestors.has(object)) throw new NotJsonError('the value refers to itself', path);
  ancestors.add(object);
  if (Array.isArray(object)) {
    out.push('[');
    object.forEach((item: unknown, index) => {
      if (index > 0) out.push(',');
      write(item, join(path, String(index)), out, ancestors);
    });
    out.push(']');
  } else {
    out.push('{');
    // Own enumerable keys only; `__proto__` is an ordinary key here and written as data.
    const entries = Object.entries(object).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    entries.forEach(([key, item], index) => {
      if (index > 0) out.push(',');
      out.push(JSON.stringify(key), ':');
      write(item, join(path, key), out, ancestors);
    });
    out.push('}');
  }
  ancestors.delete(object);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
