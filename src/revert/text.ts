/**
 * The words of an automatic revert: branch name, pull request title and body with the evidence,
 * and the comment on the original pull request. Pure.
 */
import { type TargetRef, targetId } from '../core/target.ts';
import { mdCode, mdProse, mdText } from '../escape/markdown.ts';
import type { Breach } from '../guards/verdict.ts';
import { describeBreach } from '../guards/verdict.ts';

export const REVERT_BRANCH_PREFIX = 'flagops/revert';

/** What was rolled back and why: what the deploy/bake steps (or `flagops rollback`) know. */
export interface RevertEvidence {
  target: TargetRef;
  breaches: Breach[];
  /** Free text when no guard or alarm tripped (a manual `flagops rollback --reason`). */
  reason?: string;
  /** The deployment that was rolled back, and the version it carried. */
  deploymentNumber?: number;
  badVersion?: { number: number; label?: string };
  /** What runs now (the version the file is restored to). */
  serving?: { number: number; label?: string };
  rollbackAction?: string;
  /** A redeploy of the previous version is a deployment of its own. */
  redeployNumber?: number;
  deployedAt?: number;
  rolledBackAt?: number;
  runUrl?: string;
}

/** Everything the text needs besides the evidence. */
export interface RevertFacts {
  file: string;
  /** The commit whose content was rolled back (from the version label), abbreviated. */
  badCommit?: string;
  originalPull?: { number: number; url: string; author: string };
  /** `key: old → new` lines of the restoring edit. */
  changes: string[];
}

/** `flagops/revert/<app>/<env>/<profile>/<sha7>`: one branch (and pull request) per rolled-back commit. */
export function revertBranch(target: TargetRef, badCommit: string | undefined): string {
  const sha7 = (badCommit ?? 'unknown').slice(0, 7);
  return `${REVERT_BRANCH_PREFIX}/${target.application}/${target.environment}/${target.profile}/${sha7}`;
}

/** The branch prefix every revert of one target shares (what a hold looks for). */
export function revertBranchPrefix(target: TargetRef): string {
  return `${REVERT_BRANCH_PREFIX}/${target.application}/${target.environment}/${target.profile}/`;
}

/** One phrase: the first breach in short, e.g. `guard payment-failure-rate`. */
export function whatBreached(evidence: Pick<RevertEvidence, 'breaches' | 'reason'>): string {
  const first = evidence.breaches[0];
  if (!first) return evidence.reason ?? 'rolled back';
  const head =
    first.kind === 'guard'
      ? `guard ${first.guard} breached`
      : first.kind === 'alarm'
        ? `alarm ${first.alarm} in ALARM`
        : `AppConfig rolled back deployment ${first.deploymentNumber}`;
  return evidence.breaches.length > 1 ? `${head} (+${evidence.breaches.length - 1} more)` : head;
}

export function revertTitle(evidence: RevertEvidence): string {
  const title = `Revert ${evidence.target.application}/${evidence.target.environment}: ${whatBreached(evidence)}`;
  return title.length <= 200 ? title : `${title.slice(0, 199)}…`;
}

const iso = (ms: number | undefined) =>
  ms === undefined ? '—' : new Date(ms).toISOString().replace('.000Z', 'Z');
const num = (v: number | undefined) => (v === undefined ? '—' : String(Math.round(v * 100) / 100));
const version = (v: { number: number; label?: string } | undefined) =>
  v ? `version ${v.number}${v.label ? ` (${mdCode(v.label)})` : ''}` : 'nothing';

/** Markdown for one breach: a guard gets its periods against the threshold as a table. */
export function breachEvidence(b: Breach): string[] {
  if (b.kind !== 'guard') return [`- ${mdProse(describeBreach(b))} — at ${iso(b.at)}`];
  const unit = b.unit ? ` ${b.unit}` : '';
  const threshold = `${b.breachWhen.op} ${b.breachWhen.threshold}${unit}`;
  return [
    `- guard **${mdText(b.guard)}** breached ${mdCode(threshold)} for ${b.consecutive} consecutive period(s), visible at ${iso(b.at)}:`,
    '',
    '  | Period (UTC) | Value | Threshold | Samples | Outcome |',
    '  |---|---|---|---|---|',
    ...b.periods.map(
      (p) =>
        `  | ${iso(p.start)} – ${iso(p.end).slice(11)} | ${num(p.value)}${unit} | ${threshold} | ${p.samples ?? '—'} | ${p.outcome} |`,
    ),
    '',
  ];
}

export function revertBody(evidence: RevertEvidence, facts: RevertFacts): string {
  const t = evidence.target;
  const lines = [
    `flagops rolled back **${mdText(targetId(t))}** and opened this pull request so \`main\` says what AppConfig serves again.`,
    '',
    `While this pull request is open the target is **held**: deploying it is refused unless the content equals what runs. Merge it to make \`main\` match (the deploy is then a no-op), or close it unmerged to release the hold on purpose.`,
    '',
    '### What breached',
    ...(evidence.breaches.length > 0
      ? evidence.breaches.flatMap(breachEvidence)
      : [`- ${mdProse(evidence.reason ?? 'no reason given')}`]),
    '',
    '### Deployments',
    '| | |',
    '|---|---|',
    `| Rolled back | deployment ${evidence.deploymentNumber ?? '—'}: ${version(evidence.badVersion)}${facts.badCommit ? ` from commit ${facts.badCommit}` : ''}, deployed ${iso(evidence.deployedAt)} |`,
    `| Rollback | ${mdText(evidence.rollbackAction ?? '—')}${evidence.redeployNumber !== undefined ? ` (deployment ${evidence.redeployNumber})` : ''} at ${iso(evidence.rolledBackAt)} |`,
    `| Serving now | ${version(evidence.serving)} |`,
    ...(evidence.runUrl ? [`| Run | ${evidence.runUrl} |`] : []),
    ...(facts.originalPull
      ? [`| Original pull request | #${facts.originalPull.number} by @${facts.originalPull.author} |`]
      : []),
    '',
    `### This change to ${mdCode(facts.file)}`,
    ...(facts.changes.length > 0
      ? facts.changes.map((c) => `- ${mdCode(c)}`)
      : ['- no value changes: the file already says what runs']),
    '',
    '_Opened by flagops automatically; re-running the revert updates this pull request._',
  ];
  return lines.join('\n');
}

export function originalPullComment(
  evidence: RevertEvidence,
  revert: { number: number; url: string },
): string {
  const t = evidence.target;
  return [
    `:rewind: **${mdText(targetId(t))}** was rolled back after this change deployed: ${mdProse(whatBreached(evidence))}.`,
    '',
    ...(evidence.breaches.length > 0 ? evidence.breaches.map((b) => `- ${mdProse(describeBreach(b))}`) : []),
    '',
    `Automatic revert: #${revert.number} (${revert.url}). The target is held until it is merged or closed.`,
    ...(evidence.runUrl ? ['', `Run: ${evidence.runUrl}`] : []),
  ].join('\n');
}
