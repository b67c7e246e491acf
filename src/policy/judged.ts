/**
 * A change is judged by the policy it is trying to change from, never by its own: head's values
 * with base's rules. An application's `policy`, its environments' approvals, reviewers, stale
 * setting and order, and the definitions of flags base already has (limits, prerequisites) come
 * from base; what head adds anew (a flag, an environment) keeps head's definition, and a new
 * environment asks for the strictest approvals base knows. A new policy applies from the merge on.
 */
import type { Application, EnvironmentDefinition, Repository } from '../model/types.ts';

export function judgedByBase(base: Repository, head: Repository): Repository {
  const applications: Record<string, Application> = {};
  for (const [name, app] of Object.entries(head.applications)) {
    const before = base.applications[name];
    applications[name] = before ? withBasePolicy(app, before) : app;
  }
  return { ...head, applications };
}

function withBasePolicy(head: Application, base: Application): Application {
  const strictest = Math.max(0, ...base.environments.map((e) => e.approvals));
  const environments = head.environments.map((env): EnvironmentDefinition => {
    const before = base.environments.find((e) => e.name === env.name);
    if (!before) return { ...env, approvals: Math.max(env.approvals, strictest), dismissStale: true };
    const { reviewers: _drop, ...rest } = env;
    return {
      ...rest,
      approvals: before.approvals,
      dismissStale: before.dismissStale,
      order: before.order,
      ...(before.reviewers ? { reviewers: [...before.reviewers] } : {}),
    };
  });
  return { ...head, policy: base.policy, environments, flags: { ...head.flags, ...base.flags } };
}

/**
 * What head changes in the rules, as `path: before → after` lines for the plan: the policy,
 * each environment's approvals, stale setting and reviewers, and flag definitions.
 */
export function policyDiff(base: Application | undefined, head: Application | undefined): string[] {
  if (!base || !head) return [];
  const pick = (app: Application) => ({
    policy: app.policy,
    environments: Object.fromEntries(
      app.environments.map((e) => [
        e.name,
        {
          approvals: e.approvals,
          dismiss_stale: e.dismissStale,
          reviewers: e.reviewers ?? null,
          order: e.order,
        },
      ]),
    ),
    flags: app.flags,
  });
  const lines: string[] = [];
  diff(pick(base), pick(head), '', lines);
  return lines;
}

function diff(a: unknown, b: unknown, path: string, out: string[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      diff(a[key], b[key], path === '' ? key : `${path}.${key}`, out);
    return;
  }
  const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
  out.push(`${path}: ${show(a)} → ${show(b)}`);
}
