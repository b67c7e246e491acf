/**
 * A percentage history as a mermaid `xychart-beta` line chart (GitHub renders mermaid blocks in
 * comments). Pure. Labels are quoted and stripped of quotes so a commit label cannot break the chart.
 */
import type { HistorySeries } from './history.ts';

const clean = (s: string) => s.replace(/["`\n\r]/g, '').slice(0, 40);

export function mermaidChart(title: string, series: HistorySeries): string {
  const points = series.points;
  const labels = points.map((p) => `"${clean(p.date === 'proposed' ? p.commit : `${p.commit} ${p.date}`)}"`);
  const max = Math.max(100, ...points.map((p) => p.value));
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${clean(title)}"`,
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "${clean(series.key.split('.').pop() ?? 'value')}" 0 --> ${max}`,
    `  line [${points.map((p) => p.value).join(', ')}]`,
    '```',
  ].join('\n');
}
