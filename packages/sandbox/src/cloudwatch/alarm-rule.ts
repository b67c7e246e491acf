/**
 * Composite alarm rules: ALARM(x), OK(x), INSUFFICIENT_DATA(x) where x is an alarm name or ARN
 * (quoted or bare), combined with AND, OR, NOT, TRUE, FALSE and parentheses. NOT binds tightest,
 * then AND, then OR.
 */
import type { AlarmStateValue } from '../core.ts';
import { validationError } from './protocol.ts';

export type RuleNode =
  | { kind: 'const'; value: boolean }
  | { kind: 'state'; state: AlarmStateValue; alarm: string }
  | { kind: 'not'; operand: RuleNode }
  | { kind: 'and' | 'or'; left: RuleNode; right: RuleNode };

type Token = { text: string; at: number; quoted?: boolean };

const STATES: readonly AlarmStateValue[] = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];

export function parseAlarmRule(rule: string): RuleNode {
  const tokens = tokenize(rule);
  let pos = 0;
  const fail = (message: string): never => {
    throw validationError(`Invalid AlarmRule "${rule}": ${message}.`);
  };
  const peek = (): Token | undefined => tokens[pos];
  const take = (text: string): void => {
    const t = peek();
    if (t?.text !== text || t.quoted) fail(`expected "${text}" at position ${t?.at ?? rule.length}`);
    pos++;
  };

  function or(): RuleNode {
    let node = and();
    while (peek()?.text === 'OR' && !peek()?.quoted) {
      pos++;
      node = { kind: 'or', left: node, right: and() };
    }
    return node;
  }
  function and(): RuleNode {
    let node = not();
    while (peek()?.text === 'AND' && !peek()?.quoted) {
      pos++;
      node = { kind: 'and', left: node, right: not() };
    }
    return node;
  }
  function not(): RuleNode {
    if (peek()?.text === 'NOT' && !peek()?.quoted) {
      pos++;
      return { kind: 'not', operand: not() };
    }
    return primary();
  }
  function primary(): RuleNode {
    const t = peek();
    if (!t) return fail('it ends where a condition was expected');
    pos++;
    if (!t.quoted && t.text === 'TRUE') return { kind: 'const', value: true };
    if (!t.quoted && t.text === 'FALSE') return { kind: 'const', value: false };
    if (!t.quoted && t.text === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (!t.quoted && (STATES as readonly string[]).includes(t.text)) {
      take('(');
      const arg = peek();
      if (!arg || (!arg.quoted && (arg.text === ')' || arg.text === '(')))
        fail(`${t.text}() needs an alarm name`);
      pos++;
      take(')');
      return { kind: 'state', state: t.text as AlarmStateValue, alarm: (arg as Token).text };
    }
    return fail(
      `unexpected "${t.text}" at position ${t.at}; use ALARM(), OK(), INSUFFICIENT_DATA(), AND, OR, NOT, TRUE or FALSE`,
    );
  }

  if (tokens.length === 0) fail('it is empty');
  const root = or();
  const rest = peek();
  if (rest) fail(`unexpected "${rest.text}" at position ${rest.at}`);
  return root;
}

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ text: c, at: i });
      i++;
    } else if (c === '"' || c === "'") {
      const end = rule.indexOf(c, i + 1);
      if (end < 0)
        throw validationError(`Invalid AlarmRule "${rule}": the quote at position ${i} is never closed.`);
      tokens.push({ text: rule.slice(i + 1, end), at: i, quoted: true });
      i = end + 1;
    } else {
      let j = i;
      while (j < rule.length && !/[\s()"']/.test(rule[j] as string)) j++;
      tokens.push({ text: rule.slice(i, j), at: i });
      i = j;
    }
  }
  return tokens;
}

/** The alarm names or ARNs a rule reads. */
export function ruleChildren(node: RuleNode, into: string[] = []): string[] {
  if (node.kind === 'state') {
    if (!into.includes(node.alarm)) into.push(node.alarm);
  } else if (node.kind === 'not') ruleChildren(node.operand, into);
  else if (node.kind === 'and' || node.kind === 'or') {
    ruleChildren(node.left, into);
    ruleChildren(node.right, into);
  }
  return into;
}

export function evaluateRule(
  node: RuleNode,
  stateOf: (alarm: string) => AlarmStateValue | undefined,
): boolean {
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'state':
      return stateOf(node.alarm) === node.state;
    case 'not':
      return !evaluateRule(node.operand, stateOf);
    case 'and':
      return evaluateRule(node.left, stateOf) && evaluateRule(node.right, stateOf);
    case 'or':
      return evaluateRule(node.left, stateOf) || evaluateRule(node.right, stateOf);
  }
}
