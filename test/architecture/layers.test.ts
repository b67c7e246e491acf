/**
 * The layers of ARCHITECTURE.md, enforced: every relative import in src/, actions/, packages/sandbox/ and
 * bench/ is read from the source text and checked against what its layer may import, and for import
 * circles (none may exist among src/, actions/ and packages/sandbox/). A new folder
 * under src/ must be given a layer here (and in ARCHITECTURE.md) before it can land.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Layer = 'core' | 'adapter' | 'feature' | 'runtime' | 'cli' | 'actions' | 'demo';

/** Top-level folders of src/ by layer, lowest first (ARCHITECTURE.md, "Layers"). */
const LAYERS: Record<Layer, string[]> = {
  core: ['core', 'escape', 'extension', 'model', 'policy', 'guards', 'judge', 'plan'],
  adapter: ['aws', 'github', 'git'],
  feature: [
    'pipeline',
    'approvals',
    'revert',
    'edit',
    'plan-comment',
    'acceptance',
    'drift',
    'rollout',
    'dashboard',
    'protect',
    'propose',
    'backtest',
    'release',
  ],
  runtime: ['runtime'],
  cli: ['cli'],
  actions: ['actions'],
  // The demo stories live in packages/sandbox/demo/ (layerOf places them); no src/ folder is demo.
  demo: [],
};

/** What each layer may import from src/ (besides itself). */
const MAY_IMPORT: Record<Layer, Layer[]> = {
  core: ['core'],
  adapter: ['core', 'adapter'],
  feature: ['core', 'adapter', 'feature'],
  runtime: ['core', 'adapter', 'feature', 'runtime'],
  cli: ['core', 'adapter', 'feature', 'runtime', 'cli'],
  actions: ['core', 'adapter', 'feature', 'runtime', 'actions'],
  demo: ['core', 'adapter', 'feature', 'runtime', 'demo'],
};

/**
 * Known exceptions, each with its reason; the list may only shrink. The GitHub adapter returns
 * reviews and permissions in the types approval counting defines (pure types, no code).
 */
const EXCEPTIONS = new Set(['src/github/api.ts -> src/approvals/count.ts']);

/**
 * The product's library entry: the one src/ file the emulator package's demo stories import (the
 * other public entry is the CLI, which the stories' workflows run). flagops' CLI loads the emulator
 * package by name only (src/cli/companion.ts), never by path.
 */
const PRODUCT_ENTRY = 'src/index.ts';

function listSources(dir: string): string[] {
  const absolute = join(ROOT, dir);
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mts|mjs)$/.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((path) => !path.includes('/fixtures/'))
    .sort();
}

/** Relative import specifiers of a source file: static, re-exports, side-effect and dynamic imports. */
function importsOf(text: string): string[] {
  // Comment lines may quote imports in prose; drop them (string contents are left alone).
  const code = text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .join('\n');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.push(m[1]!);
  return found.filter((s) => s.startsWith('.'));
}

interface Edge {
  from: string;
  to: string;
}

function edgesOf(dirs: string[]): Edge[] {
  const edges: Edge[] = [];
  for (const dir of dirs) {
    for (const from of listSources(dir)) {
      for (const spec of importsOf(readFileSync(join(ROOT, from), 'utf8'))) {
        edges.push({ from, to: posix.normalize(posix.join(posix.dirname(from), spec)) });
      }
    }
  }
  return edges;
}

function layerOf(path: string): Layer | undefined {
  if (path.startsWith('actions/')) return 'actions';
  if (path.startsWith('packages/sandbox/demo/')) return 'demo';
  const m = /^src\/([^/]+)\//.exec(path);
  if (!m) return undefined;
  return (Object.keys(LAYERS) as Layer[]).find((layer) => LAYERS[layer].includes(m[1]!));
}

/**
 * The import circles among `edges`: each a strongly connected group of two or more files (or one
 * file importing itself), found by Tarjan's algorithm, files sorted within a circle.
 */
function circlesOf(list: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of list) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const to of next.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (next.get(file) ?? []).includes(file)) circles.push(group.sort());
  };
  for (const file of [...next.keys()].sort()) if (!index.has(file)) visit(file);
  return circles;
}

const edges = edgesOf(['src', 'actions', 'packages/sandbox', 'bench', 'testkit']);
const show = (list: Edge[]) => list.map((e) => `${e.from} -> ${e.to}`);

describe('layers (ARCHITECTURE.md)', () => {
  it('reads the imports it judges (static, type-only, re-exports and dynamic)', () => {
    expect(importsOf("import { a } from './a.ts';\nimport type { B } from '../b.ts';")).toEqual([
      './a.ts',
      '../b.ts',
    ]);
    expect(importsOf("export * from './c.ts';\nconst m = await import('../d.ts');")).toEqual([
      './c.ts',
      '../d.ts',
    ]);
    expect(importsOf("// import { x } from './commented.ts';\nimport 'node:fs';")).toEqual([]);
    expect(show(edges)).toContain('src/cli/main.ts -> src/cli/commands/validate.ts');
    expect(edges.length).toBeGreaterThan(300);
  });

  it('gives every folder under src/ a layer', () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const unplaced = folders.filter((f) => layerOf(`src/${f}/x.ts`) === undefined);
    expect(unplaced, 'add these folders to LAYERS here and to ARCHITECTURE.md').toEqual([]);
  });

  it('imports only downwards: core knows no adapter, adapters no feature, nothing below knows an entry point', () => {
    const wrong = edges.filter((e) => {
      const from = layerOf(e.from);
      const to = layerOf(e.to);
      return from !== undefined && to !== undefined && from !== to && !MAY_IMPORT[from].includes(to);
    });
    expect(show(wrong).filter((edge) => !EXCEPTIONS.has(edge))).toEqual([]);
    // An exception that no longer occurs is removed from the list, so it cannot hide a new one.
    expect([...EXCEPTIONS].filter((edge) => !show(wrong).includes(edge))).toEqual([]);
  });

  it('has no import circle in the product, its actions or the emulator package: shared pieces live below', () => {
    // The finder itself: a three-file circle and a self-import are found, a chain is not.
    const e = (from: string, to: string) => ({ from, to });
    expect(circlesOf([e('a', 'b'), e('b', 'c'), e('c', 'a'), e('c', 'd'), e('s', 's')])).toEqual([
      ['a', 'b', 'c'],
      ['s'],
    ]);
    expect(circlesOf([e('a', 'b'), e('b', 'c'), e('a', 'c')])).toEqual([]);
    // Type-only and dynamic imports count: a circle is broken by moving the shared piece down.
    const inside = (path: string) => /^(src|actions|packages\/sandbox)\//.test(path);
    const circles = circlesOf(edges.filter((edge) => inside(edge.from) && inside(edge.to)));
    expect(circles.map((files) => files.join(', '))).toEqual([]);
  });

  it('keeps cli/ to itself: no other module imports it', () => {
    const wrong = edges.filter((e) => e.to.startsWith('src/cli/') && !e.from.startsWith('src/cli/'));
    expect(show(wrong)).toEqual([]);
  });

  it('keeps the product apart from tests, benchmarks and the emulator package', () => {
    const product = edges.filter((e) => e.from.startsWith('src/') || e.from.startsWith('actions/'));
    expect(show(product.filter((e) => /^(test|bench|testkit)\//.test(e.to)))).toEqual([]);
    expect(show(product.filter((e) => e.to.startsWith('packages/')))).toEqual([]);
  });

  it('keeps the emulator standalone: packages/sandbox/src imports nothing of the product', () => {
    const wrong = edges.filter(
      (e) => e.from.startsWith('packages/sandbox/src/') && /^(src|actions|test|bench|testkit)\//.test(e.to),
    );
    expect(show(wrong)).toEqual([]);
  });

  it('lets the demo stories reach the product only through its library entry, src/index.ts', () => {
    const demo = edges.filter((e) => e.from.startsWith('packages/sandbox/demo/'));
    expect(show(demo).length).toBeGreaterThan(10);
    const wrong = demo.filter(
      (e) => /^(src|actions|test|bench|testkit)\//.test(e.to) && e.to !== PRODUCT_ENTRY,
    );
    expect(show(wrong)).toEqual([]);
    // Nothing inside the product imports its own public entry.
    expect(show(edges.filter((e) => e.to === PRODUCT_ENTRY && e.from.startsWith('src/')))).toEqual([]);
  });

  it('keeps benchmarks and testkit/ off test/ (helpers both use live in testkit/)', () => {
    expect(show(edges.filter((e) => /^(bench|testkit)\//.test(e.from) && e.to.startsWith('test/')))).toEqual(
      [],
    );
  });
});
