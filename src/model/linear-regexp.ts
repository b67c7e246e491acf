/**
 * Regular expressions that come from a repository (JSON Schema `pattern`s and `patternProperties`
 * in schemas/, attribute `pattern`s in app.yaml) run on RE2's engine (the re2js port), whose
 * matching time is linear in the input. JavaScript's own engine backtracks: `^(a+)+$` against a
 * few dozen `a`s and a `!` takes minutes, which would stall loading for every later pull request
 * (ReDoS). RE2 has no lookarounds or backreferences, the constructs that need backtracking; a
 * pattern using them is refused with a message that says so and how to rewrite it.
 */
import { RE2JS } from 're2js';
import { memoized } from '../core/memo.ts';
import { excerpt } from './text.ts';

export interface LinearRegExp {
  /** True when the pattern matches somewhere in `text` (RegExp.prototype.test's meaning). */
  test(text: string): boolean;
  /** `/pattern/`, as RegExp prints itself. */
  toString(): string;
}

export type LinearPattern = { ok: true; regexp: LinearRegExp } | { ok: false; reason: string };

/** A pattern compiled once per process for linear-time matching, or why it cannot be. */
export const compileLinear: (pattern: string) => LinearPattern = memoized((pattern) => {
  try {
    const re = RE2JS.compile(pattern);
    const test = rememberedTest((text) => re.test(text));
    // toString names the pattern: ajv keys its compiled patterns by it.
    return { ok: true, regexp: { test, toString: () => `/${pattern}/` } };
  } catch (error) {
    return { ok: false, reason: refusal(pattern, error) };
  }
});

/** Distinct texts remembered per pattern; past this the cache starts over (bounded memory). */
const REMEMBERED_TEXTS = 4096;

/**
 * A match is pure, and a repository repeats its texts (the same flag and attribute names in every
 * environment's values file), while RE2's engine costs far more per call than a Map lookup: each
 * distinct text is matched once.
 */
function rememberedTest(test: (text: string) => boolean): (text: string) => boolean {
  let known = new Map<string, boolean>();
  return (text) => {
    const seen = known.get(text);
    if (seen !== undefined) return seen;
    const result = test(text);
    if (known.size >= REMEMBERED_TEXTS) known = new Map();
    known.set(text, result);
    return result;
  };
}

function refusal(pattern: string, error: unknown): string {
  const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : 'invalid';
  const shown = `\`${excerpt(pattern, 80)}\``;
  if (/\(\?<?[=!]|\\[1-9]|\\k</.test(pattern))
    return `pattern ${shown} uses a lookaround or a backreference (${excerpt(detail, 80)}); flagops matches patterns in linear time (RE2 syntax), which has neither: rewrite it without them`;
  return `pattern ${shown} is not a regular expression flagops can match in linear time (RE2 syntax): ${excerpt(detail, 80)}`;
}

/**
 * The same engine for ajv (`code.regExp`), so schema keywords never reach JavaScript's
 * backtracking engine. A refused pattern makes `ajv.compile` throw with the reason.
 */
export const ajvLinearRegExp = Object.assign(
  (pattern: string): LinearRegExp => {
    const compiled = compileLinear(pattern);
    if (!compiled.ok) throw new Error(compiled.reason);
    return compiled.regexp;
  },
  // Only used by ajv's standalone code generation, which flagops does not use.
  { code: 'flagops-linear-regexp' },
);
