/** The plan for a terminal. Colour (ANSI) only when asked, so piped output and logs stay plain. */
import type { PolicyFinding } from '../policy/index.ts';
import { changeSubject, formatAfter, formatBefore } from './format.ts';
import type { Plan, RolloutSummary, TargetPlan, ValueChange } from './types.ts';

type Paint = (code: string, text: string) => string;

const RED = '31';
const GREEN = '32';
const YELLOW = '33';
const DIM = '2';
const BOLD = '1';

export function renderText(plan: Plan, options: { color: boolean }): string {
  const paint: Paint = options.color
    ? (code, text) => `\u001b[${code}m${text}\u001b[0m`
    : (_code, text) => text;
  const lines: string[] = [];
  const verdict = plan.verdict === 'pass' ? paint(GREEN, 'PASS') : paint(RED, 'FAIL');
  const { errors, warnings, notes, targets } = plan.summary;
  lines.push(
    `${paint(BOLD, 'flagops plan')}: ${verdict} — ${count(errors, 'error')}, ${count(warnings, 'warning')}, ` +
      `${count(notes, 'note')}; ${count(targets, 'target')} changed (compared with ${plan.baseLabel}, checked at ${plan.checkedAt})`,
  );
  if (plan.targets.length === 0) lines.push('', 'No target changes.');
  for (const target of plan.targets) lines.push('', ...targetLines(target, paint));
  if (plan.otherFindings.length > 0) {
    lines.push('', paint(BOLD, 'Elsewhere in the repository'));
    for (const f of plan.otherFindings) lines.push(`  ${findingLine(f, paint)}`);
  }
  if (plan.diagnostics.length > 0) {
    lines.push('', paint(BOLD, 'Problems in the repository'));
    for (const d of plan.diagnostics) {
      const where = `${d.position.file}:${d.position.line}:${d.position.column}`;
      lines.push(`  ${where}: ${paint(d.severity === 'error' ? RED : YELLOW, d.severity)}: ${d.message}`);
    }
  }
  for (const p of plan.policyChanges) {
    lines.push(
      '',
      paint(BOLD, `Policy changes in ${p.application} (judged by the base's rules until merged)`),
    );
    for (const c of p.changes) lines.push(`  ${c}`);
  }
  if (plan.approvals.length > 0) {
    lines.push('', paint(BOLD, 'Approvals'));
    for (const a of plan.approvals) {
      const stale = a.dismissStale ? '; approvals on older commits do not count' : '';
      const who = a.reviewers ? `; only ${a.reviewers.join(', ')} count` : '';
      lines.push(`  ${a.application}: ${count(a.approvals, 'approval')} (${a.reason}${stale}${who})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function targetLines(target: TargetPlan, paint: Paint): string[] {
  const lines = [`${paint(BOLD, target.id)} (${target.status}) ${paint(DIM, target.file)}`];
  for (const change of target.changes) lines.push(`  ${changeLine(change, paint)}`);
  for (const f of target.findings) lines.push(`  ${findingLine(f, paint)}`);
  if (target.rollout) lines.push(...rolloutLines(target.rollout).map((l) => `  ${l}`));
  lines.push(`  ${target.onBreach}`);
  return lines;
}

function changeLine(change: ValueChange, paint: Paint): string {
  const arrow =
    change.direction === 'up' ? paint(YELLOW, '↑') : change.direction === 'down' ? paint(GREEN, '↓') : ' ';
  const label =
    change.kind === 'flag-added' ? ' (new flag)' : change.kind === 'flag-removed' ? ' (flag removed)' : '';
  return `${arrow} ${changeSubject(change)}: ${formatBefore(change)} → ${formatAfter(change)}${label}`;
}

function findingLine(f: PolicyFinding, paint: Paint): string {
  const colour = f.severity === 'error' ? RED : f.severity === 'warning' ? YELLOW : DIM;
  const label = f.severity === 'info' ? 'note' : f.severity;
  const where = `${f.position.file}:${f.position.line}:${f.position.column}`;
  return `${paint(colour, `${label} [${f.rule}]`)} ${f.message} ${paint(DIM, `(${where})`)}`;
}

function rolloutLines(rollout: RolloutSummary): string[] {
  const lines = [describeRollout(rollout)];
  for (const g of rollout.guards) {
    lines.push(
      g.comparative
        ? `guard ${g.name}: ${g.comparative}`
        : `guard ${g.name}: breach when ${g.breachWhen} for ${g.consecutive} × ${g.periodSeconds} s`,
    );
  }
  for (const name of rollout.unknownGuards)
    lines.push(`guard ${name}: not defined in guards: (will not be watched)`);
  if (rollout.alarms.length > 0) lines.push(`alarms: ${rollout.alarms.join(', ')}`);
  return lines;
}

export function describeRollout(rollout: RolloutSummary): string {
  const s = rollout.strategy;
  if (!s.known) {
    return `strategy ${s.name} (not defined in strategies: and not a predefined AppConfig strategy), then bake ${rollout.bakeMinutes} min`;
  }
  const total = rollout.totalMinutes !== undefined ? ` — about ${rollout.totalMinutes} min in all` : '';
  return (
    `strategy ${s.name}: ${s.growthType} ${s.growthFactor}% over ${s.durationMinutes} min, final bake ` +
    `${s.finalBakeMinutes} min; then flagops bakes ${rollout.bakeMinutes} min${total}`
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
