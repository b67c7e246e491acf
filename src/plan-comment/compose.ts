/**
 * The pull request's plan comment: the plan (renderMarkdown), then per changed target what runs
 * now against this change, and the percentage history as a chart. Pure: the action gathers the data.
 */
import { mdCode, mdProse, mdTableCode, mdText } from '../escape/markdown.ts';
import { renderMarkdown } from '../plan/index.ts';
import type { Plan } from '../plan/types.ts';
import { type BacktestSection, backtestSection } from './backtest.ts';
import { mermaidChart } from './chart.ts';
import { type DeployedView, deployedValue } from './deployed.ts';
import type { HistorySeries } from './history.ts';

export interface PlanCommentInput {
  plan: Plan;
  /** Per target id; absent entirely when there are no AWS credentials. */
  deployed?: Map<string, DeployedView>;
  /** Why nothing deployed is shown (a fork pull request has no credentials). */
  deployedUnavailable?: string;
  history: Map<string, HistorySeries[]>;
  /** Each changed guard's old and new rule replayed on recorded metrics, or why not. */
  backtest?: BacktestSection;
  /** Room for the plan itself; the rest keeps deployed values and charts. */
  limit?: number;
}

const show = (v: unknown) =>
  v === undefined ? '—' : mdTableCode(typeof v === 'string' ? v : JSON.stringify(v));

export function composePlanComment(input: PlanCommentInput): string {
  const extra: string[] = [];
  if (input.plan.targets.length > 0) {
    extra.push('### Against what is deployed');
    if (!input.deployed) {
      extra.push(
        `_Not compared: ${mdProse(input.deployedUnavailable ?? 'no AWS credentials in this run')}. The plan above is against the base branch only._`,
      );
    }
    for (const target of input.plan.targets) {
      const view = input.deployed?.get(target.id);
      if (view) extra.push(...deployedSection(target.id, target.changes, view));
    }
  }
  const charts: string[] = [];
  for (const target of input.plan.targets) {
    for (const series of input.history.get(target.id) ?? []) {
      if (series.points.length < 2) continue;
      charts.push(
        `**${mdText(target.id)}** — ${mdCode(series.key)}`,
        '',
        mermaidChart(`${target.environment}: ${series.key}`, series),
        '',
      );
    }
  }
  if (charts.length > 0) extra.push('', '### Percentage history', '', ...charts);
  extra.push(...backtestSection(input.backtest));
  const tail = extra.join('\n');
  const limit = (input.limit ?? 64_000) - tail.length - 10;
  return `${renderMarkdown(input.plan, Math.max(limit, 4_000))}\n\n${tail}`.trimEnd();
}

function deployedSection(
  id: string,
  changes: Plan['targets'][number]['changes'],
  view: DeployedView,
): string[] {
  if (view.status === 'not-deployed')
    return [`- **${mdText(id)}**: nothing deployed yet; this change is its first deployment.`];
  if (view.status === 'unreadable')
    return [`- **${mdText(id)}**: could not read what is deployed (${mdProse(view.message)}).`];
  const rows = changes
    .filter((c) => c.flag !== undefined && (c.kind === 'attribute' || c.kind === 'enabled'))
    .map((c) => {
      const attribute = c.attribute ?? 'enabled';
      const now = deployedValue(view.flags, c.flag!, attribute);
      const drift = JSON.stringify(now) !== JSON.stringify(c.before) ? ' ⚠️ differs from the base branch' : '';
      return `| ${mdTableCode(`${c.flag}.${attribute}`)} | ${show(now)}${drift} | ${show(c.before)} | ${show(c.after)} |`;
    });
  return [
    '',
    `**${mdText(id)}** — deployed version ${view.version}${view.label ? ` (${mdCode(view.label)})` : ''}`,
    '',
    ...(rows.length > 0
      ? ['| Value | Deployed now | Base branch | This pull request |', '|---|---|---|---|', ...rows]
      : ['_No flag values to compare._']),
  ];
}
