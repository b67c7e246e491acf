/**
 * `flagops demo --full`: the migration guide's Phase 1 → 3 on the embedded sandbox, on its stepped
 * simulated clock (hours of rollout in well under a minute of real time, the same run every time).
 *
 * 1. alice proposes Phase 1 — `enable-queries` at 0 % with the plan `--target 100 --step-size 10
 *    --wait-minutes 15` — bob and carol approve, bob merges; deploy.yml's job deploys, bakes and
 *    records the bake.
 * 2. advance.yml (every 15 minutes) runs `flagops advance`: it says what it waits for (the bake,
 *    the 15-minute soak after enabling queries, the dwell) and, once the step baked healthy and
 *    dwelt, opens the pull request for the next rung — 10 → 25 → 50 → 75 → 100. bob and carol
 *    approve, bob merges, the deploy job bakes it. Before 100 % the guide's acceptance criteria are
 *    verified and recorded (the policy's gate for 100 %).
 * 3. At 100 % the bake's job ends; watch.yml (every 15 minutes) soaks for the guide's 24 hours. An
 *    hour later InfluxDB's latency degrades: the next `flagops watch` catches the breach, AppConfig
 *    serves 75 % again, and the automatic revert pull request holds production.
 *
 * Everything goes through the same code the workflows run (release, advance, watch, verify, revert);
 * only the schedule's ticks and the people are simulated.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  advanceAll,
  applyAssignments,
  bootstrap,
  createAws,
  createGitHubApi,
  createOctokit,
  decompileFeatureFlags,
  describeBreach,
  effectiveNumber,
  fixedContent,
  type GitHubApi,
  gitHubBakeStore,
  gitHubHoldCheck,
  gitHubVerificationStore,
  loadWorkingTree,
  makeContext,
  type Octokit,
  openRevert,
  type PipelineContext,
  parseRepository,
  type ReleaseEvent,
  type ReleaseResult,
  type RepoRef,
  recordBakeFromEnv,
  renderAcceptance,
  rolloutStep,
  runRelease,
  type Snapshot,
  startRollout,
  type Target,
  tokenLogin,
  verifyEnvironment,
  watchSoaks,
} from '../../../src/index.ts';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../src/index.ts';
import { steppedClock } from './stepped-clock.ts';

// The migration's operator edits in this repository's own flag names (app.yaml's `commands:`).
const enableQueries = (yaml: string) =>
  applyAssignments(yaml, [{ flag: 'use_influxdb_for_api_queries', attribute: 'enabled', value: true }]);
const setPercentage = (yaml: string, n: number) =>
  rolloutStep(yaml, 'influxdb_traffic_percentage', 'percentage', n);
const gradualRollout = (yaml: string, p: { target: number; stepSize: number; waitMinutes: number }) =>
  startRollout(yaml, {
    flag: 'influxdb_traffic_percentage',
    attribute: 'percentage',
    target: p.target,
    step: p.stepSize,
    waitMinutes: p.waitMinutes,
  });

const APP = 'ons-data-platform-app';
const PRODUCTION = { application: APP, environment: 'production', profile: 'feature-flags' };
const FILE = `flags/${APP}/production/feature-flags.yaml`;
const DEV_FILE = `flags/${APP}/development/feature-flags.yaml`;
const MIN = 60_000;
/** advance.yml's and watch.yml's schedule. */
const SCHEDULE_MS = 15 * MIN;
/** A Tuesday morning, outside every freeze window, so the story reads the same whenever it runs. */
const SIMULATED_START = Date.UTC(2026, 5, 2, 9, 0, 0);
const APPROVERS = ['bob', 'carol'];

export interface FullDemoOptions {
  /** Stop after this many scheduled advance runs (a safety net; the ladder needs about 20). */
  maxRuns?: number;
}

export interface FullDemoOutput {
  stdout(text: string): void;
}

/** What happened, for the test that runs the demo. */
export interface FullDemoResult {
  exitCode: number;
  /** Percentages in the order they were deployed and baked, with the recorded verdicts. */
  steps: Array<{ value: number; verdict: string; pullRequest?: number }>;
  /** Pull requests the advancer opened, each with who approved and merged it. */
  proposals: Array<{ number: number; value: number; approvedBy: string[] }>;
  /** Every advance run's message, in order. */
  advanceMessages: string[];
  verification?: { passed: boolean };
  soak?: { status: string; message: string; revertPullRequest?: number; servedAfter?: number };
  simulatedMs: number;
}

export async function runFullDemo(
  io: FullDemoOutput,
  options: FullDemoOptions = {},
): Promise<FullDemoResult> {
  const out = (line = ''): void => io.stdout(`${line}\n`);
  const sandbox = await startSandbox({
    speed: 0,
    start: SIMULATED_START,
    scenario: 'healthy',
    seedDir: PROJECT_ROOT,
  });
  const work = mkdtempSync(join(tmpdir(), 'flagops-demo-full-'));
  try {
    return await tell(sandbox, work, out, options);
  } finally {
    await sandbox.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function tell(
  sandbox: Sandbox,
  work: string,
  out: (line?: string) => void,
  options: FullDemoOptions,
): Promise<FullDemoResult> {
  const clock = steppedClock(sandbox);
  const stamp = (at: number): string => new Date(at).toISOString().slice(11, 16);
  const say = (line: string): void => out(`[${stamp(clock.now())}] ${line}`);
  const aws = createAws({
    endpoint: sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
    retryBaseDelayMs: 100 / 1200,
  });
  const ctx = makeContext({ aws, clock, reporter: { emit: () => {} } });
  const repo = parseRepository(sandbox.env['GITHUB_REPOSITORY'])!;
  const gh = (token: string): { octokit: Octokit; api: GitHubApi } => {
    const octokit = createOctokit({
      token,
      baseUrl: sandbox.env['GITHUB_API_URL']!,
      sleep: async () => {},
    });
    return { octokit, api: createGitHubApi(octokit, repo) };
  };
  const bot = gh(sandbox.env['GITHUB_TOKEN']!);
  const user = (login: string) => gh(`sandbox-user-${login}`);
  const gitEnv = gitEnvFor('alice');
  const dir = join(work, 'main');
  git(work, gitEnv, 'clone', '--quiet', sandbox.gitRemote, dir);
  const load = (): Snapshot => ({
    repo: loadWorkingTree(dir),
    commit: { sha: git(dir, gitEnv, 'rev-parse', 'HEAD') },
  });
  const result: FullDemoResult = {
    exitCode: 0,
    steps: [],
    proposals: [],
    advanceMessages: [],
    simulatedMs: 0,
  };

  out('flagops demo --full — the migration guide, Phase 1 to the 24-hour soak, on the local sandbox');
  out('  Simulated clock, stepped: time moves only when the pipeline waits. Production needs 2 approvals;');
  out('  bob and carol approve what alice and the advancer propose. advance.yml and watch.yml run every');
  out('  15 minutes.');
  out();

  // Development runs ahead of production (promotion order), and production serves the seed.
  const dev = join(dir, DEV_FILE);
  writeFileSync(dev, setPercentage(enableQueries(readFileSync(dev, 'utf8')), 100));
  git(dir, gitEnv, 'commit', '--quiet', '-am', 'development: InfluxDB queries on, 100 %');
  git(dir, gitEnv, 'push', '--quiet', 'origin', 'HEAD:main');
  await bootstrap(ctx, load().repo);
  for (const target of [{ ...PRODUCTION, environment: 'development' }, PRODUCTION])
    await runRelease({ target, aws, clock, content: fixedContent(load()), bake: false });
  say("bootstrap done: the guide's five alarms compiled from the guards, attached as AppConfig monitors");
  say('development serves 100 % InfluxDB; production serves Timestream only (queries off, 0 %)');

  const holds = gitHubHoldCheck(bot.api.pulls);
  const bakes = gitHubBakeStore(bot.octokit, repo);
  const remote = {
    api: bot.api,
    octokit: bot.octokit,
    repo,
    remote: sandbox.gitRemote,
    env: gitEnvFor('flagops'),
  };

  /** deploy.yml on a push to main: deploy, bake, record the bake. */
  const deployMain = async (pullRequest?: number): Promise<ReleaseResult> => {
    git(dir, gitEnv, 'pull', '--quiet', '--ff-only', 'origin', 'main');
    const snapshot = load();
    // advance.yml's run while the job bakes: `flagops advance` says what it waits for, and until when.
    let looked: Promise<void> | undefined;
    const lookWhileBaking = (): void => {
      looked ??= advanceAll({
        ctx,
        snapshot,
        holds,
        bakes,
        environment: 'production',
        dryRun: true,
        github: remote,
      }).then(([o]) => {
        if (o) say(`advance (scheduled, while the job bakes): ${o.message}`);
      });
    };
    const released = await runRelease({
      target: PRODUCTION,
      aws,
      clock,
      content: fixedContent(snapshot),
      bake: true,
      reporter: { emit: bakeLine(say, lookWhileBaking) },
    });
    await looked;
    const record = await recordBakeFromEnv(sandbox.env, released, PRODUCTION, snapshot.commit.sha);
    const value = percentageOf(snapshot);
    const verdict = record?.verdict ?? released.status;
    result.steps.push({ value, verdict, ...(pullRequest !== undefined ? { pullRequest } : {}) });
    say(
      `deploy job: ${value} % ${released.status}${released.breaches.length ? ` — ${released.breaches.map(describeBreach).join('; ')}` : ''}; bake recorded as ${verdict}`,
    );
    return released;
  };

  /** People on GitHub: approvals, then the merge. */
  const approveAndMerge = async (number: number): Promise<string[]> => {
    for (const login of APPROVERS)
      await user(login).octokit.rest.pulls.createReview({ ...repo, pull_number: number, event: 'APPROVE' });
    await user('bob').octokit.rest.pulls.merge({ ...repo, pull_number: number, merge_method: 'merge' });
    say(`#${number} approved by ${APPROVERS.join(' and ')}, merged by bob`);
    return APPROVERS;
  };

  out('── Phase 1: enable InfluxDB queries at 0 %, with the rollout plan to 100 %');
  const phase1 = await proposeAsAlice(dir, gitEnv, user('alice').api, (yaml) =>
    setPercentage(gradualRollout(enableQueries(yaml), { target: 100, stepSize: 10, waitMinutes: 15 }), 0),
  );
  say(
    `alice opened #${phase1}: use_influxdb_for_api_queries on, _rollout to 100 in steps of 10, 15 min apart`,
  );
  await approveAndMerge(phase1);
  await deployMain(phase1);

  out();
  out('── Phase 2 and 3: the advancer walks the ladder');
  let lastMessage = '';
  const maxRuns = options.maxRuns ?? 40;
  for (let runs = 0; runs < maxRuns; runs++) {
    await clock.sleep(nextTick(clock.now()) - clock.now());
    git(dir, gitEnv, 'pull', '--quiet', '--ff-only', 'origin', 'main');
    const snapshot = load();
    const target = productionTarget(snapshot);
    if (!target.rollout) break;
    if (effectiveNumber(target, 'influxdb_traffic_percentage', 'percentage') >= 75 && !result.verification) {
      result.verification = await verify(ctx, snapshot, bot.octokit, repo, say, out);
      if (!result.verification.passed) return { ...result, exitCode: 1 };
    }
    const [outcome] = await advanceAll({
      ctx,
      snapshot,
      holds,
      bakes,
      environment: 'production',
      github: remote,
    });
    if (!outcome) break;
    result.advanceMessages.push(outcome.message);
    if (outcome.message !== lastMessage) say(`advance: ${outcome.message}`);
    lastMessage = outcome.message;
    if (outcome.action !== 'opened' || !outcome.pullRequest) continue;
    const number = outcome.pullRequest.number;
    const value = outcome.decision.kind === 'propose' ? outcome.decision.next : Number.NaN;
    const approvedBy = await approveAndMerge(number);
    result.proposals.push({ number, value, approvedBy });
    git(dir, gitEnv, 'pull', '--quiet', '--ff-only', 'origin', 'main');
    // Removing the plan alone changes nothing AppConfig serves: nothing to deploy then.
    if (result.steps.at(-1)?.value !== percentageOf(load())) await deployMain(number);
  }

  out();
  out("── The guide's 24-hour soak at 100 %, after the bake's job ended");
  result.soak = await soak(sandbox, ctx, load, bakes, bot, say);
  result.simulatedMs = clock.now() - SIMULATED_START;

  out();
  out('── Where it ends');
  const served = await aws.served.served(APP, 'production', 'feature-flags');
  const flags = decompileFeatureFlags(Buffer.from(served.content));
  const pct = flags.ok ? flags.flags['influxdb_traffic_percentage']?.attributes['percentage'] : undefined;
  if (typeof pct === 'number' && result.soak) result.soak.servedAfter = pct;
  out(
    `  production serves ${String(pct)} % InfluxDB (${served.versionLabel ?? '?'}); main says ${percentageOf(load())} %`,
  );
  out(`  steps baked: ${result.steps.map((s) => `${s.value} % ${s.verdict}`).join(' → ')}`);
  out(
    `  ${result.proposals.length} advancer pull requests, each approved by ${APPROVERS.join(' and ')}; ${Math.round(result.simulatedMs / MIN)} simulated minutes`,
  );
  const web = sandbox.env['GITHUB_SERVER_URL'];
  out(`  pull requests: ${web}/${sandbox.env['GITHUB_REPOSITORY']}/pulls (while the sandbox runs)`);
  return result;
}

/** The guide's acceptance criteria, verified and recorded before the step to 100 %. */
async function verify(
  ctx: PipelineContext,
  snapshot: Snapshot,
  octokit: Octokit,
  repo: RepoRef,
  say: (line: string) => void,
  out: (line?: string) => void,
): Promise<{ passed: boolean }> {
  const verified = await verifyEnvironment({
    app: snapshot.repo.applications[APP]!,
    environment: 'production',
    cloudwatch: ctx.aws.cloudwatch,
    now: ctx.clock.now(),
    store: gitHubVerificationStore(octokit, repo),
  });
  say("flagops verify --environment production (the guide's acceptance criteria, required before 100 %):");
  for (const line of renderAcceptance(verified.result, 'production').trimEnd().split('\n'))
    out(`    ${line}`);
  return { passed: verified.result.passed };
}

/** watch.yml every 15 minutes; an hour in, InfluxDB's latency degrades and the watch catches it. */
async function soak(
  sandbox: Sandbox,
  ctx: PipelineContext,
  load: () => Snapshot,
  bakes: ReturnType<typeof gitHubBakeStore>,
  bot: { octokit: Octokit; api: GitHubApi },
  say: (line: string) => void,
): Promise<NonNullable<FullDemoResult['soak']>> {
  const login = await tokenLogin(bot.octokit);
  const deps = {
    ctx,
    bakes,
    environment: 'production',
    async revert(evidence: Parameters<typeof openRevert>[0]['evidence']) {
      const opened = await openRevert({
        evidence,
        aws: ctx.aws,
        github: bot.api,
        login,
        remote: sandbox.gitRemote,
        env: gitEnvFor('flagops'),
      });
      return opened.pullRequest
        ? { number: opened.pullRequest.number, url: opened.pullRequest.url }
        : undefined;
    },
  };
  const degradeAt = ctx.clock.now() + 60 * MIN;
  let degraded = false;
  for (let runs = 0; runs < 12; runs++) {
    await ctx.clock.sleep(nextTick(ctx.clock.now()) - ctx.clock.now());
    if (!degraded && ctx.clock.now() >= degradeAt) {
      await setScenario(sandbox, 'influxdb-latency-degraded');
      say('(the sandbox: InfluxDB response times degrade to about 12.5 s; no job is running now)');
      degraded = true;
    }
    const [outcome] = await watchSoaks({ ...deps, snapshot: load() });
    if (!outcome) return { status: 'none', message: 'nothing to soak' };
    say(`watch: ${outcome.message}`);
    if (outcome.status === 'breached')
      return {
        status: outcome.status,
        message: outcome.message,
        ...(outcome.pullRequest ? { revertPullRequest: outcome.pullRequest.number } : {}),
      };
    if (outcome.status !== 'watching') return { status: outcome.status, message: outcome.message };
  }
  return { status: 'watching', message: 'no breach in the demo window' };
}

async function setScenario(sandbox: Sandbox, name: string): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/scenario`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (!res.ok) throw new Error(`sandbox scenario ${name}: ${res.status}`);
}

/** alice's pull request: a branch with one edit of production's values, opened on the sandbox. */
async function proposeAsAlice(
  dir: string,
  env: NodeJS.ProcessEnv,
  api: GitHubApi,
  edit: (yaml: string) => string,
): Promise<number> {
  const branch = 'phase-1-enable-queries';
  git(dir, env, 'checkout', '--quiet', '-B', branch, 'origin/main');
  writeFileSync(join(dir, FILE), edit(readFileSync(join(dir, FILE), 'utf8')));
  git(
    dir,
    env,
    'commit',
    '--quiet',
    '-am',
    'production: Phase 1, InfluxDB queries on at 0 %, rollout plan to 100',
  );
  git(dir, env, 'push', '--quiet', 'origin', branch);
  git(dir, env, 'checkout', '--quiet', 'main');
  const pr = await api.pulls.create({
    head: branch,
    base: 'main',
    title: 'production: Phase 1 — enable InfluxDB queries, plan the rollout to 100 %',
    body: "The guide's `enable-queries`, then `gradual-rollout --target 100 --step-size 10 --wait-minutes 15`.",
  });
  return pr.number;
}

/** Bake progress, sparingly: what completed, what was decided; `completed` once AppConfig completes. */
function bakeLine(say: (line: string) => void, completed: () => void): (e: ReleaseEvent) => void {
  return (e) => {
    if (e.kind === 'breach' || e.kind === 'warning') say(`  ${e.message}`);
    else if (
      e.kind === 'info' &&
      /^(bake complete|deployment complete|rolled back|reverted)/.test(e.message)
    ) {
      say(`  ${e.message}`);
      if (e.message.startsWith('deployment complete')) completed();
    }
  };
}

function productionTarget(snapshot: Snapshot): Target {
  const target = snapshot.repo.targets.find((t) => t.file === FILE);
  if (!target) throw new Error(`${FILE} is missing from main`);
  return target;
}

function percentageOf(snapshot: Snapshot): number {
  return effectiveNumber(productionTarget(snapshot), 'influxdb_traffic_percentage', 'percentage');
}

function nextTick(now: number): number {
  return Math.ceil((now + 1) / SCHEDULE_MS) * SCHEDULE_MS;
}

function gitEnvFor(login: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: login,
    GIT_AUTHOR_EMAIL: `${login}@flagops.invalid`,
    GIT_COMMITTER_NAME: login,
    GIT_COMMITTER_EMAIL: `${login}@flagops.invalid`,
  };
}

function git(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
