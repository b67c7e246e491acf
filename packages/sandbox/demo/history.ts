/**
 * Two weeks of recorded InfluxDB traffic for the story's guard change to be backtested on: the
 * minutes before the story starts, written through CloudWatch's own PutMetricData (as CloudWatch,
 * the sandbox accepts timestamps up to two weeks back). Requests follow the realistic generator
 * (`../src/traffic.ts`: a daily cycle with over-dispersed noise, errors as Bernoulli trials);
 * `SPELLS` lays known bad spells over it, so the old and the new rule's firings are known in
 * advance: a moderate spell trips `> 5 %` but not `> 8 %`, a severe one both, a one-minute spike
 * neither (one period short of `consecutive: 2`). Seeded: the same history on every run.
 */
import { generateTraffic } from '../src/traffic.ts';

export const HISTORY_NAMESPACE = 'ONS/TrafficSwitching';
const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/**
 * The history ends when it is written and starts 14 days minus this margin before: PutMetricData
 * refuses data older than two weeks, and the simulated clock runs on while the calls go out.
 */
const MARGIN_MINUTES = 180;
const PER_CALL = 1000;

/** A bad spell: from `day` days + `minute` minutes after the history's start, this error rate. */
export interface Spell {
  day: number;
  minute: number;
  minutes: number;
  errorPercent: number;
}

/**
 * All in the history's last three days: the backtest replays the 14 days before the pull request,
 * which opens some simulated days into the story (more on a slow machine: the clock runs 600× real
 * time), so the history's first days fall outside its range.
 */
export const SPELLS: readonly Spell[] = [
  { day: 11, minute: 9 * 60 + 12, minutes: 4, errorPercent: 6.5 },
  { day: 12, minute: 2 * 60 + 5, minutes: 1, errorPercent: 12 },
  { day: 12, minute: 14 * 60 + 40, minutes: 5, errorPercent: 12 },
  { day: 13, minute: 11 * 60 + 30, minutes: 3, errorPercent: 6.5 },
];

/** When each spell makes a rule `> threshold` over `consecutive` one-minute periods fire (epoch ms). */
export function expectedFirings(start: number, threshold: number, consecutive: number): number[] {
  return SPELLS.filter((s) => s.errorPercent > threshold && s.minutes >= consecutive).map(
    (s) => start + (s.day * DAY_MINUTES + s.minute + consecutive) * MINUTE_MS,
  );
}

export interface HistoryDatum {
  MetricName: 'RequestCount' | 'ErrorCount';
  Dimensions: Array<{ Name: string; Value: string }>;
  /** Epoch seconds, as the JSON protocol carries timestamps. */
  Timestamp: number;
  Value: number;
  Unit: 'Count';
}

/** The first minute of the history that ends at `until` (a whole minute). */
export function historyStart(until: number): number {
  return Math.floor(until / MINUTE_MS) * MINUTE_MS - (14 * DAY_MINUTES - MARGIN_MINUTES) * MINUTE_MS;
}

/** Minute data from `historyStart(until)` to `until`, oldest first. */
export function historyData(until: number): HistoryDatum[] {
  const start = historyStart(until);
  const minutes = 14 * DAY_MINUTES - MARGIN_MINUTES;
  // Only InfluxDB's traffic is modelled (its quarter of the API's queries): share 1 of a stream
  // whose daily cycle runs from 120 to 480 queries a minute, so no control traffic is drawn.
  const traffic = generateTraffic({
    seed: 22,
    minutes,
    trough: 120,
    peak: 480,
    startMinuteOfDay: Math.floor((start % (DAY_MINUTES * MINUTE_MS)) / MINUTE_MS),
    dispersion: 40,
    share: () => 1,
    treatment: { errorRate: 0.003, medianMs: 800, sigma: 0.4 },
    control: { errorRate: 0.004, medianMs: 1200, sigma: 0.4 },
    boundMs: 5000,
  });
  const spellAt = new Map<number, number>();
  for (const s of SPELLS)
    for (let i = 0; i < s.minutes; i++) spellAt.set(s.day * DAY_MINUTES + s.minute + i, s.errorPercent);
  const dimensions = [{ Name: 'Backend', Value: 'influxdb' }];
  const data: HistoryDatum[] = [];
  for (const m of traffic) {
    const requests = m.treatment.requests;
    const spell = spellAt.get(m.minute);
    const errors = spell === undefined ? m.treatment.errors : Math.round((requests * spell) / 100);
    const Timestamp = (start + m.minute * MINUTE_MS) / 1000;
    data.push({
      MetricName: 'RequestCount',
      Dimensions: dimensions,
      Timestamp,
      Value: requests,
      Unit: 'Count',
    });
    // Published only when non-zero, as the service does (the guard declares `fill: 0`).
    if (errors > 0)
      data.push({
        MetricName: 'ErrorCount',
        Dimensions: dimensions,
        Timestamp,
        Value: errors,
        Unit: 'Count',
      });
  }
  return data;
}

/**
 * Writes the history through PutMetricData (AWS JSON 1.0, as the v3 SDK speaks it), 1,000 data a
 * call, oldest first. Returns the number of calls.
 */
export async function putHistory(endpoint: string, data: HistoryDatum[]): Promise<number> {
  let calls = 0;
  for (let i = 0; i < data.length; i += PER_CALL) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData',
      },
      body: JSON.stringify({ Namespace: HISTORY_NAMESPACE, MetricData: data.slice(i, i + PER_CALL) }),
    });
    if (!response.ok) throw new Error(`PutMetricData failed (${response.status}): ${await response.text()}`);
    calls += 1;
  }
  return calls;
}
