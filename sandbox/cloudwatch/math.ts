/**
 * Metric math, the subset the guards need: numbers, query ids, + - * /, unary minus and
 * parentheses. Timeseries combine point by point on equal timestamps: a timestamp missing from
 * either operand is dropped, and so is a point whose result is not finite (division by zero).
 */
import { validationError } from './protocol.ts';

export type MathNode =
  | { kind: 'number'; value: number }
  | { kind: 'ref'; id: string }
  | { kind: 'negate'; operand: MathNode }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: MathNode; right: MathNode };

/** A timeseries: timestamp (epoch ms) → value. */
export type Series = Map<number, number>;
export type MathValue = number | Series;

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'id'; name: string; at: number }
  | {
      kind: 'punct';
      text: string;
      at: number;
    };

export function parseExpression(text: string): MathNode {
  const tokens = tokenize(text);
  let pos = 0;
  const fail = (message: string): never => {
    throw validationError(`Invalid metric math expression "${text}": ${message}.`);
  };
  const peek = (): Token | undefined => tokens[pos];
  const isPunct = (t: Token | undefined, p: string): boolean => t?.kind === 'punct' && t.text === p;

  // expression := term (('+'|'-') term)* ; term := unary (('*'|'/') unary)* ; unary := '-' unary | primary
  function expression(): MathNode {
    let node = term();
    for (let t = peek(); isPunct(t, '+') || isPunct(t, '-'); t = peek()) {
      pos++;
      node = { kind: 'binary', op: (t as { text: '+' | '-' }).text, left: node, right: term() };
    }
    return node;
  }
  function term(): MathNode {
    let node = unary();
    for (let t = peek(); isPunct(t, '*') || isPunct(t, '/'); t = peek()) {
      pos++;
      node = { kind: 'binary', op: (t as { text: '*' | '/' }).text, left: node, right: unary() };
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
    return primary();
  }
  function primary(): MathNode {
    const t = peek();
    if (!t) return fail('it ends where a value was expected');
    pos++;
    if (t.kind === 'number') return { kind: 'number', value: t.value };
    if (t.kind === 'id') {
      if (isPunct(peek(), '('))
        fail(`function ${t.name} is not supported by the sandbox (only + - * / and parentheses are)`);
      return { kind: 'ref', id: t.name };
    }
    if (t.text === '(') {
      const inner = expression();
      if (!isPunct(peek(), ')')) fail(`missing ")" at position ${peek()?.at ?? text.length}`);
      pos++;
      return inner;
    }
    return fail(`unexpected "${t.text}" at position ${t.at}`);
  }

  if (tokens.length === 0) fail('it is empty');
  const root = expression();
  const rest = peek();
  if (rest)
    fail(`unexpected "${rest.kind === 'punct' ? rest.text : text.slice(rest.at)}" at position ${rest.at}`);
  return root;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()]))/y;
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
    else tokens.push({ kind: 'punct', text: m[3] as string, at: start });
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
      referencedIds(node.operand, into);
      break;
    case 'binary':
      referencedIds(node.left, into);
      referencedIds(node.right, into);
      break;
    case 'number':
      break;
  }
  return into;
}

export function evaluate(node: MathNode, resolve: (id: string) => MathValue): MathValue {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'ref':
      return resolve(node.id);
    case 'negate':
      return apply('*', -1, evaluate(node.operand, resolve));
    case 'binary':
      return apply(node.op, evaluate(node.left, resolve), evaluate(node.right, resolve));
  }
}

function arithmetic(op: '+' | '-' | '*' | '/', a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
  }
}

function apply(op: '+' | '-' | '*' | '/', left: MathValue, right: MathValue): MathValue {
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
