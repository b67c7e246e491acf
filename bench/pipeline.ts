/**
 * The pipeline's performance aims (issue 4, "Performance"):
 *
 * 1. Detection latency — simulated seconds from a guard's breaching period becoming visible (the end
 *    of the period that makes the guard trip: the first instant CloudWatch could answer it) to
 *    StopDeployment (the deployment's ROLLBACK_STARTED event). Aim ≤ one poll interval (30 s).
 *    Each run is a fresh sandbox under `influxdb-overload-above-40`: production 25 % (deployed and
 *    baked healthy), then 50 %, which breaches. Baseline in the same run: AppConfig's own monitor —
 *    an alarm on the guard's very rule (100 * errors / requests > 5 for 2 one-minute periods) wired
 *    as an environment Monitor — measured the same way, with flagops looking only every hour so that
 *    AppConfig acts first.
 * 2. API calls per poll per target — counted at the sandbox (every request it receives), split into
 *    polls by the pipeline's own events; aim ≤ 2.
 * 3. Cold start of the bundled deploy action to its first API call, against `node -e 0`; aim ≤ 2×.
 */
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { bootstrap } from '../src/pipeline/bootstrap.ts';
import { DEFAULT_SETTINGS } from '../src/pipeline/context.ts';
import { type ReleaseResult, runRelease } from '../src/pipeline/release.ts';
import { resolveTarget } from '../src/pipeline/resolve.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../testkit/pipeline-harness.ts';
import { type BenchResult, formatMs, median } from './lib.ts';
import { measureColdStart } from './pipeline-cold-start.ts';
import {
  callsPerPoll,
  describeCalls,
  emptyTallies,
  type LoggedRequest,
  type Mark,
  markingReporter,
  type PollTallies,
  recordRequests,
  tallyPolls,
} from './pipeline-requests.ts';

const RUNS = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 5));
const COLD_RUNS = Math.max(7, RUNS);
/** Simulated seconds per real second while setting up (deploying and baking 25 %). */
const SETUP_SPEED = 1200;
/**
 * Speed of the measured 50 % release. Every real millisecond a request takes is `speed` simulated
 * milliseconds, so at 1200× the few round trips between the detecting poll and StopDeployment would
 * add seconds that AWS would not; 120× keeps that under a second and a run under 10 s.
 */
const MEASURE_SPEED = Number(process.env['BENCH_PIPELINE_SPEED'] ?? 120);
const POLL_MS = DEFAULT_SETTINGS.pollIntervalMs;
const ALARM_ROLE = 'arn:aws:iam::123456789012:role/appconfig-alarms';
const ALARM_PREFIX = 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:';
/** One of production's watched alarms in app.yaml, so bootstrap makes it a Monitor. */
const MIRROR_ALARM = 'ons-data-platform-influxdb-migration-error-rate';

type Detector = 'flagops' | 'appconfig-monitor';

interface Detection {
  /** Breach visible → StopDeployment (ROLLBACK_STARTED), simulated ms. */
  latencyMs: number;
  /** Breach visible → the poll (GetMetricData) that saw it, simulated ms (flagops only). */
  waitMs?: number;
  /** That poll → StopDeployment, real ms (flagops only). */
  actRealMs?: number;
  guard: string;
  triggeredBy: string;
}

/** An alarm on exactly the error-rate guard's rule, for AppConfig to watch as a Monitor. */
async function putMirrorAlarm(h: PipelineHarness): Promise<void> {
  const cw = new CloudWatchClient({
    endpoint: h.sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const stat = (id: string, name: string) => ({
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: {
        Namespace: 'ONS/TrafficSwitching',
        MetricName: name,
        Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
      },
      Period: 60,
      Stat: 'Sum',
    },
  });
  try {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: MIRROR_ALARM,
        Metrics: [
          stat('errors', 'ErrorCount'),
          stat('requests', 'RequestCount'),
          { Id: 'value', Expression: '100 * errors / requests', ReturnData: true },
        ],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 5,
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
        ActionsEnabled: true,
      }),
    );
  } finally {
    cw.destroy();
  }
}

interface RunOutcome {
  detection: Detection;
  tallies: PollTallies;
}

async function oneRun(detector: Detector): Promise<RunOutcome> {
  const h = await startPipelineHarness({ scenario: 'influxdb-overload-above-40', speed: SETUP_SPEED });
  try {
    const repo = h.snapshot().repo;
    if (detector === 'appconfig-monitor') {
      await putMirrorAlarm(h);
      await bootstrap(h.ctx, repo, { alarmRoleArn: ALARM_ROLE, alarmArnPrefix: ALARM_PREFIX });
    } else {
      await bootstrap(h.ctx, repo);
    }
    const log = recordRequests(h.sandbox);
    const tallies = emptyTallies();

    h.setPercentage('production', 25);
    const healthyMarks: Mark[] = [];
    const healthyFrom = log.length;
    const healthy = await runRelease({
      target: PRODUCTION,
      aws: h.aws,
      clock: h.clock,
      content: h.provider(() => 'aaaa25'),
      bake: true,
      reporter: markingReporter(log, healthyMarks),
    });
    if (healthy.status !== 'healthy') throw new Error(`25 % ended ${healthy.status}: ${healthy.message}`);
    if (detector === 'flagops') tallyPolls(log, healthyMarks, healthyFrom, tallies);

    await h.control('clock', { speed: MEASURE_SPEED });
    h.setPercentage('production', 50);
    const marks: Mark[] = [];
    const from = log.length;
    const result = await runRelease({
      target: PRODUCTION,
      aws: h.aws,
      clock: h.clock,
      content: h.provider(() => 'bbbb50'),
      bake: true,
      reporter: markingReporter(log, marks),
      // The baseline: flagops looks once an hour, so AppConfig's monitor is the one that acts.
      ...(detector === 'appconfig-monitor'
        ? { settings: { pollIntervalMs: 60 * 60_000, readDelayMs: 60 * 60_000 } }
        : {}),
    });
    if (result.status !== 'rolled-back')
      throw new Error(`50 % ended ${result.status} instead of rolled-back: ${result.message}`);
    if (detector === 'flagops') tallyPolls(log, marks, from, tallies);
    return { detection: await detection(h, result, log, from, detector), tallies };
  } finally {
    await h.close();
  }
}

async function detection(
  h: PipelineHarness,
  result: ReleaseResult,
  log: LoggedRequest[],
  from: number,
  detector: Detector,
): Promise<Detection> {
  const guards = result.breaches.filter((b) => b.kind === 'guard');
  const first = guards.sort((a, b) => a.at - b.at)[0];
  if (!first) throw new Error(`${detector}: no guard breach in the evidence`);
  const t = await resolveTarget(h.aws, PRODUCTION);
  const deployment = await h.aws.appconfig.getDeployment(
    t.application.id,
    t.environment.id,
    result.deploymentNumber as number,
  );
  const stop = deployment.events.find((e) => e.type === 'ROLLBACK_STARTED');
  if (!stop) throw new Error(`${detector}: deployment ${deployment.number} has no ROLLBACK_STARTED event`);
  const expected = detector === 'flagops' ? 'USER' : 'CLOUDWATCH_ALARM';
  if (stop.triggeredBy !== expected)
    throw new Error(`${detector}: the rollback was triggered by ${stop.triggeredBy}, not ${expected}`);
  const base = { latencyMs: stop.at - first.at, guard: first.guard, triggeredBy: stop.triggeredBy ?? '' };
  if (detector !== 'flagops') return base;
  const stopIndex = log.findIndex((r, i) => i >= from && r.operation === 'StopDeployment');
  const poll = log.slice(from, stopIndex).findLast((r) => r.operation === 'GetMetricData');
  const stopRequest = log[stopIndex];
  if (!poll || !stopRequest) return base;
  return { ...base, waitMs: poll.sim - first.at, actRealMs: stopRequest.real - poll.real };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ofPoll = (ms: number) => `${(ms / POLL_MS).toFixed(2)}× poll`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

export async function run(): Promise<BenchResult> {
  const flagops: Detection[] = [];
  const monitor: Detection[] = [];
  const tallies = emptyTallies();
  // Alternate the detectors, so drifting machine load weighs on both alike.
  for (let i = 0; i < RUNS; i++) {
    const ours = await oneRun('flagops');
    flagops.push(ours.detection);
    for (const phase of ['deploying', 'baking', 'breach'] as const) {
      tallies[phase].polls += ours.tallies[phase].polls;
      for (const [op, n] of Object.entries(ours.tallies[phase].calls))
        tallies[phase].calls[op] = (tallies[phase].calls[op] ?? 0) + n;
    }
    monitor.push((await oneRun('appconfig-monitor')).detection);
  }
  const cold = await measureColdStart(COLD_RUNS);

  const latencies = flagops.map((d) => d.latencyMs);
  const baseline = monitor.map((d) => d.latencyMs);
  const waits = flagops.flatMap((d) => (d.waitMs === undefined ? [] : [d.waitMs]));
  const acts = flagops.flatMap((d) => (d.actRealMs === undefined ? [] : [d.actRealMs]));
  const ourMedian = median(latencies);
  const ourMax = Math.max(...latencies);
  const baseMedian = median(baseline);
  const deploying = callsPerPoll(tallies.deploying);
  const baking = callsPerPoll(tallies.baking);
  const action = median(cold.samples.action);
  const loadOnly = median(cold.samples.loadOnly);
  const node = median(cold.samples.node);

  return {
    title: `pipeline: detection latency (${RUNS} breaching releases each, sandbox at ${MEASURE_SPEED}×), API calls per poll, cold start of the deploy action (median of ${COLD_RUNS})`,
    table: {
      headers: ['what', 'median', 'max / detail', 'vs baseline', 'aim'],
      rows: [
        [
          'detection latency, flagops guards (breach visible → StopDeployment)',
          `${seconds(ourMedian)} (${ofPoll(ourMedian)})`,
          `max ${seconds(ourMax)} (${ofPoll(ourMax)})`,
          `${seconds(ourMedian - baseMedian)} slower than AppConfig's monitor`,
          `≤ ${seconds(POLL_MS)}: ${verdict(ourMax <= POLL_MS)}`,
        ],
        [
          '  of which: waiting for the next poll',
          seconds(median(waits)),
          `max ${seconds(Math.max(...waits))}`,
          '',
          '',
        ],
        [
          '  of which: detecting poll → StopDeployment (real time)',
          formatMs(median(acts)),
          `= ${seconds(median(acts) * MEASURE_SPEED)} simulated at ${MEASURE_SPEED}×`,
          '',
          '',
        ],
        [
          "baseline: AppConfig's own monitor (alarm on the same rule)",
          `${seconds(baseMedian)} (${ofPoll(baseMedian)})`,
          `max ${seconds(Math.max(...baseline))}`,
          '1.00×',
          '',
        ],
        [
          'API calls per poll per target, while DEPLOYING/BAKING (AppConfig)',
          deploying.toFixed(2),
          describeCalls(tallies.deploying),
          `${tallies.deploying.polls} polls`,
          `≤ 2: ${verdict(deploying <= 2)}`,
        ],
        [
          'API calls per poll per target, bake after COMPLETE',
          baking.toFixed(2),
          describeCalls(tallies.baking),
          `${tallies.baking.polls} polls`,
          `≤ 2: ${verdict(baking <= 2)}`,
        ],
        [
          'API calls on the poll that found the breach (before StopDeployment)',
          callsPerPoll(tallies.breach).toFixed(2),
          describeCalls(tallies.breach),
          `${tallies.breach.polls} polls`,
          'once per release',
        ],
        [
          'deploy action cold start: spawn → first API request at the sandbox',
          formatMs(action),
          `${(cold.bundleBytes / 1024 / 1024).toFixed(1)} MiB bundle`,
          `${(action / node).toFixed(2)}× node -e 0`,
          `≤ 2×: ${verdict(action / node <= 2)}`,
        ],
        [
          '  the same bundle, loaded without running (spawn → exit)',
          formatMs(loadOnly),
          '',
          `${(loadOnly / node).toFixed(2)}× node -e 0`,
          '',
        ],
        ['baseline: node -e 0 (spawn → exit)', formatMs(node), '', '1.00×', ''],
      ],
    },
    notes: [
      `Detection: each run is a fresh sandbox under influxdb-overload-above-40; production 25 % deploys and bakes healthy (at ${SETUP_SPEED}×), then 50 % is released at ${MEASURE_SPEED}× and breaches. "Visible" is the guard breach's \`at\` in the result's evidence (the end of the period that tripped it); StopDeployment is the deployment's ROLLBACK_STARTED event. Poll interval ${seconds(POLL_MS)} (the default).`,
      `Guards tripped first: ${[...new Set(flagops.map((d) => d.guard))].join(', ')}; samples (s): flagops ${latencies.map((l) => (l / 1000).toFixed(1)).join(', ')}; AppConfig monitor ${baseline.map((l) => (l / 1000).toFixed(1)).join(', ')}.`,
      "Baseline: the alarm is PutMetricAlarm on 100 * ErrorCount / RequestCount (influxdb) > 5 for 2 of 2 one-minute periods — the error-rate guard's rule — wired by bootstrap as the production environment's Monitor; flagops polls once an hour there, and the rollback is checked to be CLOUDWATCH_ALARM's. The sandbox's AppConfig checks monitors every simulated second, so this baseline is the floor; real CloudWatch adds its own evaluation delay.",
      'API calls: every poll reads the guards with one GetMetricData; after COMPLETE also the alarms (one DescribeAlarms); while AppConfig is still DEPLOYING/BAKING the alarms and the deployment (GetDeployment) in turn (src/pipeline/bake.ts), so 2 calls either way. The poll that finds a breach while in flight reads the deployment once more when it skipped it, so a rollback AppConfig already made is reported as such. Counted at the sandbox by an extra listener on its HTTP server, grouped into polls by the event the watch loop emits after each look.',
      `Cold start: the deploy bundle is built fresh from the sources (scripts/build-lib.mjs, as npm run build) into a temp dir and run with the INPUT_* variables of actions/deploy/action.yml (app-name given, as the deploy workflow does; bake false), AWS_ENDPOINT_URL of an in-process sandbox, no GitHub token (the workflow passes none, so no hold check), in a committed checkout without a remote; the clock starts at spawn and stops at the sandbox's first request. "loaded without running" is the same bundle minus its final \`await run()\`.`,
    ],
  };
}
