/**
 * What a pull request needs, decided from the BASE repository (its app.yaml policy and layout) and
 * facts GitHub reports about the pull request — never from anything the pull request itself says
 * (labels, title, its own app.yaml):
 *
 * - a values file (`flags/<app>/<environment>/<profile>.yaml` of a declared environment and
 *   profile) needs what its environment asks for; the strictest touched environment decides;
 * - any other path (`.github/`, `actions/`, `dist/`, `src/`, `schemas/`, `package*.json`,
 *   each application's `app.yaml`, CODEOWNERS, …) changes what judges or deploys, so it needs the strictest
 *   approvals of any environment, on the latest commit, plus the code owners;
 * - an automatic revert needs `policy.revert_approvals`, but a pull request is one only when the
 *   flagops App opened it from its own `flagops/revert/<app>/<env>/<profile>/<sha7>` branch of this
 *   repository, it changes exactly that target's values file, and the caller confirmed the new
 *   content is what AppConfig serves (it only restores deployed values).
 */

import type { TargetRef } from '../core/target.ts';
import type { Repository, Target } from '../model/types.ts';
import { requiredApprovals } from '../policy/index.ts';
import { REVERT_BRANCH_PREFIX } from '../revert/text.ts';
import type { ApprovalRule } from './count.ts';
import { approvalRules } from './rules.ts';

/** What GitHub says about the pull request (not what it says about itself). */
export interface ChangeFacts {
  author: string;
  headRef: string;
  /** False for a pull request from a fork. */
  sameRepository: boolean;
  /** Every path changed (renames: both sides). */
  paths: readonly string[];
}

export interface RevertClaim {
  target: TargetRef;
  file: string;
}

export interface ChangeNeeds {
  rules: ApprovalRule[];
  /** Approvals from the code owners of the changed paths are required too. */
  codeOwners: boolean;
  /** Set when the pull request counts as an automatic revert. */
  revert?: RevertClaim;
  /** Paths outside the values files, which is why the strictest rule applies. */
  outside: string[];
}

/** The label of the rule for paths outside the values files, as the status description shows it. */
export const OUTSIDE_VALUES = 'code and policy';

/** The values file a path is, in the base's layout, or undefined. */
export function valuesTarget(base: Repository, path: string): Target | undefined {
  return base.targets.find((t) => t.file === path) ?? declaredValuesFile(base, path);
}

/** A values file that base declares but does not have yet (a new environment's or profile's file). */
function declaredValuesFile(base: Repository, path: string): Target | undefined {
  for (const app of Object.values(base.applications)) {
    if (!path.startsWith(`${app.dir}/`)) continue;
    const [env, file, ...rest] = path.slice(app.dir.length + 1).split('/');
    if (rest.length > 0 || !env || !file) continue;
    const profile = file.replace(/\.yaml$/, '');
    if (`${profile}.yaml` !== file || !app.environments.some((e) => e.name === env) || !app.profiles[profile])
      continue;
    return {
      application: app.name,
      environment: env,
      profile,
      file: path,
      profileType: app.profiles[profile].type,
      locations: {},
    };
  }
  return undefined;
}

/**
 * The revert a pull request claims to be, when every fact GitHub reports fits: opened by the App,
 * from the App's branch for one target in this repository, changing only that target's file.
 */
export function revertClaim(
  base: Repository,
  facts: ChangeFacts,
  appLogin: string | undefined,
): RevertClaim | undefined {
  if (!appLogin || facts.author.toLowerCase() !== appLogin.toLowerCase() || !facts.sameRepository)
    return undefined;
  const m = new RegExp(`^${REVERT_BRANCH_PREFIX}/([^/]+)/([^/]+)/([^/]+)/([0-9a-f]{7}|unknown)$`).exec(
    facts.headRef,
  );
  if (!m) return undefined;
  const [, application, environment, profile] = m as unknown as [string, string, string, string];
  const target = base.targets.find(
    (t) => t.application === application && t.environment === environment && t.profile === profile,
  );
  if (!target || facts.paths.length !== 1 || facts.paths[0] !== target.file) return undefined;
  return { target: { application, environment, profile }, file: target.file };
}

/**
 * The rules a pull request must meet. `restoresDeployed` is the caller's check that a revert's
 * content equals what AppConfig serves; without it a look-alike revert is judged as a change.
 */
export function changeNeeds(
  base: Repository,
  facts: ChangeFacts,
  options: { appLogin?: string; restoresDeployed?: (claim: RevertClaim) => boolean } = {},
): ChangeNeeds {
  const claim = revertClaim(base, facts, options.appLogin);
  const revert = claim && options.restoresDeployed?.(claim) ? claim : undefined;
  const touched = new Map<string, Set<string>>();
  const outside: string[] = [];
  for (const path of facts.paths) {
    const target = valuesTarget(base, path);
    if (!target) {
      outside.push(path);
      continue;
    }
    const set = touched.get(target.application) ?? new Set<string>();
    set.add(target.environment);
    touched.set(target.application, set);
  }
  const qualify = Object.keys(base.applications).length > 1;
  const rules: ApprovalRule[] = [];
  for (const [name, environments] of touched) {
    const app = base.applications[name];
    if (!app) continue;
    for (const rule of approvalRules(requiredApprovals(app, [...environments], { revert: !!revert })))
      rules.push(qualify ? { ...rule, environment: `${name}/${rule.environment}` } : rule);
  }
  if (outside.length > 0) rules.push(strictestRule(base));
  return { rules, codeOwners: outside.length > 0, ...(revert ? { revert } : {}), outside };
}

/**
 * The most approvals any environment of any application asks for (at least 1), counted on the
 * latest commit only: code and policy change what judges every later change.
 */
export function strictestRule(base: Repository): ApprovalRule {
  const all = Object.values(base.applications).flatMap((a) => a.environments);
  const required = Math.max(1, ...all.map((e) => e.approvals));
  return { environment: OUTSIDE_VALUES, required, dismissStale: true };
}
