/**
 * The plan as the pull-request comment: verdict first, then a section per changed target (a table
 * of values, policy findings, rollout, guards, what happens on a breach), then approvals. GitHub
 * rejects comments over 65,536 characters, so target sections that do not fit are left out with a
 * note, and the approvals always stay.
 */
import {
  mdProse as cell,
  mdCode as code,
  mdCodeBlock,
  mdTableCode as tableCode,
} from '../escape/markdown.ts';
import type { PolicyFinding } from '../policy/index.ts';
import { formatAfter, formatBefore } from './format.ts';
import { describeRollout } from './render-text.ts';
import type { Plan, TargetPlan, ValueChange } from './types.ts';

export const MARKDOWN_LIMIT = 65_000;
/** Rows per table before the rest is summarised: a huge freeform change stays readable. */
const MAX_ROWS = 100;
const MAX_DIAGNOSTICS = 50;

export function renderMarkdown(plan: Plan, limit = MARKDOWN_LIMIT): string {
  const head = headerSection(plan);
  const tail = [
    policyChangesSection(plan),
    otherFindingsSection(plan),
    diagnosticsSection(plan),
    approvalsSection(plan),
  ]
    .filter(Boolean)
    .join('\n');
  const parts = [head];
  let used = head.length + tail.length + 2;
  let left = 0;
  for (const [i, target] of plan.targets.entries()) {
    const section = targetSection(target);
    // Reserve room for the truncation note in case a later section does not fit.
    if (used + section.length + 300 > limit) {
      left = plan.targets.length - i;
      break;
    }
    parts.push(section);
    used += section.length + 1;
  }
  if (left > 0) {
    parts.push(
      `> **${left} more changed target${left === 1 ? '' : 's'} not shown** — the comment would exceed GitHub's size limit. ` +
        'Run `flagops plan` locally or see the job log for the full plan.\n',
    );
  }
  if (tail) parts.push(tail);
  return parts.join('\n');
}

function headerSection(plan: Plan): string {
  const icon = plan.verdict === 'pass' ? '✅' : '❌';
  const { errors, warnings, notes, targets } = plan.summary;
  return (
    `## ${icon} flagops plan: **${plan.verdict}**\n\n` +
    `${count(errors, 'error')}, ${count(warnings, 'warning')}, ${count(notes, 'note')} · ` +
    `${count(targets, 'target')} changed · compared with ${code(plan.baseLabel)} · checked at ${plan.checkedAt}\n` +
    (targets === 0 ? '\nNo target changes.\n' : '')
  );
}

function targetSection(target: TargetPlan): string {
  const lines = [`### ${code(target.id)} (${target.status})`, '', `File: ${code(target.file)}`, ''];
  lines.push(...changeTable(target));
  if (target.findings.length > 0) {
    lines.push('', '**Policy**', '');
    for (const f of target.findings) lines.push(findingItem(f));
  } else {
    lines.push('', '**Policy:** all rules pass.');
  }
  if (target.rollout) {
    const r = target.rollout;
    lines.push('', `**Rollout:** ${cell(describeRollout(r))}`);
    if (r.guards.length > 0 || r.unknownGuards.length > 0) {
      lines.push('', '**Guards watched**', '');
      for (const g of r.guards) {
        const about = g.description ? ` — ${cell(g.description)}` : '';
        const rule = g.comparative
          ? cell(g.comparative)
          : `breach when ${code(g.breachWhen)} for ${g.consecutive} consecutive period${g.consecutive === 1 ? '' : 's'} of ${g.periodSeconds} s`;
        lines.push(`- ${code(g.name)}: ${rule}${about}`);
      }
      for (const name of r.unknownGuards)
        lines.push(`- ${code(name)}: ⚠️ not defined in \`guards:\`, will not be watched`);
    }
    if (r.alarms.length > 0) lines.push('', `**Alarms watched:** ${r.alarms.map(code).join(', ')}`);
  }
  lines.push(
    '',
    `**${target.onBreach.startsWith('on breach') ? 'On breach' : 'Note'}:** ${cell(stripPrefix(target.onBreach))}`,
    '',
  );
  return lines.join('\n');
}

function changeTable(target: TargetPlan): string[] {
  const freeform = target.profileType === 'AWS.Freeform';
  const rows = target.changes.slice(0, MAX_ROWS).map((c) => (freeform ? pathRow(c) : flagRow(c)));
  const header = freeform
    ? ['| Path | Before | After |', '|---|---|---|']
    : ['| Flag | Attribute | Before | After |', '|---|---|---|---|'];
  const more = target.changes.length - MAX_ROWS;
  return [
    ...header,
    ...rows,
    ...(more > 0 ? ['', `… and ${more} more changed value${more === 1 ? '' : 's'}.`] : []),
  ];
}

function flagRow(c: ValueChange): string {
  const note = c.kind === 'flag-added' ? ' (new flag)' : c.kind === 'flag-removed' ? ' (removed)' : '';
  return `| ${tableCode(c.flag ?? '')}${note} | ${tableCode(c.attribute ?? '')} | ${valueCell(formatBefore(c))} | ${valueCell(formatAfter(c))}${arrow(c)} |`;
}

function pathRow(c: ValueChange): string {
  return `| ${tableCode(c.path ?? '')} | ${valueCell(formatBefore(c))} | ${valueCell(formatAfter(c))} |`;
}

function arrow(c: ValueChange): string {
  return c.direction === 'up' ? ' ⬆️' : c.direction === 'down' ? ' ⬇️' : '';
}

function findingItem(f: PolicyFinding): string {
  const icon = f.severity === 'error' ? '❌' : f.severity === 'warning' ? '⚠️' : 'ℹ️';
  const where = `${f.position.file}:${f.position.line}`;
  return `- ${icon} **${f.rule}** — ${cell(f.message)} (${code(where)})`;
}

function policyChangesSection(plan: Plan): string {
  if (plan.policyChanges.length === 0) return '';
  const lines = [
    '### Policy changes',
    '',
    "This pull request changes the rules. It is judged by the base branch's rules; the new ones apply after it merges.",
    '',
  ];
  for (const p of plan.policyChanges) {
    lines.push(`**${cell(p.application)}**`, '', mdCodeBlock(p.changes.join('\n'), 'diff'), '');
  }
  return lines.join('\n');
}

function otherFindingsSection(plan: Plan): string {
  if (plan.otherFindings.length === 0) return '';
  return ['### Elsewhere in the repository', '', ...plan.otherFindings.map(findingItem), ''].join('\n');
}

function diagnosticsSection(plan: Plan): string {
  if (plan.diagnostics.length === 0) return '';
  const shown = plan.diagnostics.slice(0, MAX_DIAGNOSTICS).map((d) => {
    const icon = d.severity === 'error' ? '❌' : '⚠️';
    return `- ${icon} ${code(`${d.position.file}:${d.position.line}:${d.position.column}`)} ${cell(d.message)}`;
  });
  const more = plan.diagnostics.length - shown.length;
  const tail = more > 0 ? [`- … and ${more} more; run \`flagops validate\` for all of them.`] : [];
  return ['### Problems in the repository', '', ...shown, ...tail, ''].join('\n');
}

function approvalsSection(plan: Plan): string {
  if (plan.approvals.length === 0) return '';
  const items = plan.approvals.map((a) => {
    const stale = a.dismissStale ? ' Approvals given before the latest commit do not count.' : '';
    const who = a.reviewers ? ` Only ${a.reviewers.map(code).join(', ')} count.` : '';
    return `- ${code(a.application)}: **${count(a.approvals, 'approval')}** — ${cell(a.reason)}.${stale}${who}`;
  });
  return ['### Approvals', '', ...items, ''].join('\n');
}

function stripPrefix(text: string): string {
  return text.replace(/^on breach: /, '');
}

function valueCell(text: string): string {
  return text === '—' ? text : tableCode(text);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
