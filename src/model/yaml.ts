/**
 * Reading one YAML file into plain data while remembering where every node sits, so later checks
 * can point at the exact line. Hostile input (alias bombs, deep nesting, prototype keys, NaN) is
 * reported as diagnostics, never thrown.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLError } from 'yaml';
import { diagnostic, fileStart } from './diagnostics.ts';
import { decodeSource, excerpt } from './text.ts';
import type { Diagnostic, SourcePosition } from './types.ts';

/** Alias expansions allowed per file: plenty for real configuration, far too few for a bomb. */
export const MAX_ALIAS_EXPANSIONS = 100;
/** Nesting deeper than this is not configuration; stopping early keeps recursion bounded. */
export const MAX_DEPTH = 64;

/** YAML errors reported per file before the rest are summarised. */
const MAX_YAML_ERRORS = 10;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Dotted path of a child node, `''` being the document: `environments.production.approvals`. */
export function childPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`;
}

/** Positions of every node of one file by dotted path: the key of a mapping entry and its value. */
export class NodeIndex {
  private readonly keys = new Map<string, SourcePosition>();
  private readonly values = new Map<string, SourcePosition>();
  constructor(readonly file: string) {}

  setKey(path: string, position: SourcePosition): void {
    this.keys.set(path, position);
  }

  setValue(path: string, position: SourcePosition): void {
    this.values.set(path, position);
  }

  /** Where the entry's key is written (for unknown or misspelt names). */
  key(path: string): SourcePosition {
    return this.keys.get(path) ?? this.value(path);
  }

  /** Where the value is written (for wrong values); falls back to the nearest ancestor. */
  value(path: string): SourcePosition {
    let p = path;
    for (;;) {
      const found = this.values.get(p) ?? this.keys.get(p);
      if (found) return found;
      if (p === '') return fileStart(this.file);
      const dot = p.lastIndexOf('.');
      p = dot < 0 ? '' : p.slice(0, dot);
    }
  }

  /**
   * One position per path for `locations`: the key for collections (their value often starts on
   * the next line) and the value for scalars.
   */
  locations(isScalarPath: (path: string) => boolean): Record<string, SourcePosition> {
    const out: Record<string, SourcePosition> = {};
    for (const [path, position] of this.values) {
      out[path] = isScalarPath(path) ? position : (this.keys.get(path) ?? position);
    }
    return out;
  }
}

export interface ParsedYaml {
  file: string;
  /** The data; undefined when the file could not be read as YAML at all. */
  value: unknown;
  index: NodeIndex;
  diagnostics: Diagnostic[];
  /** Paths whose node is a scalar, for choosing positions. */
  scalarPaths: Set<string>;
}

/** Parses one file's bytes. Never throws. */
export function parseYamlFile(file: string, bytes: Uint8Array): ParsedYaml {
  const index = new NodeIndex(file);
  const result: ParsedYaml = { file, value: undefined, index, diagnostics: [], scalarPaths: new Set() };
  const decoded = decodeSource(file, bytes);
  if (!decoded.ok) {
    result.diagnostics.push(decoded.diagnostic);
    return result;
  }
  try {
    parseText(decoded.text, result);
  } catch (error) {
    // The parser recursing too deep is the one failure it can throw; report it, do not crash.
    result.value = undefined;
    result.diagnostics.push(
      diagnostic('yaml-syntax', fileStart(file), `could not parse the file as YAML (${describe(error)}).`),
    );
  }
  return result;
}

function parseText(text: string, result: ParsedYaml): void {
  const { file } = result;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  let fatal = false;
  for (const error of doc.errors.slice(0, MAX_YAML_ERRORS)) {
    const d = yamlErrorDiagnostic(error, at(error.pos[0]));
    if (d.code !== 'yaml-duplicate-key') fatal = true;
    result.diagnostics.push(d);
  }
  if (doc.errors.length > MAX_YAML_ERRORS) {
    // One broken bracket can cascade into hundreds of follow-on errors; the first few locate it.
    const more = doc.errors.length - MAX_YAML_ERRORS;
    result.diagnostics.push(
      diagnostic(
        'yaml-syntax',
        fileStart(file),
        `${more} more YAML errors in this file; fix the ones above first.`,
      ),
    );
  }
  if (fatal) return;

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    result.diagnostics.push(
      diagnostic(
        'empty-file',
        fileStart(file),
        'file is empty (or holds only comments); it must be a mapping of `key: value` lines.',
      ),
    );
    return;
  }
  if (!isMap(root)) {
    const found = isSeq(root)
      ? 'a list'
      : isAlias(root)
        ? 'an alias'
        : `the single value \`${excerpt(String(root.toJSON()))}\``;
    result.diagnostics.push(
      diagnostic(
        'not-a-mapping',
        at(root.range?.[0] ?? 0),
        `the top level must be a mapping of \`key: value\` lines, but the file holds ${found}.`,
      ),
    );
    return;
  }
  const converter = new Converter(doc, at, result);
  result.index.setValue('', at(root.range?.[0] ?? 0));
  const value = converter.convert(root, '', 0, undefined);
  result.value = converter.aborted ? undefined : value;
}

function yamlErrorDiagnostic(error: YAMLError, position: SourcePosition): Diagnostic {
  const firstLine = error.message.split('\n')[0] ?? error.message;
  switch (error.code) {
    case 'DUPLICATE_KEY':
      return diagnostic(
        'yaml-duplicate-key',
        position,
        'duplicate key: a key may appear only once in a mapping; remove or merge the repeated entry.',
      );
    case 'TAB_AS_INDENT':
      return diagnostic(
        'yaml-tab',
        position,
        'tab character used for indentation; YAML indents with spaces only: replace the tab with spaces.',
      );
    case 'MULTIPLE_DOCS':
      return diagnostic(
        'yaml-syntax',
        position,
        'the file holds more than one YAML document (a `---` line); keep a single document.',
      );
    default:
      return diagnostic('yaml-syntax', position, `YAML syntax error: ${firstLine}`);
  }
}

type Doc = ReturnType<typeof parseDocument>;

/** Walks the YAML node tree into plain objects, recording positions and reporting hostile shapes. */
class Converter {
  private aliasExpansions = 0;
  aborted = false;
  private readonly resolving = new Set<Node>();

  constructor(
    private readonly doc: Doc,
    private readonly at: (offset: number) => SourcePosition,
    private readonly result: ParsedYaml,
  ) {}

  /** `override` is the alias's position: everything reached through an alias is reported there. */
  convert(node: unknown, key: string, depth: number, override: SourcePosition | undefined): unknown {
    if (this.aborted) return undefined;
    const here = override ?? this.positionOf(node);
    if (depth > MAX_DEPTH) {
      return this.abort('yaml-syntax', here, `nesting is deeper than ${MAX_DEPTH} levels; flatten the data.`);
    }
    if (isAlias(node)) return this.expandAlias(node, key, depth, here);
    this.result.index.setValue(key, here);
    if (isScalar(node)) {
      this.result.scalarPaths.add(key);
      return this.scalar(node.value, here);
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => this.convert(item, childPath(key, i), depth + 1, override));
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const name = this.keyName(pair.key, override);
        if (name === undefined) continue;
        const path = childPath(key, name);
        this.result.index.setKey(path, override ?? this.positionOf(pair.key));
        out[name] = this.convert(pair.value, path, depth + 1, override);
      }
      return out;
    }
    // An entry without a value (`key:`) is null, as YAML says.
    this.result.scalarPaths.add(key);
    return null;
  }

  private expandAlias(
    node: Parameters<typeof isAlias>[0],
    path: string,
    depth: number,
    here: SourcePosition,
  ) {
    if (!isAlias(node)) return undefined;
    this.aliasExpansions++;
    if (this.aliasExpansions > MAX_ALIAS_EXPANSIONS) {
      return this.abort(
        'yaml-alias-limit',
        here,
        `more than ${MAX_ALIAS_EXPANSIONS} alias expansions (*name); the file expands too much. Write the values out instead of nesting aliases.`,
      );
    }
    const target = node.resolve(this.doc);
    if (!target || this.resolving.has(target)) {
      return this.abort('yaml-syntax', here, `alias *${node.source} refers to no anchor or to itself.`);
    }
    this.resolving.add(target);
    const value = this.convert(target, path, depth + 1, here);
    this.resolving.delete(target);
    return value;
  }

  private scalar(value: unknown, here: SourcePosition): unknown {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      this.result.diagnostics.push(
        diagnostic(
          'non-finite-number',
          here,
          `${Number.isNaN(value) ? '.nan' : '.inf'} is not a number AppConfig or JSON can carry; write a finite number.`,
        ),
      );
      return null;
    }
    if (typeof value === 'bigint') return Number(value);
    return value;
  }

  private keyName(key: unknown, override: SourcePosition | undefined): string | undefined {
    const here = override ?? this.positionOf(key);
    const raw = isScalar(key) ? key.value : undefined;
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      this.result.diagnostics.push(
        diagnostic('yaml-syntax', here, 'mapping keys must be plain names (a string, number or boolean).'),
      );
      return undefined;
    }
    const name = String(raw);
    if (FORBIDDEN_KEYS.has(name)) {
      this.result.diagnostics.push(
        diagnostic(
          'forbidden-key',
          here,
          `key \`${name}\` is not allowed: it names a JavaScript object internal. Rename or remove it.`,
        ),
      );
      return undefined;
    }
    return name;
  }

  private positionOf(node: unknown): SourcePosition {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return this.at(range?.[0] ?? 0);
  }

  private abort(code: string, here: SourcePosition, message: string): undefined {
    this.aborted = true;
    this.result.diagnostics.push(diagnostic(code, here, message));
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof RangeError) return 'it is nested too deeply';
  return error instanceof Error ? error.message.split('\n')[0] || 'unknown error' : 'unknown error';
}
