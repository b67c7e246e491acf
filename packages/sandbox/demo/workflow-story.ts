/**
 * The story told through the repository's own workflows, once, for `npm start` and for
 * test/e2e/story-workflows.test.ts: people change things (a branch and a pull request,
 * `flagops set-percentage --pr`, reviews, merges through the API) and the sandbox runs
 * `.github/workflows/` on what they do. The story waits for the workflows (`settle`), and reports
 * what they did and what AppConfig serves; it never calls the pipeline itself.
 *
 * 1. Production to 25 % (and development to 50 %, which production may not run ahead of): one pull
 *    request, approved by two people, merged; deploy.yml deploys and bakes both.
 * 2. Production to 50 % with `flagops set-percentage --pr`: the plan comment and the change-control
 *    status arrive; a merge before the approvals is refused by branch protection; after them the
 *    merge deploys, the bake breaches under `influxdb-overload-above-40` and rolls back (whichever
 *    of flagops' guard and the CloudWatch alarm sees it first), and the workflow opens the revert
 *    pull request with the App's token, whose checks then run.
 * 3. The hold: deploy.yml dispatched for production while the revert is open refuses.
 * 4. The revert is approved and merged: the deploy is a no-op, and the hold is gone.
 * 5. A new legal change (production down to 10 %) deploys.
 * 6. A guard change (the error-rate guard loosened from > 5 % to > 8 %): backtest.yml replays the old
 *    and the new rule over the two weeks of recorded traffic the story seeded before it began
 *    (demo/history.ts), and the plan comment's "Backtest" section says how often each would have
 *    fired. The pull request stays open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../src/index.ts';
import { historyData, historyStart, putHistory, SPELLS } from './history.ts';
import { type MergeOutcome, People, type PullView, type RunView } from './people.ts';

export const APP = 'ons-data-platform-app';
/** A Tuesday morning, outside every freeze window, so the story reads the same whenever it runs. */
export const SIMULATED_START = Date.UTC(2026, 5, 2, 9, 0, 0);
export const SCENARIO = 'influxdb-overload-above-40';

const AUTHOR = 'alice';
/** Production needs two approvals (app.yaml); automatic reverts one. */
const REVIEWERS = ['bob', 'carol'];
const MERGER = 'bob';
const valuesFile = (environment: string) => `flags/${APP}/${environment}/feature-flags.yaml`;
/** The guard chapter 6 loosens, and its threshold before and after. */
export const LOOSENED_GUARD = { name: 'influxdb-error-rate', from: 5, to: 8, consecutive: 2 } as const;

/** What the story reports as it goes: the demo prints these, the test ignores or collects them. */
export type StoryEvent =
  | { kind: 'chapter'; title: string }
  | { kind: 'person'; who: string; what: string }
  | { kind: 'runs'; runs: RunView[] }
  | { kind: 'served'; environment: string; percentage: number | undefined }
  /** A section of a pull request's comment (Markdown). */
  | { kind: 'comment'; pull: number; title: string; text: string };

export interface Chapter {
  /** Runs that started during the chapter, oldest first. */
  runs: RunView[];
}

export interface StoryRecord {
  setup: Chapter & { pull: PullView; merge: MergeOutcome; served: Record<string, number | undefined> };
  raise: Chapter & {
    cli: { code: number; stdout: string; stderr: string };
    pull: PullView;
    /** What change control said before anyone approved. */
    statusBefore: Record<string, { state: string; description: string; creator: string }>;
    planComments: string[];
    /** Alice's merge before the approvals: branch protection refuses it. */
    earlyMerge: MergeOutcome;
    merge: MergeOutcome;
    /** The deploy run of the merge. */
    deploy: RunView | undefined;
    served: number | undefined;
    revert: PullView | undefined;
    /** The runs on the revert pull request's head (its checks). */
    revertRuns: RunView[];
  };
  hold: Chapter & { dispatch: RunView | undefined; log: string; served: number | undefined };
  revert: Chapter & {
    merge: MergeOutcome;
    deploy: RunView | undefined;
    log: string;
    served: number | undefined;
  };
  release: Chapter & {
    cli: { code: number; stdout: string; stderr: string };
    pull: PullView | undefined;
    merge: MergeOutcome | undefined;
    deploy: RunView | undefined;
    served: number | undefined;
  };
  guard: Chapter & {
    /** The two weeks of history seeded before the story began: PutMetricData calls, its minutes. */
    history: { calls: number; from: number; to: number };
    pull: PullView;
    planComments: string[];
    /** The plan comment's "Backtest" section (from its heading to the next one), if any. */
    backtest: string | undefined;
  };
}

export interface StorySandboxOptions {
  speed: number;
  /** Scratch directory (default: a new temp dir, removed on close). */
  workDir?: string;
}

/** The sandbox the story runs on: workflows on, `main` protected, the overload scenario, a fixed start. */
export function startStorySandbox(options: StorySandboxOptions): Promise<Sandbox> {
  return startSandbox({
    speed: options.speed,
    start: SIMULATED_START,
    scenario: SCENARIO,
    seedDir: PROJECT_ROOT,
    // A job's timeout-minutes counts simulated minutes, floored at this much real time: at 600× a
    // deploy job's 120 minutes are 12 s, less than its processes take to start on a loaded machine.
    workflows: { minTimeoutMs: 15 * 60_000 },
    protectMain: true,
    ...(options.workDir ? { workDir: options.workDir } : {}),
  });
}

/** Runs the whole story on `sandbox` (started by `startStorySandbox`); `report` hears it as it goes. */
export async function tellStory(
  sandbox: Sandbox,
  report: (event: StoryEvent) => void = () => {},
): Promise<StoryRecord> {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-story-'));
  try {
    const people = new People(sandbox, dir, join(PROJECT_ROOT, 'bin', 'flagops.mjs'));
    const say = (who: string, what: string) => report({ kind: 'person', who, what });
    const settle = async (): Promise<RunView[]> => {
      const runs = await people.settle();
      if (runs.length > 0) report({ kind: 'runs', runs });
      return runs;
    };
    const served = async (environment: string): Promise<number | undefined> => {
      const percentage = percentageOf(await people.served(APP, environment));
      report({ kind: 'served', environment, percentage });
      return percentage;
    };
    // What alice types: the CLI edits the values file, checks policy, pushes and opens the pull request.
    const setPercentageByPr = async (percentage: number) => {
      const args = [
        'set-percentage',
        '--environment',
        'production',
        '--percentage',
        String(percentage),
        '--pr',
      ];
      const result = await people.flagops(AUTHOR, args);
      say(
        AUTHOR,
        `runs flagops ${args.join(' ')}: ${result.code === 0 ? firstLine(result.stdout) : lastLine(result.stderr)}`,
      );
      return result;
    };
    const approveAndMerge = async (pull: number, reviewers: string[]) => {
      const runs: RunView[] = [];
      await people.approve(pull, ...reviewers);
      say(reviewers.join(' and '), `approve #${pull}`);
      runs.push(...(await settle()));
      const merge = await people.merge(pull, MERGER);
      say(MERGER, merge.merged ? `merges #${pull}` : `cannot merge #${pull}: ${merge.message}`);
      runs.push(...(await settle()));
      return { merge, runs };
    };

    // The AppConfig application, environments, profiles, strategy and the guards' alarms, once.
    report({ kind: 'chapter', title: 'Setting up: flagops bootstrap' });
    // Two weeks of recorded traffic, for chapter 6's backtest: written before anything deploys.
    const seededAt = sandbox.clock.now();
    const historyCalls = await putHistory(sandbox.env['AWS_ENDPOINT_URL']!, historyData(seededAt));
    const history = {
      calls: historyCalls,
      from: historyStart(seededAt),
      to: Math.floor(seededAt / 60_000) * 60_000,
    };
    say(
      'olivia',
      `imports two weeks of recorded InfluxDB traffic into CloudWatch (${historyCalls} PutMetricData calls; ${SPELLS.length} bad spells in it)`,
    );
    const boot = await people.flagops('olivia', ['bootstrap']);
    if (boot.code !== 0) throw new Error(`flagops bootstrap failed (${boot.code}): ${boot.stderr}`);
    say('olivia', 'runs flagops bootstrap: the AppConfig resources and the guide’s alarms exist');

    report({ kind: 'chapter', title: '1. production 0 % → 25 % (development 25 % → 50 % first)' });
    const setupPull = await people.pushChange(
      AUTHOR,
      'production-to-25',
      'Enable InfluxDB queries in production at 25 %',
      {
        [valuesFile('development')]: (y) => y.replace(/percentage: 25\b/, 'percentage: 50'),
        [valuesFile('production')]: (y) =>
          y
            .replace(
              'use_influxdb_for_api_queries: { enabled: false }',
              'use_influxdb_for_api_queries: { enabled: true }',
            )
            .replace(/percentage: 0\b/, 'percentage: 25'),
      },
    );
    say(AUTHOR, `pushes a branch and opens #${setupPull.number} "${setupPull.title}"`);
    const setupRuns = await settle();
    const setupMerge = await approveAndMerge(setupPull.number, REVIEWERS);
    const setup = {
      pull: setupPull,
      merge: setupMerge.merge,
      runs: [...setupRuns, ...setupMerge.runs],
      served: { development: await served('development'), production: await served('production') },
    };

    report({ kind: 'chapter', title: '2. production 25 % → 50 %: breach, rollback, automatic revert' });
    const cli = await setPercentageByPr(50);
    const number = Number(/#(\d+)/.exec(cli.stdout)?.[1]);
    if (cli.code !== 0 || !Number.isInteger(number))
      throw new Error(`flagops set-percentage --pr failed (${cli.code}): ${cli.stderr || cli.stdout}`);
    const raiseRuns = await settle();
    const opened = await people.pull(number);
    const statusBefore = await people.statuses(opened.headSha);
    const planComments = (await people.comments(number))
      .filter((c) => c.body.includes('<!-- flagops:plan -->'))
      .map((c) => c.body);
    const earlyMerge = await people.merge(number, AUTHOR);
    say(
      AUTHOR,
      earlyMerge.merged ? `merges #${number}` : `tries to merge #${number} at once: ${earlyMerge.message}`,
    );
    const raiseMerge = await approveAndMerge(number, REVIEWERS);
    const raisedRuns = [...raiseRuns, ...raiseMerge.runs];
    const revertPull = (await people.openPulls()).find((p) => p.headRef.startsWith('flagops/revert/'));
    const raise = {
      cli,
      pull: await people.pull(number),
      statusBefore,
      planComments,
      earlyMerge,
      merge: raiseMerge.merge,
      runs: raisedRuns,
      deploy: raiseMerge.runs.find((r) => r.path === '.github/workflows/deploy.yml' && r.event === 'push'),
      served: await served('production'),
      revert: revertPull,
      revertRuns: revertPull ? raiseMerge.runs.filter((r) => r.pullRequests.includes(revertPull.number)) : [],
    };
    if (revertPull) say('flagops[bot]', `opened #${revertPull.number} "${revertPull.title}"`);

    report({ kind: 'chapter', title: '3. the hold: deploying production again while the revert is open' });
    await people.dispatch('olivia', 'deploy.yml', { environment: 'production' });
    say('olivia', 'dispatches deploy.yml for production');
    const holdRuns = await settle();
    const dispatch = holdRuns.find((r) => r.event === 'workflow_dispatch');
    const holdJob = dispatch?.jobs.find((j) => j.name === `deploy ${APP}/production`);
    const hold = {
      runs: holdRuns,
      dispatch,
      log: holdJob ? await people.log(holdJob.id) : '',
      served: await served('production'),
    };

    report({ kind: 'chapter', title: '4. the revert is approved and merged: main says what runs' });
    const revertMerge = revertPull
      ? await approveAndMerge(revertPull.number, [REVIEWERS[0]!])
      : { merge: { merged: false, status: 0, message: 'no revert pull request' } as MergeOutcome, runs: [] };
    const revertDeploy = revertMerge.runs.find(
      (r) => r.path === '.github/workflows/deploy.yml' && r.event === 'push',
    );
    const revertJob = revertDeploy?.jobs.find((j) => j.name === `deploy ${APP}/production`);
    const revert = {
      merge: revertMerge.merge,
      runs: revertMerge.runs,
      deploy: revertDeploy,
      log: revertJob ? await people.log(revertJob.id) : '',
      served: await served('production'),
    };

    report({ kind: 'chapter', title: '5. the hold is released: a new legal change deploys' });
    const lower = await setPercentageByPr(10);
    const lowerNumber = Number(/#(\d+)/.exec(lower.stdout)?.[1]);
    const release: StoryRecord['release'] = {
      cli: lower,
      pull: undefined,
      merge: undefined,
      runs: [],
      deploy: undefined,
      served: undefined,
    };
    if (lower.code === 0 && Number.isInteger(lowerNumber)) {
      release.runs.push(...(await settle()));
      const done = await approveAndMerge(lowerNumber, REVIEWERS);
      release.runs.push(...done.runs);
      release.merge = done.merge;
      release.pull = await people.pull(lowerNumber);
      release.deploy = done.runs.find((r) => r.path === '.github/workflows/deploy.yml' && r.event === 'push');
    }
    release.served = await served('production');

    report({ kind: 'chapter', title: '6. a guard change: the plan comment backtests it' });
    const g = LOOSENED_GUARD;
    const guardPull = await people.pushChange(
      AUTHOR,
      'loosen-influxdb-error-rate',
      `Loosen ${g.name}: roll back above ${g.to} % errors, not ${g.from} %`,
      { [`flags/${APP}/app.yaml`]: (y) => loosen(y, g.name, g.from, g.to) },
    );
    say(AUTHOR, `pushes a branch and opens #${guardPull.number} "${guardPull.title}"`);
    const guardRuns = await settle();
    const guardComments = (await people.comments(guardPull.number))
      .filter((c) => c.body.includes('<!-- flagops:plan -->'))
      .map((c) => c.body);
    const backtest = backtestSection(guardComments[0]);
    if (backtest) report({ kind: 'comment', pull: guardPull.number, title: 'Backtest', text: backtest });
    const guard = {
      history,
      pull: guardPull,
      planComments: guardComments,
      backtest,
      runs: guardRuns,
    };
    return { setup, raise, hold, revert, release, guard };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** app.yaml with one guard's `breach_when: "> from"` (and its description) made `> to`. */
export function loosen(yaml: string, guard: string, from: number, to: number): string {
  const start = yaml.indexOf(`\n  ${guard}:\n`);
  const end = yaml.indexOf('\n  ', yaml.indexOf('breach_when:', start));
  if (start < 0 || end < 0) throw new Error(`app.yaml has no guard ${guard} with breach_when`);
  const block = yaml
    .slice(start, end)
    .replace(`breach_when: "> ${from}"`, `breach_when: "> ${to}"`)
    .replace(`above ${from}%`, `above ${to}%`);
  return yaml.slice(0, start) + block + yaml.slice(end);
}

/** The "### Backtest" section of a plan comment, up to the next heading of its level or above. */
export function backtestSection(comment: string | undefined): string | undefined {
  const start = comment?.indexOf('\n### Backtest\n') ?? -1;
  if (comment === undefined || start < 0) return undefined;
  const rest = comment.slice(start + 1);
  const next = rest.slice(1).search(/\n#{1,3} /);
  // The comment's hidden marker (`<!-- flagops:plan -->`) closes it: not part of the section.
  return (next < 0 ? rest : rest.slice(0, next + 1)).replace(/\n<!--[^\n]*-->\s*$/, '').trim();
}

/** `influxdb_traffic_percentage.percentage` of a served feature-flags document. */
export function percentageOf(document: unknown): number | undefined {
  const flag = (document as { influxdb_traffic_percentage?: { percentage?: unknown } } | undefined)
    ?.influxdb_traffic_percentage;
  return typeof flag?.percentage === 'number' ? flag.percentage : undefined;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}
