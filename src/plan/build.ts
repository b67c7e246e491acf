/**
 * The plan of a change from base to head: per changed target, what changes, what policy says about
 * it, how it rolls out and what happens on a breach; then approvals and the overall verdict.
 */
import { compileDiagnostics } from '../model/compile.ts';
import type { Repository, Target } from '../model/types.ts';
import { targetId } from '../model/types.ts';
import type { DwellProvider, PolicyFinding, VerificationProvider } from '../policy/index.ts';
import { checkChange, requiredApprovals } from '../policy/index.ts';
import { judgedByBase, policyDiff } from '../policy/judged.ts';
import { diffTarget } from './diff.ts';
import { changeSubject, formatBefore } from './format.ts';
import { rolloutFor } from './rollout.ts';
import type { ApplicationApprovals, Plan, TargetPlan, ValueChange } from './types.ts';
import { PLAN_VERSION } from './types.ts';

export interface PlanOptions {
  now: Date;
  baseLabel: string;
  dwell?: DwellProvider;
  /** Recorded acceptance verifications (the gate before `acceptance.required_for`). */
  verification?: VerificationProvider;
  /** The change is an automatic revert: approvals follow `policy.revert_approvals`. */
  revert?: boolean;
}

export function buildPlan(base: Repository, proposed: Repository, options: PlanOptions): Plan {
  // Judged by base's rules: a pull request cannot lower the bar it is judged by.
  const head = judgedByBase(base, proposed);
  const findings = checkChange(base, head, {
    now: options.now,
    ...(options.dwell ? { dwell: options.dwell } : {}),
    ...(options.verification ? { verification: options.verification } : {}),
  });
  const targets = changedTargets(base, head);
  const byId = new Map(targets.map((t) => [t.id, t]));
  const otherFindings: PolicyFinding[] = [];
  for (const finding of findings) {
    // Attach each finding once: to the first target it concerns that this change touches.
    const owner = finding.targets.map((id) => byId.get(id)).find((t) => t !== undefined);
    if (owner) owner.findings.push(finding);
    else otherFindings.push(finding);
  }
  // What can never deploy (a document over AppConfig's limit, say) fails the plan like a load error.
  const diagnostics = [...head.diagnostics, ...compileDiagnostics(proposed)];
  const errors =
    findings.filter((f) => f.severity === 'error').length +
    diagnostics.filter((d) => d.severity === 'error').length;
  return {
    version: PLAN_VERSION,
    baseLabel: options.baseLabel,
    checkedAt: options.now.toISOString(),
    verdict: errors > 0 ? 'fail' : 'pass',
    summary: {
      targets: targets.length,
      errors,
      warnings:
        findings.filter((f) => f.severity === 'warning').length +
        diagnostics.filter((d) => d.severity === 'warning').length,
      notes: findings.filter((f) => f.severity === 'info').length,
    },
    targets,
    approvals: approvalsFor(head, base, targets, options.revert === true),
    policyChanges: Object.keys(proposed.applications)
      .map((name) => ({
        application: name,
        changes: policyDiff(base.applications[name], proposed.applications[name]),
      }))
      .filter((p) => p.changes.length > 0),
    otherFindings,
    diagnostics,
  };
}

/** Head's targets in head's order, then the ones only base has; unchanged targets are left out. */
function changedTargets(base: Repository, head: Repository): TargetPlan[] {
  const baseById = new Map(base.targets.map((t) => [targetId(t), t]));
  const headIds = new Set(head.targets.map((t) => targetId(t)));
  const plans: TargetPlan[] = [];
  for (const target of head.targets) {
    const before = baseById.get(targetId(target));
    const plan = planTarget(head, before, target);
    if (plan) plans.push(plan);
  }
  for (const target of base.targets) {
    if (headIds.has(targetId(target))) continue;
    const plan = planTarget(base, target, undefined);
    if (plan) plans.push(plan);
  }
  return plans;
}

function planTarget(
  repo: Repository,
  before: Target | undefined,
  after: Target | undefined,
): TargetPlan | undefined {
  const target = (after ?? before)!;
  const changes = diffTarget(before, after);
  if (changes.length === 0) return undefined;
  const status = !before ? 'added' : !after ? 'removed' : 'changed';
  const environment = repo.applications[target.application]?.environments.find(
    (e) => e.name === target.environment,
  );
  const app = repo.applications[target.application];
  return {
    id: targetId(target),
    application: target.application,
    environment: target.environment,
    profile: target.profile,
    profileType: target.profileType,
    file: target.file,
    status,
    changes,
    findings: [],
    ...(app && environment && status !== 'removed' ? { rollout: rolloutFor(app, environment) } : {}),
    onBreach: describeBreachResponse(status, target.environment, changes),
  };
}

function describeBreachResponse(
  status: TargetPlan['status'],
  environment: string,
  changes: ValueChange[],
): string {
  if (status === 'removed')
    return 'nothing deploys for a removed values file, so there is nothing to roll back';
  if (status === 'added') {
    return `on breach: stop the deployment to ${environment} (nothing was deployed from this file before), open a revert PR`;
  }
  const previous = changes
    .map((c) =>
      Object.hasOwn(c, 'before') ? `${changeSubject(c)} = ${formatBefore(c)}` : `no ${changeSubject(c)}`,
    )
    .join(', ');
  return `on breach: roll back ${environment} to ${previous}, open a revert PR`;
}

/** Approvals per application: the strictest environment among the targets this change touches. */
function approvalsFor(
  head: Repository,
  base: Repository,
  targets: readonly TargetPlan[],
  revert: boolean,
): ApplicationApprovals[] {
  const environmentsByApp = new Map<string, Set<string>>();
  for (const t of targets) {
    const set = environmentsByApp.get(t.application) ?? new Set<string>();
    set.add(t.environment);
    environmentsByApp.set(t.application, set);
  }
  const result: ApplicationApprovals[] = [];
  for (const [name, environments] of environmentsByApp) {
    // A removed application is only defined in base; its rules still govern removing it.
    const app = head.applications[name] ?? base.applications[name];
    if (!app) continue;
    result.push({ application: name, ...requiredApprovals(app, [...environments], { revert }) });
  }
  return result;
}
