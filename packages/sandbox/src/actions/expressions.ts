/**
 * `${{ }}` evaluation with GitHub's own engine (@actions/expressions), over plain JSON contexts.
 * Template tokens from @actions/workflow-parser are turned into plain values here: literals as they
 * are, expressions evaluated (a string with several `${{ }}` arrives as one `format(...)`).
 * The status functions `success()`, `failure()`, `always()` and `cancelled()` are the runner's.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import {
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
} from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Contexts = Record<string, Json>;

/** What the status functions answer: the job (or run) so far. */
export interface Status {
  /** Some earlier step (or needed job) failed. */
  failed: boolean;
  cancelled: boolean;
}

const CONTEXT_NAMES = [
  'github',
  'env',
  'vars',
  'secrets',
  'job',
  'jobs',
  'steps',
  'runner',
  'needs',
  'strategy',
  'matrix',
  'inputs',
];

function statusFunctions(status: Status) {
  const fn = (name: string, value: () => boolean) => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value()),
  });
  return [
    fn('success', () => !status.failed && !status.cancelled),
    fn('failure', () => status.failed && !status.cancelled),
    fn('always', () => true),
    fn('cancelled', () => status.cancelled),
    // No file hashing in the sandbox's workflows; answer as GitHub does for no matching files.
    { name: 'hashFiles', minArgs: 1, maxArgs: 255, call: () => new data.StringData('') },
  ];
}

export function toData(value: Json | undefined): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

export function fromData(value: data.ExpressionData): Json {
  return JSON.parse(JSON.stringify(value, data.replacer)) as Json;
}

export class ExpressionFailure extends Error {}

/** Evaluate one expression (no `${{ }}`). */
export function evaluate(expression: string, contexts: Contexts, status: Status = NO_FAILURE): Json {
  const functions = statusFunctions(status);
  try {
    const tokens = new Lexer(expression).lex().tokens;
    const expr = new Parser(tokens, CONTEXT_NAMES, functions).parse();
    const dict = new data.Dictionary();
    for (const name of CONTEXT_NAMES) dict.add(name, toData(contexts[name] ?? {}));
    const result = new Evaluator(
      expr,
      dict,
      new Map(functions.map((f) => [f.name.toLowerCase(), f])),
    ).evaluate();
    return fromData(result);
  } catch (err) {
    throw new ExpressionFailure(
      `The expression \`${expression}\` cannot be evaluated: ${(err as Error).message}`,
    );
  }
}

const NO_FAILURE: Status = { failed: false, cancelled: false };

/** GitHub's truthiness for `if:` results. */
export function truthy(value: Json): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  return true;
}

/** A template token as a plain value, expressions evaluated. */
export function tokenValue(
  token: TemplateToken | undefined,
  contexts: Contexts,
  status: Status = NO_FAILURE,
): Json {
  if (token === undefined) return null;
  if (isBasicExpression(token)) return evaluate(token.expression, contexts, status);
  if (isString(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isSequence(token)) return [...token].map((t) => tokenValue(t, contexts, status));
  if (isMapping(token)) {
    const out: Record<string, Json> = {};
    for (const pair of token)
      out[String(tokenValue(pair.key, contexts, status))] = tokenValue(pair.value, contexts, status);
    return out;
  }
  return null;
}

/** A value as GitHub puts it into a string (env values, inputs, `run:` text). */
export function asString(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, null, 2);
}

/** A mapping token as string values (env:, with:, outputs:). */
export function stringMap(
  token: TemplateToken | undefined,
  contexts: Contexts,
  status?: Status,
): Record<string, string> {
  const value = tokenValue(token, contexts, status);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asString(v)]));
}

/** The `if:` of a job or step: GitHub adds `success() &&` unless a status function is named. */
export function condition(expression: string | undefined, contexts: Contexts, status: Status): boolean {
  let expr = (expression ?? '').trim();
  if (expr.startsWith('${{') && expr.endsWith('}}')) expr = expr.slice(3, -2).trim();
  if (expr === '') expr = 'success()';
  else if (!/\b(success|failure|always|cancelled)\s*\(/i.test(expr)) expr = `success() && (${expr})`;
  return truthy(evaluate(expr, contexts, status));
}
