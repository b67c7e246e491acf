/**
 * Which guards a change touches, per environment: a guard an environment watches in the head but
 * not in the base is added, the reverse removed, and one watched in both whose rule differs is
 * altered. The rule is the whole definition except its words (`description`) and the name of the
 * alarm it compiles to, so a new field a guard gains later counts without a change here. Pure.
 */
import type { Application, GuardDefinition, Repository } from '../model/types.ts';

export type GuardChangeKind = 'added' | 'removed' | 'altered';

export interface GuardChange {
  application: string;
  environment: string;
  guard: string;
  kind: GuardChangeKind;
  /** The base's rule (absent when added). */
  old?: GuardDefinition;
  /** The head's rule (absent when removed). */
  new?: GuardDefinition;
}

export function changedGuards(base: Repository, head: Repository, environment?: string): GuardChange[] {
  const changes: GuardChange[] = [];
  const names = new Set([...Object.keys(base.applications), ...Object.keys(head.applications)]);
  for (const name of [...names].sort()) {
    const before = base.applications[name];
    const after = head.applications[name];
    for (const env of environmentsOf(before, after)) {
      if (environment !== undefined && env !== environment) continue;
      const oldRules = watched(before, env);
      const newRules = watched(after, env);
      for (const guard of [...new Set([...oldRules.keys(), ...newRules.keys()])].sort()) {
        const o = oldRules.get(guard);
        const n = newRules.get(guard);
        const kind: GuardChangeKind | undefined =
          o === undefined ? 'added' : n === undefined ? 'removed' : sameRule(o, n) ? undefined : 'altered';
        if (kind === undefined) continue;
        changes.push({
          application: name,
          environment: env,
          guard,
          kind,
          ...(o ? { old: o } : {}),
          ...(n ? { new: n } : {}),
        });
      }
    }
  }
  return changes;
}

function environmentsOf(a: Application | undefined, b: Application | undefined): string[] {
  const seen: string[] = [];
  for (const e of [...(b?.environments ?? []), ...(a?.environments ?? [])])
    if (!seen.includes(e.name)) seen.push(e.name);
  return seen;
}

/** The guards one environment watches, by name. */
function watched(app: Application | undefined, environment: string): Map<string, GuardDefinition> {
  const out = new Map<string, GuardDefinition>();
  const env = app?.environments.find((e) => e.name === environment);
  for (const name of env?.guards ?? []) {
    const guard = app?.guards[name];
    if (guard) out.set(name, guard);
  }
  return out;
}

function sameRule(a: GuardDefinition, b: GuardDefinition): boolean {
  return ruleKey(a) === ruleKey(b);
}

/** The definition without its words, keys in a fixed order. */
export function ruleKey(guard: GuardDefinition): string {
  const { description: _d, alarm: _a, ...rule } = guard;
  return JSON.stringify(sorted(rule));
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
  );
}
