/**
 * Surgical YAML edits: change the text of one value (or add one key) and leave every other byte of
 * the file alone, so a pull request's diff is exactly the changed line. The `yaml` library's
 * re-serialisation would reflow flow maps, quotes and comments; here it only tells us *where*
 * things are (node ranges), and we splice text.
 */
import { isMap, isScalar, type Pair, parseDocument, stringify, type YAMLMap } from 'yaml';
import { Failure } from '../core/failure.ts';

export class EditError extends Failure {}

export type ScalarValue = string | number | boolean;

/** YAML text of a scalar, quoted only when it must be (`yes` stays a string, for instance). */
export function yamlScalar(value: ScalarValue): string {
  return stringify(value).trimEnd();
}

/** A one-line flow mapping, `{ a: 1, b: x }`: one line in the file, one line in the diff. */
export function flowMap(value: Record<string, ScalarValue>): string {
  const pairs = Object.entries(value).map(([k, v]) => `${yamlScalar(k)}: ${yamlScalar(v)}`);
  return `{ ${pairs.join(', ')} }`;
}

/**
 * Set the value at `path` (map keys from the document root) to `valueText`, raw YAML for one
 * node. An existing key is replaced in place; a missing last key is added to its parent mapping,
 * after the last entry, in the parent's style (block or flow).
 */
export function setIn(source: string, path: readonly string[], valueText: string): string {
  if (path.length === 0) throw new EditError('cannot replace the whole document');
  const doc = parseDocument(source);
  if (doc.errors.length > 0)
    throw new EditError(
      `the file is not valid YAML (${doc.errors[0]?.message ?? 'parse error'}); fix it first`,
    );

  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1]!;
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  if (!isMap(parent)) {
    const where = parentPath.length === 0 ? 'the document' : parentPath.join('.');
    throw new EditError(`${where} is not a mapping, so ${path.join('.')} cannot be set`);
  }
  const pair = findPair(parent, key);
  const edited = pair ? replaceValue(source, pair, valueText) : insertPair(source, parent, key, valueText);
  assertParses(edited, path);
  return edited;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ?? undefined;
}

function replaceValue(source: string, pair: Pair, valueText: string): string {
  const value = rangeOf(pair.value);
  const key = rangeOf(pair.key);
  if (!key) throw new EditError('cannot locate the key in the file');
  // A scalar is replaced where it stands, keeping the spacing and the trailing comment.
  if (value && isScalar(pair.value)) return splice(source, value[0], value[1], valueText);
  // A collection (or an empty value) is replaced from just after the key.
  // Block collections own their trailing line break; keep it so the next key stays on its line.
  let end = value ? value[1] : key[1];
  while (end > key[1] && /\s/.test(source[end - 1] ?? '')) end--;
  return splice(source, key[1], end, `: ${valueText}`);
}

function insertPair(source: string, parent: YAMLMap, key: string, valueText: string): string {
  const entry = `${yamlScalar(key)}: ${valueText}`;
  const last = parent.items[parent.items.length - 1];
  const range = rangeOf(parent);
  if (parent.flow) {
    if (!range) throw new EditError('cannot locate the mapping in the file');
    const lastEnd = last ? rangeOf(last.value ?? last.key)?.[1] : undefined;
    if (lastEnd !== undefined) return splice(source, lastEnd, lastEnd, `, ${entry}`);
    return splice(source, range[0], range[1], `{ ${entry} }`);
  }
  if (!last) {
    // An empty document: the new key is the whole content.
    return source.length === 0 || source.endsWith('\n') ? `${source}${entry}\n` : `${source}\n${entry}\n`;
  }
  const firstKey = rangeOf(parent.items[0]?.key);
  const lastEnd = rangeOf(last.value ?? last.key)?.[1];
  if (!firstKey || lastEnd === undefined) throw new EditError('cannot locate the mapping in the file');
  const indent = firstKey[0] - lineStart(source, firstKey[0]);
  // Insert after the line holding the end of the last entry, keeping its trailing comment.
  const newline = source.indexOf('\n', Math.max(lastEnd - 1, 0));
  const at = newline === -1 ? source.length : newline + 1;
  const prefix = newline === -1 ? '\n' : '';
  return splice(source, at, at, `${prefix}${' '.repeat(indent)}${entry}\n`);
}

function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

function splice(source: string, start: number, end: number, text: string): string {
  return source.slice(0, start) + text + source.slice(end);
}

/** A splice that produced broken YAML is our bug; refuse rather than write it. */
function assertParses(edited: string, path: readonly string[]): void {
  const doc = parseDocument(edited);
  if (doc.errors.length > 0 || !doc.hasIn(path))
    throw new EditError(`editing ${path.join('.')} would break the file; edit it by hand`);
}
