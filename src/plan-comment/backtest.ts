/**
 * The plan comment's "Backtest" section: per guard the change adds, removes or alters, how often
 * the old and the new rule would have fired over the replayed days, when, how many minutes had no
 * data or were below the sample gate, and a plain-text chart of the value against both thresholds.
 * Every piece of data (guard and environment names, thresholds) is escaped where it lands. Pure.
 */

import { chartLines, dataLine, firingTime, ruleText } from '../backtest/render.ts';
import type { BacktestReport, GuardBacktest, RuleBacktest } from '../backtest/run.ts';
import { mdCode, mdCodeBlock, mdProse, mdText } from '../escape/markdown.ts';

export type BacktestSection = { report: BacktestReport } | { unavailable: string };

/** Firing times listed per rule before "… N more". */
const TIMES_SHOWN = 5;

export function backtestSection(section: BacktestSection | undefined, limit = 12_000): string[] {
  if (section === undefined) return [];
  if ('unavailable' in section)
    return ['', '### Backtest', '', `_Not run: ${mdProse(section.unavailable)}._`];
  const { report } = section;
  if (report.guards.length === 0) return [];
  const lines = [
    '',
    '### Backtest',
    '',
    `_Each changed guard's old and new rule replayed over the last ${report.days} day(s) of CloudWatch data (${mdText(report.from.slice(0, 16))} to ${mdText(report.to.slice(0, 16))} UTC) with the bake's own evaluator. A firing is a streak reaching \`consecutive\`; one episode counts once until the guard is healthy again._`,
    ...report.notes.map((n) => `- ${mdProse(n)}`),
  ];
  let used = lines.join('\n').length;
  report.guards.forEach((g, i) => {
    const block = guardBlock(g, report);
    if (used + block.length > limit) {
      if (!lines.at(-1)?.startsWith('_…'))
        lines.push(
          '',
          `_… ${report.guards.length - i} more guard(s): run \`flagops backtest\` to see them._`,
        );
      return;
    }
    used += block.length;
    lines.push('', block);
  });
  return lines;
}

function guardBlock(g: GuardBacktest, report: BacktestReport): string {
  const head = `**${mdText(g.environment)} · ${mdCode(g.guard)}** (${g.kind})`;
  const rules = (['old', 'new'] as const).map((side) => {
    const rule = g[side];
    return rule
      ? `${side} rule ${mdCode(ruleText(rule))}: ${firings(rule, report.days)}`
      : `${side} rule: none`;
  });
  return [
    `${head}: ${rules.join(' · ')} · ${mdText(dataLine(g))}`,
    '',
    mdCodeBlock(chartLines(g, report).join('\n'), 'text'),
  ].join('\n');
}

function firings(rule: RuleBacktest, days: number): string {
  const times = rule.episodes.slice(0, TIMES_SHOWN).map(firingTime);
  const more = rule.episodes.length > TIMES_SHOWN ? `, … ${rule.episodes.length - TIMES_SHOWN} more` : '';
  return `fired ${rule.fired}× in ${days} days${times.length > 0 ? ` (${mdText(`${times.join(', ')}${more} UTC`)})` : ''}`;
}
