/**
 * The decisions suite (test/decisions/traces.ts) as a benchmark: every trace played twice on the
 * sandbox's stepped clock — once with flagops' bake deciding (no AppConfig monitors), once with no
 * flagops job and the guards' managed alarms as the environment's AppConfig monitors (the
 * sandbox's own alarm evaluation and monitor) — reporting each enforcer's calls against the right
 * one, detection time (the end of the minute that meets the rule → ROLLBACK_STARTED) with the
 * ratio, and flagops' API calls per poll (counted at the sandbox).
 *
 * Aims (issue 11): 0 wrong calls for flagops; detection median within 1.5× of AppConfig's monitor on
 * the same traces; ≤ 2 API calls per poll per target.
 */
import { type Call, type Enforcer, playTrace } from '../testkit/decisions-player.ts';
import { TRACES } from '../testkit/decisions-traces.ts';
import { type BenchResult, median } from './lib.ts';
import { type LoggedRequest, recordRequests } from './pipeline-requests.ts';

const POLL_OPERATIONS = new Set(['GetMetricData', 'DescribeAlarms', 'GetDeployment']);

interface Run {
  call: Call;
  detectionMs?: number;
  polls: number;
  calls: number;
}

async function play(index: number, enforcer: Enforcer): Promise<Run> {
  let log: LoggedRequest[] = [];
  const played = await playTrace(TRACES[index]!, enforcer, {
    onHarness: (h) => {
      log = recordRequests(h.sandbox);
    },
  });
  // The watch loop's polls: from the request before the first GetMetricData (the alarms, read
  // alongside it) to the last GetMetricData — the poll that found a breach reads the deployment once
  // more before acting, which is acting, not polling.
  const first = log.findIndex((r) => r.operation === 'GetMetricData');
  const last = log.findLastIndex((r) => r.operation === 'GetMetricData');
  const watched = first < 0 ? [] : log.slice(Math.max(0, first - 1), last + 1);
  return {
    call: played.call,
    ...(played.detectionMs !== undefined ? { detectionMs: played.detectionMs } : {}),
    polls: watched.filter((r) => r.operation === 'GetMetricData').length,
    calls: watched.filter((r) => POLL_OPERATIONS.has(r.operation)).length,
  };
}

const s = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

export async function run(): Promise<BenchResult> {
  const rows: string[][] = [];
  const ours: number[] = [];
  const theirs: number[] = [];
  let wrongOurs = 0;
  let wrongTheirs = 0;
  let polls = 0;
  let calls = 0;
  let worstPerPoll = 0;
  for (let i = 0; i < TRACES.length; i++) {
    const trace = TRACES[i]!;
    const f = await play(i, 'flagops');
    const a = await play(i, 'appconfig');
    // AppConfig alone has only two outcomes: it rolls back or it does not.
    const right = trace.expected;
    const rightForMonitor = right === 'rolled-back' ? 'rolled-back' : 'healthy';
    if (f.call !== right) wrongOurs += 1;
    if (a.call !== rightForMonitor) wrongTheirs += 1;
    if (f.detectionMs !== undefined && a.detectionMs !== undefined) {
      ours.push(f.detectionMs);
      theirs.push(a.detectionMs);
    }
    polls += f.polls;
    calls += f.calls;
    if (f.polls > 0) worstPerPoll = Math.max(worstPerPoll, f.calls / f.polls);
    rows.push([
      trace.name,
      right,
      `${f.call}${f.call === right ? '' : ' ✗'}`,
      `${a.call}${a.call === rightForMonitor ? '' : ' ✗'}`,
      s(f.detectionMs),
      s(a.detectionMs),
      f.polls > 0 ? (f.calls / f.polls).toFixed(2) : '—',
    ]);
  }
  const ourMedian = ours.length > 0 ? median(ours) : Number.NaN;
  const theirMedian = theirs.length > 0 ? median(theirs) : Number.NaN;
  const ratio = ourMedian / theirMedian;
  const perPoll = calls / polls;
  rows.push([
    'TOTAL / MEDIAN',
    `${TRACES.length} traces`,
    `${wrongOurs} wrong (aim 0: ${wrongOurs === 0 ? 'met' : 'MISSED'})`,
    `${wrongTheirs} wrong`,
    s(ourMedian),
    s(theirMedian),
    `${perPoll.toFixed(2)} (max ${worstPerPoll.toFixed(2)}; aim ≤ 2: ${worstPerPoll <= 2 ? 'met' : 'MISSED'})`,
  ]);
  return {
    title: `decisions: ${TRACES.length} traces, flagops' bake vs AppConfig's own alarm monitors (managed alarms), same traces, same run`,
    table: {
      headers: [
        'trace',
        'right call',
        'flagops',
        'AppConfig monitor',
        'detect flagops',
        'detect AppConfig',
        'calls/poll',
      ],
      rows,
    },
    notes: [
      `Detection median: flagops ${s(ourMedian)}, AppConfig's monitor ${s(theirMedian)} on the ${ours.length} rollback traces both caught — ratio ${ratio.toFixed(2)}× (aim ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'MISSED'}). Detection is ROLLBACK_STARTED minus the end of the minute whose data completes the rule (for late data, the rule is met when the minute ends; the data arrives later).`,
      "Stepped clock: simulated time moves only when the pipeline sleeps, so request round trips cost no simulated time (as AppConfig's monitor's reaction costs none) and runs repeat exactly. The sandbox evaluates alarms every minute and AppConfig checks its monitors every simulated second, so its baseline is about 1 s: the end of a minute, one tick.",
      "AppConfig's monitors act only while a deployment is DEPLOYING or BAKING (minutes 0–15 here); a breach after COMPLETE is flagops' bake's alone. AppConfig's right call is `rolled-back` or not; `unverified`/`no-data` (hold, exit 4) are flagops' calls for missing evidence, which a monitor cannot make — its \"healthy\" there is counted right.",
      `API calls per poll: GetMetricData (every poll) plus DescribeAlarms or GetDeployment, counted at the sandbox over the watch loop's polls (the extra GetDeployment of the poll that finds a breach, before acting, is not a poll's): ${calls} calls in ${polls} polls.`,
    ],
  };
}
