/**
 * IAM policy evaluation, the part the sandbox needs: whether a trust policy lets a web identity
 * token assume a role, and whether a role's permissions allow an action.
 *
 * As the IAM User Guide describes it ("IAM JSON policy elements: Condition operators" and
 * "Policy evaluation logic", docs.aws.amazon.com/IAM/latest/UserGuide/):
 *  - an explicit Deny wins over any Allow; without an Allow the request is implicitly denied;
 *  - in a Condition, every operator block and every key in it must match (AND), while the values
 *    listed for one key are alternatives (OR);
 *  - StringEquals compares exactly (case-sensitive); StringLike takes `*` (any run of characters)
 *    and `?` (one character); the `…IfExists` forms match when the key is absent;
 *  - condition key names compare without case, action names too (`appconfig:getdeployment`), and
 *    an action pattern may use the same wildcards as StringLike.
 * Resource is not evaluated: the sandbox emulates one account whose resources every role may name.
 */

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Principal?: unknown;
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement | Statement[];
}

function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function statements(doc: PolicyDocument): Statement[] {
  return list(doc.Statement);
}

/** IAM's wildcard match: `*` any run, `?` one character. */
export function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    ignoreCase ? 'is' : 's',
  );
  return re.test(value);
}

const OPERATORS: Record<string, (want: string, have: string) => boolean> = {
  StringEquals: (w, h) => w === h,
  StringNotEquals: (w, h) => w !== h,
  StringEqualsIgnoreCase: (w, h) => w.toLowerCase() === h.toLowerCase(),
  StringLike: (w, h) => wildcard(w, h),
  StringNotLike: (w, h) => !wildcard(w, h),
};

/** Whether a statement's Condition holds for these context keys (names compared without case). */
export function conditionHolds(
  condition: Statement['Condition'],
  context: Record<string, string | undefined>,
): boolean {
  const lookup = (key: string) =>
    context[Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase()) ?? ''];
  for (const [rawOperator, keys] of Object.entries(condition ?? {})) {
    const ifExists = rawOperator.endsWith('IfExists');
    const operator = OPERATORS[ifExists ? rawOperator.slice(0, -'IfExists'.length) : rawOperator];
    // An operator the sandbox does not know cannot be shown to hold: deny, as a mismatch would.
    if (!operator) return false;
    const negated = rawOperator.startsWith('StringNot');
    for (const [key, wanted] of Object.entries(keys)) {
      const have = lookup(key);
      if (have === undefined) {
        if (ifExists) continue;
        return false;
      }
      const values = list(wanted);
      // Negated operators: none of the values may match; the others: any one may.
      const ok = negated ? values.every((w) => operator(w, have)) : values.some((w) => operator(w, have));
      if (!ok) return false;
    }
  }
  return true;
}

function actionMatches(statement: Statement, action: string): boolean {
  return list(statement.Action).some((pattern) => wildcard(pattern, action, true));
}

/** Allow, unless an explicit Deny matches; implicit deny when no Allow matches. */
export function decide(
  documents: PolicyDocument[],
  action: string,
  context: Record<string, string | undefined> = {},
): 'allow' | 'deny' | 'implicit-deny' {
  let allowed = false;
  for (const doc of documents)
    for (const s of statements(doc)) {
      if (!actionMatches(s, action) || !conditionHolds(s.Condition, context)) continue;
      if (s.Effect === 'Deny') return 'deny';
      if (s.Effect === 'Allow') allowed = true;
    }
  return allowed ? 'allow' : 'implicit-deny';
}
