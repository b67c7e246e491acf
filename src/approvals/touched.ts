/**
 * Which environments a pull request touches, from its changed paths. A values file touches its
 * environment; `app.yaml` touches every environment of its application (it holds the approvals,
 * guards and policy); `schemas/` touches every environment of every application (it decides what
 * validates).
 */
import type { Repository } from '../model/types.ts';

/** Application name → environments touched, in promotion order. Untouched applications are absent. */
export function touchedEnvironments(repo: Repository, paths: readonly string[]): Map<string, string[]> {
  const touched = new Map<string, Set<string>>();
  const add = (app: string, envs: readonly string[]) => {
    const set = touched.get(app) ?? new Set<string>();
    for (const e of envs) set.add(e);
    touched.set(app, set);
  };
  for (const path of paths) {
    for (const app of Object.values(repo.applications)) {
      const all = app.environments.map((e) => e.name);
      if (path.startsWith('schemas/')) add(app.name, all);
      if (!path.startsWith(`${app.dir}/`)) continue;
      const rest = path.slice(app.dir.length + 1);
      if (rest === 'app.yaml') add(app.name, all);
      const env = rest.split('/')[0];
      if (env !== undefined && rest.includes('/') && all.includes(env)) add(app.name, [env]);
    }
  }
  const result = new Map<string, string[]>();
  for (const [name, set] of touched) {
    const order = repo.applications[name]?.environments.map((e) => e.name) ?? [];
    result.set(
      name,
      order.filter((e) => set.has(e)),
    );
  }
  return result;
}

export interface DeployEntry {
  application: string;
  environment: string;
}

/**
 * The deploy workflow's matrix: one entry per (application, environment), because deployments are
 * serialised per environment (one concurrency group each) and every profile of it deploys in that
 * one job, unchanged ones as no-ops.
 */
export function deployMatrix(touched: Map<string, string[]>): { include: DeployEntry[] } {
  const include: DeployEntry[] = [];
  for (const [application, environments] of touched)
    for (const environment of environments) include.push({ application, environment });
  return { include };
}

/** Every environment of every application: for a manual run, or when the change range is unknown. */
export function allEnvironments(repo: Repository, application?: string): Map<string, string[]> {
  const all = new Map<string, string[]>();
  for (const app of Object.values(repo.applications))
    if (application === undefined || app.name === application)
      all.set(
        app.name,
        app.environments.map((e) => e.name),
      );
  return all;
}
