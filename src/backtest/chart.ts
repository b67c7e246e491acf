/**
 * A guard's value over the backtest range as plain text: one sparkline of the value (the worst
 * value in each slice of time, the way the rule looks at it) and, per rule, a row marking the
 * slices where the value crosses that rule's threshold. Plain characters only, so it is safe inside
 * a Markdown code block and a terminal alike. Pure.
 */
import { compare } from '../guards/evaluate.ts';
import type { Comparison } from '../model/types.ts';

const LEVELS = '▁▂▃▄▅▆▇█';

export interface ChartRule {
  label: string;
  op: Comparison;
  threshold: number;
}

/** Slices of the range the chart shows. */
export const CHART_WIDTH = 56;

/** The worst value in each slice: the highest for a `>` rule, the lowest for a `<` one; null: none. */
export function worstPerSlice(
  values: Array<{ start: number; value?: number }>,
  range: { from: number; to: number },
  op: Comparison,
  width = CHART_WIDTH,
): Array<number | null> {
  const high = op === '>' || op === '>=';
  const slice = (range.to - range.from) / width;
  const worst: Array<number | null> = new Array(width).fill(null);
  for (const v of values) {
    if (v.value === undefined || !Number.isFinite(v.value)) continue;
    const i = Math.min(width - 1, Math.max(0, Math.floor((v.start - range.from) / slice)));
    const w = worst[i] ?? null;
    worst[i] = w === null ? v.value : high ? Math.max(w, v.value) : Math.min(w, v.value);
  }
  return worst;
}

export function textChart(
  worst: Array<number | null>,
  range: { from: number; to: number },
  rules: ChartRule[],
): string[] {
  const op = rules[0]?.op ?? '>';
  const high = op === '>' || op === '>=';
  const slice = (range.to - range.from) / Math.max(1, worst.length);
  const seen = worst.filter((v): v is number => v !== null);
  if (seen.length === 0) return ['(no values in this range)'];
  const top = Math.max(...seen, ...rules.map((r) => r.threshold));
  const bottom = Math.min(0, ...seen);
  const level = (v: number) =>
    LEVELS[Math.round(((v - bottom) / (top - bottom || 1)) * (LEVELS.length - 1))] as string;
  const labelWidth = Math.max(5, ...rules.map((r) => r.label.length));
  const hours = Math.round((slice / 3_600_000) * 10) / 10;
  const lines = [
    `${'value'.padEnd(labelWidth)} ${worst.map((v) => (v === null ? ' ' : level(v))).join('')}  ${high ? 'max' : 'min'} per ${hours} h, ${round(bottom)} to ${round(top)}`,
  ];
  for (const r of rules) {
    const row = worst.map((v) => (v !== null && compare(v, r.op, r.threshold) ? '^' : '·')).join('');
    lines.push(`${r.label.padEnd(labelWidth)} ${row}`);
  }
  return lines;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
