/**
 * `npm run bench -- judge`: the comparative judge against today's threshold rules on the same
 * generated traffic. A/A rollouts (InfluxDB identical to Timestream) count false rollbacks; harmful
 * ones (2× the errors, +30 % latency, a p95 tail with the average unchanged) count detections.
 * Each rollout is one step at 50 %: the bake (30 min) and a day's soak, at low traffic (5–50
 * queries a minute, both backends together), looked at every minute. Pure and in-process.
 */
import {
  alphaPerTest,
  emptyState,
  type JudgeOptions,
  type JudgeState,
  type PeriodCounts,
  update,
  verdict,
} from '../src/judge/compare.ts';
import {
  type BackendModel,
  generateTraffic,
  lognormalQuantile,
  type TrafficMinute,
} from '../testkit/traffic.ts';
import { type BenchResult, median } from './lib.ts';

const ROLLOUTS = 201;
const MINUTES = 30 + 24 * 60;
const BUDGET = 0.05;
/** Requests (both backends) where the confidence sequence is tightest: about a day at this traffic. */
const TUNING = 20_000;
const BASE: BackendModel = { errorRate: 0.01, medianMs: 800, sigma: 0.6 };
const BOUND_MS = lognormalQuantile(BASE, 0.05);

type Harm = 'none' | 'errors' | 'latency' | 'tail';

const HARMED: Record<Harm, BackendModel> = {
  none: BASE,
  errors: { ...BASE, errorRate: 2 * BASE.errorRate },
  latency: { ...BASE, medianMs: BASE.medianMs * 1.3 },
  tail: { ...BASE, tailShare: 0.1, tailFactor: 4 },
};

/** The comparative guards of app.yaml: what each counts per backend, and its margin. */
const GUARDS: Array<{
  name: string;
  x: (m: TrafficMinute['treatment']) => number;
  margin: number;
  events: boolean;
}> = [
  { name: 'errors', x: (m) => m.errors, margin: 0.25, events: true },
  { name: 'mean latency', x: (m) => m.latencySumMs, margin: 0.2, events: false },
  { name: 'share over the p95 bound', x: (m) => m.overBound, margin: 0.25, events: true },
];

function traffic(seed: number, harm: Harm): TrafficMinute[] {
  return generateTraffic({
    seed,
    minutes: MINUTES,
    trough: 5,
    peak: 50,
    startMinuteOfDay: (seed * 97) % 1440,
    dispersion: 4,
    share: () => 0.5,
    treatment: HARMED[harm],
    control: BASE,
    boundMs: BOUND_MS,
  });
}

/** The minute (1-based) the comparative judge calls HARM on any guard, or undefined. */
function comparativeJudge(minutes: TrafficMinute[]): number | undefined {
  const alpha = alphaPerTest(BUDGET, GUARDS.length, 1);
  const states: JudgeState[] = GUARDS.map(() => emptyState());
  for (const m of minutes) {
    for (const [i, g] of GUARDS.entries()) {
      const period: PeriodCounts = {
        start: m.minute * 60_000,
        treatment: { x: g.x(m.treatment), y: m.treatment.requests },
        control: { x: g.x(m.control), y: m.control.requests },
      };
      states[i] = update(states[i] as JudgeState, [period]);
      const options: JudgeOptions = { margin: g.margin, alpha, events: g.events, tuningRequests: TUNING };
      if (verdict(states[i] as JudgeState, options).kind === 'HARM') return m.minute + 1;
    }
  }
  return undefined;
}

/**
 * Today's rules on InfluxDB's minutes (app.yaml's threshold guards): error rate > 5 % for 2, success
 * rate < 95 % for 3, average response > 5 s for 3, InfluxDB more than 10 s slower than Timestream
 * for 3 consecutive minutes, each gated at 20 requests a minute (below: neither breach nor reset).
 */
function thresholdRules(minutes: TrafficMinute[]): number | undefined {
  const rules: Array<{ breach: (m: TrafficMinute) => boolean; consecutive: number }> = [
    { breach: (m) => m.treatment.errors / m.treatment.requests > 0.05, consecutive: 2 },
    {
      breach: (m) => (m.treatment.requests - m.treatment.errors) / m.treatment.requests < 0.95,
      consecutive: 3,
    },
    { breach: (m) => m.treatment.latencySumMs / m.treatment.requests > 5000, consecutive: 3 },
    {
      breach: (m) =>
        m.control.requests > 0 &&
        m.treatment.latencySumMs / m.treatment.requests - m.control.latencySumMs / m.control.requests >
          10_000,
      consecutive: 3,
    },
  ];
  const streaks = rules.map(() => 0);
  for (const m of minutes) {
    if (m.treatment.requests < 20) continue;
    for (const [i, r] of rules.entries()) {
      streaks[i] = r.breach(m) ? (streaks[i] as number) + 1 : 0;
      if ((streaks[i] as number) >= r.consecutive) return m.minute + 1;
    }
  }
  return undefined;
}

export async function run(): Promise<BenchResult> {
  const started = performance.now();
  let falseRollbacks = 0;
  let thresholdFalse = 0;
  for (let seed = 1; seed <= ROLLOUTS; seed++) {
    const minutes = traffic(seed, 'none');
    if (comparativeJudge(minutes) !== undefined) falseRollbacks += 1;
    if (thresholdRules(minutes) !== undefined) thresholdFalse += 1;
  }
  const harms: Harm[] = ['errors', 'latency', 'tail'];
  const detectMinutes: number[] = [];
  let thresholdDetected = 0;
  const perHarm = new Map<Harm, { judge: number[]; threshold: number; n: number }>();
  for (let i = 0; i < ROLLOUTS; i++) {
    const harm = harms[i % harms.length] as Harm;
    const minutes = traffic(100_000 + i, harm);
    const at = comparativeJudge(minutes);
    const rule = thresholdRules(minutes);
    const row = perHarm.get(harm) ?? { judge: [], threshold: 0, n: 0 };
    row.n += 1;
    if (at !== undefined) {
      detectMinutes.push(at);
      row.judge.push(at);
    }
    if (rule !== undefined) {
      thresholdDetected += 1;
      row.threshold += 1;
    }
    perHarm.set(harm, row);
  }
  const summary = {
    aaRollouts: ROLLOUTS,
    falseRollbacks,
    harmRollouts: ROLLOUTS,
    detected: detectMinutes.length,
    medianDetectMinutes: detectMinutes.length > 0 ? median(detectMinutes) : null,
    thresholdRules: { falseRollbacks: thresholdFalse, detected: thresholdDetected },
  };
  const rows = [...perHarm.entries()].map(([harm, r]) => [
    harm,
    String(r.n),
    `${r.judge.length} (${r.judge.length > 0 ? median(r.judge) : '—'} min)`,
    String(r.threshold),
  ]);
  rows.unshift(['A/A (no harm)', String(ROLLOUTS), `${falseRollbacks} false`, `${thresholdFalse} false`]);
  return {
    title: 'judge: comparative judge vs threshold rules (A/A and harmful rollouts)',
    table: { headers: ['rollouts', 'n', 'comparative judge (median detect)', 'threshold rules'], rows },
    notes: [
      `each rollout: one step at 50 %, bake 30 min + soak 24 h = ${MINUTES} minutes, 5–50 queries a minute (daily cycle, gamma–Poisson noise), errors ${BASE.errorRate * 100} %, log-normal latency (median ${BASE.medianMs} ms, σ ${BASE.sigma}), bound ${Math.round(BOUND_MS)} ms (the control's p95)`,
      `comparative judge: ${GUARDS.map((g) => `${g.name} (margin ${g.margin * 100} %)`).join(', ')}; false-alarm budget ${BUDGET * 100} % per rollout split over ${GUARDS.length} guards (α ${alphaPerTest(BUDGET, GUARDS.length, 1).toFixed(4)} each), looked at every minute`,
      `took ${Math.round(performance.now() - started)} ms`,
    ],
    machineLine: `judge: ${JSON.stringify(summary)}`,
  };
}
