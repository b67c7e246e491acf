/**
 * Metric math, the subset guards and managed alarms need, with CloudWatch's semantics:
 * numbers, query ids, `+ - * /`, unary minus, parentheses; comparisons `== != < <= > >=` and
 * logical `AND`/`&&`, `OR`/`||`, `NOT`/`!` (each yields 1 or 0 per point); and the functions
 * IF, FILL, SUM, AVG, MAX, MIN and METRICS().
 *
 * Timeseries combine point by point on equal timestamps: a timestamp missing from either operand
 * is dropped, and so is a point whose result is not finite (division by zero). As CloudWatch
 * documents them:
 * - `IF(condition, trueValue[, falseValue])`: per point of the condition, trueValue where it is
 *   non-zero, else falseValue; with no falseValue the point is left out (missing);
 * - `FILL(x, value)`: every period of the query's time range that x has no value for gets `value`
 *   (a number, a series, or `REPEAT` — the last earlier value);
 * - `SUM`, `AVG`, `MAX`, `MIN` of one series: a single number over the whole range; of an array of
 *   series (`METRICS()`): one series, point by point over the series that have a value there;
 * - `METRICS()`: every MetricStat query of the request, `METRICS('text')` those whose label (or id)
 *   contains the text.
 */
import { validationError } from './protocol.ts';

type BinaryOp = '+' | '-' | '*' | '/' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

export type MathNode =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ref'; id: string }
  | { kind: 'keyword'; name: 'REPEAT' }
  | { kind: 'negate'; operand: MathNode }
  | { kind: 'not'; operand: MathNode }
  | { kind: 'binary'; op: BinaryOp; left: MathNode; right: MathNode }
  | { kind: 'call'; name: MathFunction; args: MathNode[] };

export const FUNCTIONS = ['IF', 'FILL', 'SUM', 'AVG', 'MAX', 'MIN', 'METRICS'] as const;
export type MathFunction = (typeof FUNCTIONS)[number];

/** A timeseries: timestamp (epoch ms) → value. */
export type Series = Map<number, number>;
/** An array of timeseries, as METRICS() returns. */
export interface SeriesArray {
  kind: 'array';
  items: Series[];
}
export type MathValue = number | Series | SeriesArray;

/** What functions need beyond the operands: the query's time grid and its metrics. */
export interface MathEnvironment {
  /** Every period start of the query's time range (FILL fills these). */
  grid(): number[];
  /** The MetricStat queries' series whose label or id contains `filter` (all without one). */
  metrics(filter?: string): Series[];
}

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'id'; name: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'punct'; text: string; at: number };

const ARITY: Record<MathFunction, [number, number]> = {
  IF: [2, 3],
  FILL: [2, 2],
  SUM: [1, 1],
  AVG: [1, 1],
  MAX: [1, 1],
  MIN: [1, 1],
  METRICS: [0, 1],
};

export function parseExpression(text: string): MathNode {
  const tokens = tokenize(text);
  let pos = 0;
  const fail = (message: string): never => {
    throw validationError(`Invalid metric math expression "${text}": ${message}.`);
  };
  const peek = (): Token | undefined => tokens[pos];
  const isPunct = (t: Token | undefined, ...p: string[]): boolean =>
    t?.kind === 'punct' && p.includes(t.text);
  const isWord = (t: Token | undefined, word: string): boolean => t?.kind === 'id' && t.name === word;

  // or := and (OR and)* ; and := cmp (AND cmp)* ; cmp := sum (op sum)? ; sum := term (+|- term)* ;
  // term := unary (*|/ unary)* ; unary := - unary | NOT unary | primary
  function or(): MathNode {
    let node = and();
    while (isPunct(peek(), '||') || isWord(peek(), 'OR')) {
      pos++;
      node = { kind: 'binary', op: 'OR', left: node, right: and() };
    }
    return node;
  }
  function and(): MathNode {
    let node = comparison();
    while (isPunct(peek(), '&&') || isWord(peek(), 'AND')) {
      pos++;
      node = { kind: 'binary', op: 'AND', left: node, right: comparison() };
    }
    return node;
  }
  function comparison(): MathNode {
    let node = sum();
    for (let t = peek(); isPunct(t, '==', '!=', '<', '<=', '>', '>='); t = peek()) {
      pos++;
      node = { kind: 'binary', op: (t as { text: BinaryOp }).text, left: node, right: sum() };
    }
    return node;
  }
  function sum(): MathNode {
    let node = term();
    for (let t = peek(); isPunct(t, '+', '-'); t = peek()) {
      pos++;
      node = { kind: 'binary', op: (t as { text: BinaryOp }).text, left: node, right: term() };
    }
    return node;
  }
  function term(): MathNode {
    let node = unary();
    for (let t = peek(); isPunct(t, '*', '/'); t = peek()) {
      pos++;
      node = { kind: 'binary', op: (t as { text: BinaryOp }).text, left: node, right: unary() };
    }
    return node;
  }
  function unary(): MathNode {
    if (isPunct(peek(), '-')) {
      pos++;
      return { kind: 'negate', operand: unary() };
    }
    if (isPunct(peek(), '+')) {
      pos++;
      return unary();
    }
    if (isPunct(peek(), '!') || isWord(peek(), 'NOT')) {
      pos++;
      return { kind: 'not', operand: unary() };
    }
    return primary();
  }
  function primary(): MathNode {
    const t = peek();
    if (!t) return fail('it ends where a value was expected');
    pos++;
    if (t.kind === 'number') return { kind: 'number', value: t.value };
    if (t.kind === 'string') return { kind: 'string', value: t.value };
    if (t.kind === 'id') {
      if (isPunct(peek(), '(')) return call(t.name, t.at);
      if (t.name === 'REPEAT') return { kind: 'keyword', name: 'REPEAT' };
      return { kind: 'ref', id: t.name };
    }
    if (t.text === '(') {
      const inner = or();
      if (!isPunct(peek(), ')')) fail(`missing ")" at position ${peek()?.at ?? text.length}`);
      pos++;
      return inner;
    }
    return fail(`unexpected "${t.text}" at position ${t.at}`);
  }
  function call(name: string, at: number): MathNode {
    if (!(FUNCTIONS as readonly string[]).includes(name))
      fail(`function ${name} is not supported by the sandbox (supported: ${FUNCTIONS.join(', ')})`);
    const fn = name as MathFunction;
    pos++; // "("
    const args: MathNode[] = [];
    if (!isPunct(peek(), ')')) {
      for (;;) {
        args.push(or());
        if (!isPunct(peek(), ',')) break;
        pos++;
      }
    }
    if (!isPunct(peek(), ')')) fail(`missing ")" after the arguments of ${fn} at position ${at}`);
    pos++;
    const [least, most] = ARITY[fn];
    if (args.length < least || args.length > most)
      fail(
        `${fn} takes ${least === most ? least : `${least} to ${most}`} argument${most === 1 ? '' : 's'}, got ${args.length}`,
      );
    return { kind: 'call', name: fn, args };
  }

  if (tokens.length === 0) fail('it is empty');
  const root = or();
  const rest = peek();
  if (rest)
    fail(`unexpected "${rest.kind === 'punct' ? rest.text : text.slice(rest.at)}" at position ${rest.at}`);
  return root;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|'([^']*)'|"([^"]*)"|(==|!=|<=|>=|&&|\|\||[-+*/()<>!,]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) {
      const bad = text.slice(at).trimStart()[0];
      throw validationError(
        `Invalid metric math expression "${text}": unexpected "${bad}" at position ${at}.`,
      );
    }
    const start = at + (m[0].length - m[0].trimStart().length);
    if (m[1] !== undefined) tokens.push({ kind: 'number', value: Number(m[1]), at: start });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', name: m[2], at: start });
    else if (m[3] !== undefined || m[4] !== undefined)
      tokens.push({ kind: 'string', value: (m[3] ?? m[4]) as string, at: start });
    else tokens.push({ kind: 'punct', text: m[5] as string, at: start });
    at = re.lastIndex;
  }
  return tokens;
}

/** The query ids an expression reads, in order of first appearance. */
export function referencedIds(node: MathNode, into: string[] = []): string[] {
  switch (node.kind) {
    case 'ref':
      if (!into.includes(node.id)) into.push(node.id);
      break;
    case 'negate':
    case 'not':
      referencedIds(node.operand, into);
      break;
    case 'binary':
      referencedIds(node.left, into);
      referencedIds(node.right, into);
      break;
    case 'call':
      for (const a of node.args) referencedIds(a, into);
      break;
    default:
      break;
  }
  return into;
}

/** True when the expression reads every metric of the request (METRICS()). */
export function readsAllMetrics(node: MathNode): boolean {
  switch (node.kind) {
    case 'call':
      return node.name === 'METRICS' || node.args.some(readsAllMetrics);
    case 'negate':
    case 'not':
      return readsAllMetrics(node.operand);
    case 'binary':
      return readsAllMetrics(node.left) || readsAllMetrics(node.right);
    default:
      return false;
  }
}

const NO_ENVIRONMENT: MathEnvironment = {
  grid: () => {
    throw validationError('FILL needs a time range; it can only be used in a query.');
  },
  metrics: () => [],
};

export function evaluate(
  node: MathNode,
  resolve: (id: string) => MathValue,
  env: MathEnvironment = NO_ENVIRONMENT,
): MathValue {
  const ev = (n: MathNode): MathValue => evaluate(n, resolve, env);
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'ref':
      return resolve(node.id);
    case 'string':
    case 'keyword':
      throw validationError(
        `${node.kind === 'string' ? `the text '${node.value}'` : node.name} can only be an argument of ${node.kind === 'string' ? 'METRICS()' : 'FILL()'}.`,
      );
    case 'negate':
      return apply('*', -1, ev(node.operand));
    case 'not':
      return map(ev(node.operand), (v) => (v === 0 ? 1 : 0));
    case 'binary':
      return apply(node.op, ev(node.left), ev(node.right));
    case 'call':
      return callFunction(node, ev, env);
  }
}

function callFunction(
  node: Extract<MathNode, { kind: 'call' }>,
  ev: (n: MathNode) => MathValue,
  env: MathEnvironment,
): MathValue {
  const [first, second, third] = node.args;
  switch (node.name) {
    case 'METRICS': {
      if (first !== undefined && first.kind !== 'string')
        throw validationError("METRICS() takes an optional quoted label filter, e.g. METRICS('errors').");
      return { kind: 'array', items: env.metrics(first?.value) };
    }
    case 'IF':
      return ifThen(ev(first as MathNode), ev(second as MathNode), third ? ev(third) : undefined);
    case 'FILL': {
      const target = ev(first as MathNode);
      const filler = (second as MathNode).kind === 'keyword' ? 'REPEAT' : ev(second as MathNode);
      if (filler !== 'REPEAT' && typeof filler !== 'number' && !(filler instanceof Map))
        throw validationError('FILL takes a number, a time series or REPEAT as its second argument.');
      return each(target, (s) => fill(s, env.grid(), filler));
    }
    case 'SUM':
    case 'AVG':
    case 'MAX':
    case 'MIN':
      return aggregate(node.name, ev(first as MathNode));
  }
}

function isArray(v: MathValue): v is SeriesArray {
  return typeof v === 'object' && !(v instanceof Map) && v.kind === 'array';
}

/** Apply `f` to a series, or to each series of an array; numbers pass unchanged. */
function each(v: MathValue, f: (s: Series) => Series): MathValue {
  if (typeof v === 'number') return v;
  if (isArray(v)) return { kind: 'array', items: v.items.map(f) };
  return f(v);
}

function map(v: MathValue, f: (x: number) => number): MathValue {
  if (typeof v === 'number') return f(v);
  return each(v, (s) => {
    const out: Series = new Map();
    for (const [t, x] of s) keepFinite(out, t, f(x));
    return out;
  });
}

function fill(s: Series, grid: number[], filler: number | Series | 'REPEAT'): Series {
  const out: Series = new Map();
  let last: number | undefined;
  for (const t of grid) {
    const v = s.get(t);
    if (v !== undefined) {
      out.set(t, v);
      last = v;
      continue;
    }
    const f = filler === 'REPEAT' ? last : typeof filler === 'number' ? filler : filler.get(t);
    if (f !== undefined) out.set(t, f);
  }
  // Points off the grid (another period) are kept as they are; only then is the order to restore.
  let offGrid = false;
  for (const [t, v] of s)
    if (!out.has(t)) {
      out.set(t, v);
      offGrid = true;
    }
  return offGrid ? new Map([...out].sort((a, b) => a[0] - b[0])) : out;
}

function ifThen(cond: MathValue, yes: MathValue, no: MathValue | undefined): MathValue {
  if (isArray(cond) || isArray(yes) || (no !== undefined && isArray(no)))
    throw validationError('IF works on single time series and numbers, not on METRICS() arrays.');
  const pick = (c: number, t: number): number | undefined => {
    const branch = c !== 0 ? yes : no;
    if (branch === undefined) return undefined;
    return typeof branch === 'number' ? branch : branch.get(t);
  };
  if (typeof cond === 'number') {
    const branch = cond !== 0 ? yes : no;
    if (branch === undefined) return new Map();
    return branch;
  }
  const out: Series = new Map();
  for (const [t, c] of cond) {
    const v = pick(c, t);
    if (v !== undefined) keepFinite(out, t, v);
  }
  return out;
}

function aggregate(fn: 'SUM' | 'AVG' | 'MAX' | 'MIN', v: MathValue): MathValue {
  const reduce = (xs: number[]): number | undefined => {
    if (xs.length === 0) return undefined;
    switch (fn) {
      case 'SUM':
        return xs.reduce((a, b) => a + b, 0);
      case 'AVG':
        return xs.reduce((a, b) => a + b, 0) / xs.length;
      case 'MAX':
        return Math.max(...xs);
      case 'MIN':
        return Math.min(...xs);
    }
  };
  if (typeof v === 'number') return v;
  if (isArray(v)) {
    const times = [...new Set(v.items.flatMap((s) => [...s.keys()]))].sort((a, b) => a - b);
    const out: Series = new Map();
    for (const t of times) {
      const r = reduce(v.items.flatMap((s) => (s.has(t) ? [s.get(t) as number] : [])));
      if (r !== undefined) keepFinite(out, t, r);
    }
    return out;
  }
  // One series reduces to one number over the whole range (NaN when it has no points).
  return reduce([...v.values()]) ?? Number.NaN;
}

function arithmetic(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case 'AND':
      return a !== 0 && b !== 0 ? 1 : 0;
    case 'OR':
      return a !== 0 || b !== 0 ? 1 : 0;
  }
}

function apply(op: BinaryOp, left: MathValue, right: MathValue): MathValue {
  if (isArray(left)) return { kind: 'array', items: left.items.map((s) => apply(op, s, right) as Series) };
  if (isArray(right)) return { kind: 'array', items: right.items.map((s) => apply(op, left, s) as Series) };
  if (typeof left === 'number' && typeof right === 'number') return arithmetic(op, left, right);
  const out: Series = new Map();
  if (typeof left === 'number') {
    for (const [t, v] of right as Series) keepFinite(out, t, arithmetic(op, left, v));
  } else if (typeof right === 'number') {
    for (const [t, v] of left) keepFinite(out, t, arithmetic(op, v, right));
  } else {
    for (const [t, v] of left) {
      const w = right.get(t);
      if (w !== undefined) keepFinite(out, t, arithmetic(op, v, w));
    }
  }
  return out;
}

function keepFinite(out: Series, t: number, v: number): void {
  if (Number.isFinite(v)) out.set(t, v);
}
