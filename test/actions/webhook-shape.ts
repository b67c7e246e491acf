/**
 * The key shape GitHub's own example payloads (`@octokit/webhooks-examples`) agree on: a key is
 * required where every example has it, and a value that is not null has a JSON type the examples
 * show. Null passes anywhere: the examples are a handful of real deliveries, so a field they all
 * happen to fill (a body, a language, `mergeable` before GitHub computed it) may still be null.
 * `installation` and `enterprise` are left out: GitHub adds them for App deliveries and enterprise
 * accounts, not to what a workflow reads at GITHUB_EVENT_PATH.
 */
import examples from '@octokit/webhooks-examples';

type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export interface Shape {
  types: Set<JsonType>;
  /** Keys every example object has, with their shapes. */
  keys?: Map<string, Shape>;
  /** The shape of array elements, over every element of every example. */
  items?: Shape;
}

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as JsonType;
}

export function shapeOf(values: unknown[]): Shape {
  const shape: Shape = { types: new Set(values.map(typeOf)) };
  const objects = values.filter((v): v is Record<string, unknown> => typeOf(v) === 'object');
  if (objects.length > 0) {
    shape.keys = new Map();
    const common = Object.keys(objects[0]!).filter((k) => objects.every((o) => k in o));
    for (const k of common) shape.keys.set(k, shapeOf(objects.map((o) => o[k])));
  }
  const items = values.filter(Array.isArray).flat();
  if (items.length > 0) shape.items = shapeOf(items);
  return shape;
}

/** The examples of one event (and activity type, when given), as one shape. */
export function exampleShape(event: string, action?: string): Shape {
  const entry = (
    examples as unknown as Array<{ name: string; examples: Array<Record<string, unknown>> }>
  ).find((e) => e.name === event);
  if (!entry) throw new Error(`@octokit/webhooks-examples has no ${event} examples`);
  const chosen = entry.examples.filter((e) => action === undefined || e['action'] === action);
  if (chosen.length === 0) throw new Error(`@octokit/webhooks-examples has no ${event}.${action} example`);
  return shapeOf(chosen);
}

const DELIVERY_ONLY = ['installation', 'enterprise'];

export function shapeMismatches(shape: Shape, value: unknown, path = '$'): string[] {
  const type = typeOf(value);
  if (type === 'null') return [];
  const onlyNull = shape.types.size === 1 && shape.types.has('null');
  if (!onlyNull && !shape.types.has(type))
    return [`${path}: ${type}, GitHub's examples have ${[...shape.types].join(' or ')}`];
  const out: string[] = [];
  if (type === 'object' && shape.keys) {
    const object = value as Record<string, unknown>;
    for (const [k, sub] of shape.keys) {
      if (path === '$' && DELIVERY_ONLY.includes(k)) continue;
      if (!(k in object)) out.push(`${path}.${k}: missing`);
      else out.push(...shapeMismatches(sub, object[k], `${path}.${k}`));
    }
  }
  if (type === 'array' && shape.items)
    for (const [i, item] of (value as unknown[]).entries())
      out.push(...shapeMismatches(shape.items, item, `${path}[${i}]`));
  return out;
}
