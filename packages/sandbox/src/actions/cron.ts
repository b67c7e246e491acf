/**
 * POSIX cron, as `on.schedule` reads it: five fields (minute, hour, day of month, month, day of
 * week), in UTC, each `*`, a value, a range `a-b`, a step `*\/n` or `a-b/n`, or a list of those;
 * months and weekdays also by their three-letter English names, weekday 7 = Sunday. When both day
 * fields are restricted, a day matches either (cron's rule). GitHub documents the syntax at
 * https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule
 */

export interface Cron {
  source: string;
  matches(epochMs: number): boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** First value the names stand for (JAN = 1, SUN = 0). */
  namesFrom?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

export class CronError extends Error {}

function value(text: string, spec: FieldSpec, cron: string): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + (spec.namesFrom ?? 0);
  if (!/^\d+$/.test(text) || Number(text) < spec.min || Number(text) > spec.max)
    throw new CronError(
      `cron "${cron}": ${spec.name} "${text}" is not a value from ${spec.min} to ${spec.max}`,
    );
  return Number(text);
}

/** The set of values a field allows, and whether it was `*` (unrestricted). */
function field(text: string, spec: FieldSpec, cron: string): { values: Set<number>; any: boolean } {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined || range === '')
      throw new CronError(`cron "${cron}": ${spec.name} "${part}" is not a value, range or step`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || (stepText !== undefined && !/^\d+$/.test(stepText)))
      throw new CronError(`cron "${cron}": ${spec.name} step "${stepText}" is not a positive whole number`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.name === 'day of week' ? 6 : spec.max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = value(a, spec, cron);
      to = value(b, spec, cron);
      if (from > to) throw new CronError(`cron "${cron}": ${spec.name} range "${range}" runs backwards`);
    } else {
      from = value(range, spec, cron);
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) values.add(spec.name === 'day of week' && v === 7 ? 0 : v);
  }
  // Cron's day rule counts a field starting with `*` as unrestricted, steps included.
  return { values, any: text.startsWith('*') };
}

export function parseCron(source: string): Cron {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new CronError(
      `cron "${source}" has ${parts.length} fields; on.schedule takes five (minute hour day-of-month month day-of-week)`,
    );
  const [minute, hour, dom, month, dow] = parts.map((p, i) => field(p, FIELDS[i]!, source)) as [
    ReturnType<typeof field>,
    ReturnType<typeof field>,
    ReturnType<typeof field>,
    ReturnType<typeof field>,
    ReturnType<typeof field>,
  ];
  return {
    source,
    matches(epochMs: number): boolean {
      const t = new Date(epochMs);
      if (!minute.values.has(t.getUTCMinutes()) || !hour.values.has(t.getUTCHours())) return false;
      if (!month.values.has(t.getUTCMonth() + 1)) return false;
      const domOk = dom.values.has(t.getUTCDate());
      const dowOk = dow.values.has(t.getUTCDay());
      if (dom.any && dow.any) return true;
      if (dom.any) return dowOk;
      if (dow.any) return domOk;
      return domOk || dowOk;
    },
  };
}
