/**
 * The decisions suite: per-minute traces of the InfluxDB backend during a production release
 * (canary 10 min, AppConfig's final bake 5 min, flagops' bake 15 min: minutes 0–29), each with the
 * call the migration guide's rules make on it and why. The first five are the issue's wrong calls.
 */
import type { Minute, Trace } from './decisions-player.ts';

const BAKE_MINUTES = 30;
const healthy: Minute = { requests: 300, errors: 1 };

/** `n` minutes of `m`, some replaced by minute index (`{}`: nothing published that minute). */
function minutes(n: number, m: Minute, replaced: Record<number, Minute> = {}): Minute[] {
  return Array.from({ length: n }, (_, i) => replaced[i] ?? m);
}

export const TRACES: Trace[] = [
  {
    name: 'metrics stop mid-bake',
    minutes: minutes(4, healthy),
    expected: 'unverified',
    why: '4 healthy minutes prove nothing about the 26 that were never observed: no rollback, but no "healthy" either',
  },
  {
    name: 'ErrorCount published only when non-zero',
    // 7 %, (no ErrorCount datapoint: 0 %), 7 %: never two breaching minutes in a row.
    minutes: minutes(
      BAKE_MINUTES,
      { requests: 300 },
      { 5: { requests: 300, errors: 21 }, 7: { requests: 300, errors: 21 } },
    ),
    expected: 'healthy',
    why: 'a minute with 300 requests and no ErrorCount datapoint is 0 % errors (fill 0 where the gate passes), which breaks the streak',
  },
  {
    name: '12 connection failures straddling a 5-minute boundary',
    minutes: minutes(BAKE_MINUTES, healthy, {
      4: { ...healthy, failures: 6 },
      5: { ...healthy, failures: 6 },
    }),
    expected: 'rolled-back',
    metAfterMinute: 5,
    why: '"more than 10 per 5 minutes" slides: 6 + 6 in minutes 4–5 is 12 in one 5-minute window, caught when the second burst minute ends',
  },
  {
    name: 'breach at the end of the bake, 90 s ingestion lag',
    minutes: minutes(
      BAKE_MINUTES,
      { ...healthy, lagSeconds: 90 },
      {
        28: { requests: 300, errors: 21, lagSeconds: 90 },
        29: { requests: 300, errors: 24, lagSeconds: 90 },
      },
    ),
    expected: 'rolled-back',
    metAfterMinute: 29,
    why: 'both breaching minutes lie inside the bake; the bake waits for their late data (within the allowance) instead of ending on the clock',
    appconfig: { call: 'healthy', why: "AppConfig's monitors stop at COMPLETE (minute 15)" },
  },
  {
    name: 'breach at the end of the bake, only ErrorCount 100 s late',
    minutes: minutes(
      BAKE_MINUTES,
      { ...healthy, errorLagSeconds: 100 },
      {
        28: { requests: 300, errors: 21, errorLagSeconds: 100 },
        29: { requests: 300, errors: 24, errorLagSeconds: 100 },
      },
    ),
    expected: 'rolled-back',
    metAfterMinute: 29,
    why: 'RequestCount arriving first does not make a minute 0 % errors: the minute waits (within the 120 s allowance) for ErrorCount, which a CloudWatch Logs metric filter publishes late',
    appconfig: { call: 'healthy', why: "AppConfig's monitors stop at COMPLETE (minute 15)" },
  },
  {
    name: 'sparse traffic: 20 % errors of 5 requests',
    minutes: minutes(BAKE_MINUTES, { requests: 5, errors: 1 }),
    expected: 'unverified',
    why: '5 requests a minute is below the per-minute sample gate (20): too little traffic to judge the rates, so hold — never roll back on 1 error in 5; the managed alarms carry the same gate, so AppConfig does not roll back either',
  },
  {
    name: 'flapping error rate',
    minutes: minutes(
      BAKE_MINUTES,
      healthy,
      Object.fromEntries([3, 5, 7, 9, 11, 13].map((k) => [k, { requests: 300, errors: 24 }])),
    ),
    expected: 'healthy',
    why: '8 % every other minute never makes 2 consecutive breaching periods; the guide asks for consecutive',
  },
  {
    name: 'one-minute spike',
    minutes: minutes(BAKE_MINUTES, healthy, { 12: { requests: 300, errors: 150 } }),
    expected: 'healthy',
    why: 'one minute at 50 % is one breaching period of the 2 in a row the rule needs',
  },
  {
    name: 'sustained overload while the canary grows',
    minutes: minutes(
      BAKE_MINUTES,
      healthy,
      Object.fromEntries([6, 7, 8].map((k) => [k, { requests: 300, errors: 36 }])),
    ),
    expected: 'rolled-back',
    metAfterMinute: 7,
    why: '12 % in minutes 6 and 7: two consecutive breaching periods',
  },
  {
    name: 'all datapoints 90 s late, healthy',
    minutes: minutes(BAKE_MINUTES, { ...healthy, lagSeconds: 90 }),
    expected: 'healthy',
    why: 'late is not missing: every period arrives within the ingestion allowance',
  },
  {
    name: 'a 3-minute gap in the middle',
    minutes: minutes(BAKE_MINUTES, healthy, { 17: {}, 18: {}, 19: {} }),
    expected: 'unverified',
    why: 'minutes 17–19 were never observed; the guards declare full coverage',
  },
  {
    name: 'partial metrics: Timestream response time never published',
    minutes: minutes(BAKE_MINUTES, { ...healthy, timestreamMs: null }),
    expected: 'unverified',
    why: 'the latency gap needs both backends; without Timestream it was never observed, so the bake cannot be called healthy',
  },
  {
    name: 'zero-traffic minutes',
    minutes: minutes(BAKE_MINUTES, healthy, {
      21: { requests: 0, errors: 0 },
      22: { requests: 0, errors: 0 },
    }),
    expected: 'unverified',
    why: 'two minutes with 0 requests are below the gate: nothing was observed then',
  },
  {
    name: 'breach in the first two minutes',
    minutes: minutes(BAKE_MINUTES, healthy, {
      0: { requests: 300, errors: 30 },
      1: { requests: 300, errors: 30 },
    }),
    expected: 'rolled-back',
    metAfterMinute: 1,
    why: "10 % in minutes 0 and 1 — the bake watches from the deployment's first second",
  },
  {
    name: 'breach only after the bake',
    minutes: minutes(BAKE_MINUTES + 3, healthy, {
      31: { requests: 300, errors: 30 },
      32: { requests: 300, errors: 30 },
    }),
    expected: 'healthy',
    why: "every period the bake covers was healthy and no streak was open at its end; later minutes are a soak watch's business",
  },
  {
    name: 'a streak completed by the first period after the bake',
    minutes: minutes(BAKE_MINUTES + 2, healthy, {
      29: { requests: 300, errors: 30 },
      30: { requests: 300, errors: 30 },
    }),
    expected: 'rolled-back',
    metAfterMinute: 30,
    why: 'minute 29 (inside) breaches with the streak one short; the bake waits one period, and minute 30 completes it',
    appconfig: { call: 'healthy', why: "AppConfig's monitors stop at COMPLETE (minute 15)" },
  },
  {
    name: 'success rate below 95 % around a gated minute',
    minutes: minutes(BAKE_MINUTES, healthy, {
      9: { requests: 300, errors: 1, successes: 270 },
      10: { requests: 300, errors: 1, successes: 270 },
      11: { requests: 5, errors: 0 },
      12: { requests: 300, errors: 1, successes: 270 },
    }),
    expected: 'rolled-back',
    metAfterMinute: 12,
    why: '90 % success (the error rate stays 0.3 %) in minutes 9, 10 and 12; the gated minute 11 neither breaks nor extends the streak, so it reaches 3',
    appconfig: {
      call: 'healthy',
      why: 'CloudWatch judges the last 3 periods: the gated minute counts as not breaching (notBreaching) and breaks its run',
    },
  },
  {
    name: '100 %: Timestream takes no traffic by design',
    percentage: 100,
    minutes: minutes(BAKE_MINUTES, { ...healthy, timestreamMs: null }),
    expected: 'healthy',
    why: 'the latency gap compares with Timestream, which serves nothing at 100 %: it does not apply (applies_when), so every guard that applies was observed in every period',
  },
  {
    name: '100 %: error rate breach',
    percentage: 100,
    minutes: minutes(
      BAKE_MINUTES,
      { ...healthy, timestreamMs: null },
      Object.fromEntries([17, 18].map((k) => [k, { requests: 300, errors: 30, timestreamMs: null }])),
    ),
    expected: 'rolled-back',
    metAfterMinute: 18,
    why: 'the InfluxDB guards still apply at 100 %: 10 % errors in minutes 17 and 18 is 2 consecutive breaching periods',
    appconfig: { call: 'healthy', why: "AppConfig's monitors stop at COMPLETE (minute 15)" },
  },
  {
    name: "the first step's canary below the sample gate",
    percentage: 10,
    // The canary's first share of 10 % of little traffic: 12 requests a minute, then it grows.
    minutes: minutes(
      BAKE_MINUTES,
      { requests: 120, errors: 0 },
      {
        0: { requests: 12, errors: 0 },
        1: { requests: 12, errors: 1 },
        2: { requests: 12, errors: 0 },
        3: { requests: 24, errors: 0 },
        4: { requests: 48, errors: 0 },
        5: { requests: 96, errors: 1 },
      },
    ),
    expected: 'healthy',
    why: 'minutes below the gate while AppConfig still rolls out are not owed (the canary carries a share of the step by design) and never judged on 12 requests; every minute after the deployment completes was observed',
  },
  {
    name: '0 %: queries enabled, InfluxDB takes no traffic by design',
    percentage: 0,
    minutes: minutes(BAKE_MINUTES, { requests: 0, errors: 0 }),
    expected: 'healthy',
    why: "the guide's Phase 1: no InfluxDB guard applies at 0 % (applies_when), so nothing is owed; the watched alarms exist and stay OK",
  },
  {
    name: 'InfluxDB 12 s slower than Timestream',
    minutes: minutes(
      BAKE_MINUTES,
      healthy,
      Object.fromEntries([4, 5, 6, 7].map((k) => [k, { ...healthy, influxMs: 13_500 }])),
    ),
    expected: 'rolled-back',
    metAfterMinute: 6,
    why: 'the latency gap (12.3 s) and the response time (13.5 s) breach 3 periods in a row',
  },
];
