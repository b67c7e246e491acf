/**
 * The plan as JSON for tools. The shape is `Plan` in `types.ts` (`version: 1`) with two rules that
 * make it easy to consume: every optional field is present, as `null` when unset (a change also says
 * `present: { before, after }` so a JSON `null` value and "absent" stay distinct), and keys come in a
 * fixed order whatever order the plan's objects were built in, so equal plans give equal bytes.
 */
import type { Diagnostic } from '../model/types.ts';
import type { PolicyFinding } from '../policy/index.ts';
import type { ApplicationApprovals, Plan, RolloutSummary, TargetPlan, ValueChange } from './types.ts';

export function renderJson(plan: Plan): string {
  const ordered = {
    version: plan.version,
    baseLabel: plan.baseLabel,
    checkedAt: plan.checkedAt,
    verdict: plan.verdict,
    summary: {
      targets: plan.summary.targets,
      errors: plan.summary.errors,
      warnings: plan.summary.warnings,
      notes: plan.summary.notes,
    },
    targets: plan.targets.map(orderTarget),
    approvals: plan.approvals.map(orderApprovals),
    otherFindings: plan.otherFindings.map(orderFinding),
    diagnostics: plan.diagnostics.map(orderDiagnostic),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function orderTarget(t: TargetPlan) {
  return {
    id: t.id,
    application: t.application,
    environment: t.environment,
    profile: t.profile,
    profileType: t.profileType,
    file: t.file,
    status: t.status,
    changes: t.changes.map(orderChange),
    findings: t.findings.map(orderFinding),
    rollout: t.rollout ? orderRollout(t.rollout) : null,
    onBreach: t.onBreach,
  };
}

/** `null` stands for "absent on that side", so every change has the same keys. */
function orderChange(c: ValueChange) {
  return {
    kind: c.kind,
    flag: c.flag ?? null,
    attribute: c.attribute ?? null,
    path: c.path ?? null,
    before: Object.hasOwn(c, 'before') ? c.before : null,
    after: Object.hasOwn(c, 'after') ? c.after : null,
    present: { before: Object.hasOwn(c, 'before'), after: Object.hasOwn(c, 'after') },
    direction: c.direction,
  };
}

function orderFinding(f: PolicyFinding) {
  return {
    rule: f.rule,
    severity: f.severity,
    targets: [...f.targets],
    flag: f.flag ?? null,
    attribute: f.attribute ?? null,
    message: f.message,
    position: { file: f.position.file, line: f.position.line, column: f.position.column },
  };
}

function orderRollout(r: RolloutSummary) {
  const s = r.strategy;
  return {
    strategy: {
      name: s.name,
      known: s.known,
      growthType: s.growthType ?? null,
      growthFactor: s.growthFactor ?? null,
      durationMinutes: s.durationMinutes ?? null,
      finalBakeMinutes: s.finalBakeMinutes ?? null,
    },
    bakeMinutes: r.bakeMinutes,
    totalMinutes: r.totalMinutes ?? null,
    guards: r.guards.map((g) => ({
      name: g.name,
      description: g.description ?? null,
      breachWhen: g.breachWhen,
      consecutive: g.consecutive,
      periodSeconds: g.periodSeconds,
    })),
    unknownGuards: [...r.unknownGuards],
    alarms: [...r.alarms],
  };
}

function orderApprovals(a: ApplicationApprovals) {
  return {
    application: a.application,
    approvals: a.approvals,
    environment: a.environment ?? null,
    reason: a.reason,
    dismissStale: a.dismissStale,
    reviewers: a.reviewers ? [...a.reviewers] : null,
  };
}

function orderDiagnostic(d: Diagnostic) {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    position: { file: d.position.file, line: d.position.line, column: d.position.column },
  };
}
