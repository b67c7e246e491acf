/**
 * Recorded CloudWatch history for backtests: minute-by-minute datapoints written through the real
 * PutMetricData (at most 1,000 data per call, as CloudWatch allows), oldest first so the earliest
 * ones are still within the two weeks CloudWatch accepts when they arrive. `noise` is a small seeded
 * generator, so a history is the same on every run.
 */
import { CloudWatchClient, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';

export interface HistoryPoint {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  /** Epoch ms. */
  timestamp: number;
  value: number;
  unit?: StandardUnit;
}

const PER_CALL = 1000;

/** Writes every point; returns how many PutMetricData calls it took. */
export async function putHistory(env: Record<string, string>, points: HistoryPoint[]): Promise<number> {
  const client = new CloudWatchClient({
    endpoint: env['AWS_ENDPOINT_URL'] ?? 'http://127.0.0.1',
    region: env['AWS_REGION'] ?? 'eu-west-2',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  });
  const byNamespace = new Map<string, HistoryPoint[]>();
  for (const p of [...points].sort((a, b) => a.timestamp - b.timestamp)) {
    const list = byNamespace.get(p.namespace);
    if (list) list.push(p);
    else byNamespace.set(p.namespace, [p]);
  }
  let calls = 0;
  try {
    for (const [namespace, list] of byNamespace) {
      for (let i = 0; i < list.length; i += PER_CALL) {
        await client.send(
          new PutMetricDataCommand({
            Namespace: namespace,
            MetricData: list.slice(i, i + PER_CALL).map((p) => ({
              MetricName: p.name,
              Dimensions: Object.entries(p.dimensions).map(([Name, Value]) => ({ Name, Value })),
              Timestamp: new Date(p.timestamp),
              Value: p.value,
              Unit: p.unit ?? 'Count',
            })),
          }),
        );
        calls += 1;
      }
    }
  } finally {
    client.destroy();
  }
  return calls;
}

/** A seeded generator of numbers in [0, 1) (mulberry32): noise that repeats run after run. */
export function noise(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One point per minute from `from` (inclusive) to `to` (exclusive), stamped mid-minute. */
export function everyMinute(
  from: number,
  to: number,
  point: (minuteStart: number, index: number) => Array<Omit<HistoryPoint, 'timestamp'>>,
): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  let i = 0;
  for (let t = from; t < to; t += 60_000, i += 1)
    for (const p of point(t, i)) out.push({ ...p, timestamp: t + 30_000 });
  return out;
}
