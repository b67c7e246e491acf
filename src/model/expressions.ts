/** The tiny expression languages inside app.yaml: `breach_when: "> 5"`, `when: percentage > 0`. */
import type { Comparison, Condition } from './types.ts';

const BREACH = /^\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/;
const CONDITION = /^\s*([a-z][a-zA-Z\d_-]{0,63})\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** `"> 5"` → `{ op: '>', threshold: 5 }`, or undefined when it does not parse. */
export function parseBreachWhen(text: string): { op: Comparison; threshold: number } | undefined {
  const m = BREACH.exec(text);
  if (!m) return undefined;
  return { op: m[1] as Comparison, threshold: Number(m[2]) };
}

/** `"percentage > 0"` → a Condition, or undefined when it does not parse. */
export function parseCondition(text: string): Condition | undefined {
  const m = CONDITION.exec(text);
  if (!m || m[1] === undefined) return undefined;
  return { attribute: m[1], op: m[2] as Condition['op'], value: Number(m[3]) };
}

export function conditionHolds(condition: Condition, value: unknown): boolean {
  if (typeof value !== 'number') return false;
  switch (condition.op) {
    case '>':
      return value > condition.value;
    case '>=':
      return value >= condition.value;
    case '<':
      return value < condition.value;
    case '<=':
      return value <= condition.value;
    case '==':
      return value === condition.value;
    case '!=':
      return value !== condition.value;
  }
}

const LOGICAL_WORDS = new Set(['AND', 'OR', 'NOT']);

/**
 * The metric ids a CloudWatch metric-math expression refers to: identifiers that are not function
 * calls (`FILL(`), logical words or inside quoted strings (`SEARCH('…')`).
 */
export function metricIdsIn(expression: string): string[] {
  const withoutStrings = expression.replace(/'[^']*'|"[^"]*"/g, ' ');
  const ids: string[] = [];
  const token = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*/g;
  for (let m = token.exec(withoutStrings); m; m = token.exec(withoutStrings)) {
    const word = m[0];
    if (/^\d/.test(word) || LOGICAL_WORDS.has(word)) continue;
    const rest = withoutStrings.slice(m.index + word.length);
    if (/^\s*\(/.test(rest)) continue;
    ids.push(word);
  }
  return ids;
}
