/**
 * One evaluation of a metric alarm: from the datapoints of its last EvaluationPeriods periods to
 * a state and the reason CloudWatch would give. Pure, so every TreatMissingData rule is easy to test.
 *
 * Missing data, as CloudWatch documents it:
 * - no datapoint at all: `missing` → INSUFFICIENT_DATA, `ignore` → keep the current state,
 *   `breaching` → ALARM, `notBreaching` → OK;
 * - some datapoints: `breaching` / `notBreaching` fill the gaps as breaching / good; `missing` and
 *   `ignore` judge the real datapoints alone, needing min(DatapointsToAlarm, real datapoints) breaches,
 *   because CloudWatch uses the missing-data rule "as few times as possible".
 */
import type { AlarmStateValue } from '../core.ts';

export const COMPARISONS = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const MISSING_DATA_TREATMENTS = ['missing', 'ignore', 'breaching', 'notBreaching'] as const;
export type MissingDataTreatment = (typeof MISSING_DATA_TREATMENTS)[number];

export interface Datapoint {
  /** Period start, epoch ms. */
  timestamp: number;
  value?: number;
}

export interface EvaluationInput {
  /** Oldest first, one per evaluated period. */
  datapoints: Datapoint[];
  threshold: number;
  comparison: Comparison;
  datapointsToAlarm: number;
  treatMissingData: MissingDataTreatment;
  currentState: AlarmStateValue;
}

export interface EvaluationOutcome {
  state: AlarmStateValue;
  reason: string;
  /** How many periods counted as breaching (missing ones included when treated so). */
  breaching: number;
}

const WORDS: Record<Comparison, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export function breaches(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

export function evaluateAlarm(input: EvaluationInput): EvaluationOutcome {
  const { datapoints, threshold, comparison, treatMissingData } = input;
  const periods = datapoints.length;
  const real = datapoints.filter((d): d is Required<Datapoint> => d.value !== undefined);
  const missing = periods - real.length;

  if (real.length === 0) {
    const treated = `no datapoints were received for ${periods} period${plural(periods)}`;
    switch (treatMissingData) {
      case 'missing':
        return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${treated}.`, breaching: 0 };
      case 'ignore':
        return {
          state: input.currentState,
          reason: `Unchecked: ${treated} and missing data is ignored, so the state stays ${input.currentState}.`,
          breaching: 0,
        };
      case 'breaching':
        return {
          state: 'ALARM',
          reason: `Threshold Crossed: ${treated} and ${missing} missing datapoint${plural(missing)} ${missing === 1 ? 'was' : 'were'} treated as [Breaching].`,
          breaching: missing,
        };
      case 'notBreaching':
        return {
          state: 'OK',
          reason: `Threshold Crossed: ${treated} and ${missing} missing datapoint${plural(missing)} ${missing === 1 ? 'was' : 'were'} treated as [NonBreaching].`,
          breaching: 0,
        };
    }
  }

  const breachingReal = real.filter((d) => breaches(d.value, comparison, threshold));
  let breaching = breachingReal.length;
  let needed = input.datapointsToAlarm;
  if (treatMissingData === 'breaching') breaching += missing;
  else if (treatMissingData !== 'notBreaching') needed = Math.min(needed, real.length);

  const alarm = breaching >= needed;
  const shown = (alarm ? breachingReal : real.filter((d) => !breaches(d.value, comparison, threshold)))
    .slice()
    .reverse()
    .map((d) => `${formatNumber(d.value)} (${formatTime(d.timestamp)})`);
  const counted = alarm ? breaching : periods - breaching;
  const verb = alarm ? `${counted === 1 ? 'was' : 'were'}` : `${counted === 1 ? 'was' : 'were'} not`;
  const missingNote =
    missing > 0 && (treatMissingData === 'breaching' || treatMissingData === 'notBreaching')
      ? ` (${missing} missing datapoint${plural(missing)} treated as [${treatMissingData === 'breaching' ? 'Breaching' : 'NonBreaching'}])`
      : '';
  const transition = alarm ? 'OK -> ALARM' : 'ALARM -> OK';
  const minimum = alarm ? needed : periods - needed + 1;
  return {
    state: alarm ? 'ALARM' : 'OK',
    reason:
      `Threshold Crossed: ${counted} out of the last ${periods} datapoint${plural(periods)} [${shown.join(', ')}]` +
      `${missingNote} ${verb} ${WORDS[comparison]} the threshold (${formatNumber(threshold)}) ` +
      `(minimum ${minimum} datapoint${plural(minimum)} for ${transition} transition).`,
    breaching,
  };
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

/** CloudWatch's reason format: dd/MM/yy HH:mm:ss in UTC. */
function formatTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}
