/**
 * The guide's ladder 0 → 10 → 25 → 50 → 75 → 100 driven end to end on the sandbox's stepped clock,
 * as the workflows would: production enables queries at 0 % (Phase 1) with a `_rollout` plan and
 * `auto_merge: true`, with no human step after that; every 15
 * minutes (advance.yml's cron) `flagops advance` looks; a merged step is deployed and baked at once
 * (deploy.yml on the push) and its bake recorded; before 100 % the acceptance check is recorded
 * (the guide's "before completing the migration"). Shared by the test and `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../packages/sandbox/src/index.ts';
import { gitHubVerificationStore } from '../src/acceptance/record.ts';
import { verifyEnvironment } from '../src/acceptance/verify.ts';
import { createGitHubApi, parseRepository } from '../src/github/api.ts';
import { createOctokit } from '../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../src/model/index.ts';
import { bootstrap } from '../src/pipeline/bootstrap.ts';
import { fixedContent, type Snapshot } from '../src/pipeline/content.ts';
import { noHolds } from '../src/pipeline/holds.ts';
import { runRelease } from '../src/pipeline/release.ts';
import { effectiveNumber } from '../src/policy/exposure.ts';
import { type AdvanceOutcome, advanceAll } from '../src/rollout/advance.ts';
import { gitHubBakeStore, recordBakeFromEnv } from '../src/rollout/bake-record.ts';
import { type PipelineHarness, PRODUCTION } from './pipeline-harness.ts';

const FILE = 'flags/ons-data-platform-app/production/feature-flags.yaml';
const MIN = 60_000;
/** advance.yml's schedule. */
export const ADVANCE_EVERY_MS = 15 * MIN;

const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Alice',
  GIT_AUTHOR_EMAIL: 'alice@example.invalid',
  GIT_COMMITTER_NAME: 'Alice',
  GIT_COMMITTER_EMAIL: 'alice@example.invalid',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

export interface LadderStep {
  value: number;
  pullRequest?: number;
  /** When the step's deployment started and completed, and its bake ended (simulated epoch ms). */
  startedAt: number;
  completedAt: number;
  bakeEnd: number;
  /** The step's bake as recorded. */
  verdict: string;
  /** What the deployment and the bake take by their definition (the strategy's and bake minutes). */
  deployMs: number;
  bakeMs: number;
}

export interface LadderRun {
  steps: LadderStep[];
  /** From the first step's completion to the last step's bake end. */
  timeToTargetMs: number;
  /** The schedule's floor over the same span: each step's dwell, then the next deployment and its bake. */
  floorMs: number;
  advanceRuns: number;
  outcomes: AdvanceOutcome[];
  /** The plan is gone from main once the target runs. */
  planRemoved: boolean;
  close(): void;
}

export async function runLadder(h: PipelineHarness, options: { maxRuns?: number } = {}): Promise<LadderRun> {
  const work = mkdtempSync(join(tmpdir(), 'flagops-ladder-'));
  git(work, 'clone', '--quiet', h.sandbox.gitRemote, '.');
  for (const dir of ['flags', 'schemas'])
    cpSync(join(PROJECT_ROOT, dir), join(work, dir), { recursive: true });
  const appYaml = join(work, 'flags/ons-data-platform-app/app.yaml');
  writeFileSync(
    appYaml,
    readFileSync(appYaml, 'utf8').replace(
      '    bake_minutes: 15\n',
      '    bake_minutes: 15\n    auto_merge: true\n',
    ),
  );
  // Development runs ahead (promotion order): the ladder is production's.
  const dev = join(work, 'flags/ons-data-platform-app/development/feature-flags.yaml');
  writeFileSync(
    dev,
    readFileSync(dev, 'utf8')
      .replace(
        /use_influxdb_for_api_queries: \{ enabled: \w+ \}/,
        'use_influxdb_for_api_queries: { enabled: true }',
      )
      .replace(/percentage: \d+/, 'percentage: 100'),
  );
  const seed = readFileSync(join(work, FILE), 'utf8');
  const load = (): Snapshot => ({
    repo: loadRepository(new WorkingTreeSource(work)),
    commit: { sha: git(work, 'rev-parse', 'HEAD') },
  });
  // Production as the guide finds it (queries on Timestream), served before the migration starts.
  await bootstrap(h.ctx, load().repo);
  await runRelease({
    target: PRODUCTION,
    aws: h.aws,
    clock: h.clock,
    content: fixedContent(load()),
    bake: false,
  });
  // Phase 1 (enable-queries at 0 %) with the plan `--target 100 --step-size 10 --wait-minutes 15`.
  writeFileSync(
    join(work, FILE),
    `${seed.replace(
      'use_influxdb_for_api_queries: { enabled: false }',
      'use_influxdb_for_api_queries: { enabled: true }',
    )}_rollout: { flag: influxdb_traffic_percentage, attribute: percentage, target: 100, step: 10, wait_minutes: 15 }\n`,
  );
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '-m', 'Phase 1: InfluxDB queries on at 0 %, with the rollout plan to 100');
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');

  const repo = parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!;
  const octokit = createOctokit({
    token: h.sandbox.env['GITHUB_TOKEN']!,
    baseUrl: h.sandbox.env['GITHUB_API_URL']!,
    sleep: async () => {},
  });
  const api = createGitHubApi(octokit, repo);
  const bakes = gitHubBakeStore(octokit, repo);
  const steps: LadderStep[] = [];
  const outcomes: AdvanceOutcome[] = [];

  /** deploy.yml on a push to main: deploy, bake, record the bake. */
  const deployMain = async (pullRequest?: number): Promise<LadderStep> => {
    const snapshot = load();
    const released = await runRelease({
      target: PRODUCTION,
      aws: h.aws,
      clock: h.clock,
      content: fixedContent(snapshot),
      bake: true,
    });
    const record = await recordBakeFromEnv(h.sandbox.env, released, PRODUCTION, snapshot.commit.sha);
    const target = snapshot.repo.targets.find((t) => t.file === FILE)!;
    const app = snapshot.repo.applications[target.application]!;
    const env = app.environments.find((e) => e.name === 'production')!;
    const strategy = app.strategies[env.strategy];
    const step: LadderStep = {
      value: effectiveNumber(target, 'influxdb_traffic_percentage', 'percentage'),
      ...(pullRequest !== undefined ? { pullRequest } : {}),
      startedAt: released.bake?.from ?? h.clock.now(),
      completedAt: released.completedAt ?? h.clock.now(),
      bakeEnd: released.bake?.to ?? h.clock.now(),
      verdict: record?.verdict ?? released.status,
      deployMs: ((strategy?.durationMinutes ?? 0) + (strategy?.finalBakeMinutes ?? 0)) * MIN,
      bakeMs: env.bakeMinutes * MIN,
    };
    steps.push(step);
    return step;
  };

  await deployMain();
  let runs = 0;
  const maxRuns = options.maxRuns ?? 60;
  while (runs < maxRuns) {
    const snapshot = load();
    const target = snapshot.repo.targets.find((t) => t.file === FILE)!;
    if (!target.rollout) break;
    if (effectiveNumber(target, 'influxdb_traffic_percentage', 'percentage') >= 75) {
      // The guide's acceptance criteria before completing the migration, recorded for the 100 % gate.
      await verifyEnvironment({
        app: snapshot.repo.applications[target.application]!,
        environment: 'production',
        cloudwatch: h.aws.cloudwatch,
        now: h.clock.now(),
        store: gitHubVerificationStore(octokit, repo),
      });
    }
    runs += 1;
    const [outcome] = await advanceAll({
      ctx: h.ctx,
      snapshot,
      holds: noHolds,
      bakes,
      environment: 'production',
      github: { api, octokit, repo, remote: h.sandbox.gitRemote, env: GIT_ENV },
    }).catch((error: unknown) => {
      const found = (error as { diagnostics?: Array<{ message: string }> }).diagnostics ?? [];
      throw new Error(
        `advance after ${steps.map((s) => s.value).join(' → ')}: ${(error as Error).message}${found.map((d) => `\n  ${d.message}`).join('')}`,
      );
    });
    if (outcome) outcomes.push(outcome);
    if (outcome?.action === 'merged') {
      git(work, 'pull', '--quiet', '--ff-only', 'origin', 'main');
      const step = await deployMain(outcome.pullRequest?.number);
      if (step.value >= 100) break;
    }
    // The next scheduled run: the next quarter hour of the (simulated) clock.
    const now = h.clock.now();
    await h.clock.sleep(Math.ceil((now + 1) / ADVANCE_EVERY_MS) * ADVANCE_EVERY_MS - now);
  }

  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  const dwellMs = 15 * MIN; // max(plan wait 15, policy dwell_minutes.production 15, soak default 0)
  let floorMs = 0;
  for (let i = 1; i < steps.length; i++) {
    const before = steps[i - 1]!;
    floorMs += Math.max(before.bakeMs, dwellMs) + steps[i]!.deployMs;
  }
  floorMs += last.bakeMs;
  return {
    steps,
    timeToTargetMs: last.bakeEnd - first.completedAt,
    floorMs,
    advanceRuns: runs,
    outcomes,
    planRemoved: !load().repo.targets.find((t) => t.file === FILE)?.rollout,
    close: () => rmSync(work, { recursive: true, force: true }),
  };
}
