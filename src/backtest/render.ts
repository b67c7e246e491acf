/** The backtest report as a person reads it in a terminal. Pure. */
import { unitText } from '../guards/evaluate.ts';
import { textChart } from './chart.ts';
import type { BacktestReport, GuardBacktest, RuleBacktest } from './run.ts';

export function renderBacktestText(report: BacktestReport): string {
  const lines = [`Backtest over ${report.days} day(s): ${report.from} to ${report.to}`];
  for (const note of report.notes) lines.push(`note: ${note}`);
  if (report.guards.length === 0) lines.push('No guard is added, removed or altered by this change.');
  for (const g of report.guards) {
    lines.push('', `${g.application}/${g.environment} · ${g.guard} (${g.kind})`);
    for (const side of ['old', 'new'] as const) {
      const rule = g[side];
      lines.push(`  ${side} rule: ${rule ? describeRule(rule, report.days) : 'none'}`);
    }
    lines.push(`  ${dataLine(g)}`);
    for (const l of chartLines(g, report)) lines.push(`  ${l}`);
  }
  lines.push(
    '',
    `${report.reads.calls} GetMetricData call(s), ${report.reads.datapoints} datapoint(s), ${report.reads.cached} of ${report.reads.asked} queries from the run's cache`,
  );
  return `${lines.join('\n')}\n`;
}

/** `> 5 % ×2 per 60 s: fired 3× in 14 days (12-03 10:04, …)` */
export function describeRule(rule: RuleBacktest, days: number, maxTimes = 6): string {
  const times = rule.episodes.slice(0, maxTimes).map(firingTime);
  const more = rule.episodes.length > maxTimes ? `, … ${rule.episodes.length - maxTimes} more` : '';
  return `${ruleText(rule)}: fired ${rule.fired}× in ${days} day(s)${times.length ? ` (${times.join(', ')}${more} UTC)` : ''}`;
}

export function ruleText(rule: RuleBacktest, unit?: string): string {
  const r = rule.rule;
  const per = r.windowMinutes !== undefined ? ` per ${r.windowMinutes} min` : '';
  const gate = r.minSamples ? `, gate ${r.minSamples.metric} ≥ ${r.minSamples.atLeast}` : '';
  return `${r.breachWhen.op} ${r.breachWhen.threshold}${unitText(unit)}${per} ×${r.consecutive} of ${r.periodSeconds} s${gate}`;
}

export function dataLine(g: GuardBacktest): string {
  const rule = g.new ?? g.old;
  const parts = [
    `${rule?.noDataMinutes ?? 0} min no-data`,
    `${rule?.gatedMinutes ?? 0} min below the sample gate`,
  ];
  parts.push(...applicabilityParts(g));
  return parts.join(' · ');
}

/** `30 min not applicable (x.percentage > 0 false, counted as applying)`, and unknown minutes. */
function applicabilityParts(g: GuardBacktest): string[] {
  if (g.notApplicableMinutes === null)
    return ['not-applicable minutes not reconstructed (counted as applying)'];
  const why =
    g.notApplicableBecause.length > 0
      ? ` (${g.notApplicableBecause.join('; ')} false, counted as applying)`
      : '';
  const parts = [`${g.notApplicableMinutes} min not applicable${why}`];
  if ((g.unknownMinutes ?? 0) > 0)
    parts.push(`${g.unknownMinutes} min before the first deployment listed (counted as applying)`);
  return parts;
}

/** `12-03 10:04`, marked `(n/a)` when the guard did not apply to what ran then. */
export function firingTime(e: RuleBacktest['episodes'][number]): string {
  return `${e.start.slice(5, 16).replace('T', ' ')}${e.notApplicable ? ' (n/a)' : ''}`;
}

export function chartLines(g: GuardBacktest, report: BacktestReport): string[] {
  const rules = (['old', 'new'] as const).flatMap((side) => {
    const r = g[side];
    return r
      ? [{ label: `${side} ${r.rule.breachWhen.op} ${r.rule.breachWhen.threshold}`, ...r.rule.breachWhen }]
      : [];
  });
  return textChart(g.chart, { from: Date.parse(report.from), to: Date.parse(report.to) }, rules);
}

/** `--json`: the guards with their firings, plus the range, notes and read counts. */
export function backtestJson(report: BacktestReport): string {
  const guards = report.guards.map(({ chart: _chart, ...g }) => g);
  return `${JSON.stringify({ ...report, guards }, null, 2)}\n`;
}
