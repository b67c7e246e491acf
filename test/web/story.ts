/**
 * The story the pages are looked at with, built on one sandbox by the same code the workflows run:
 * pull request A (production 0 → 25 %) planned, approved, merged and released healthy; pull request B
 * (25 → 50 %) planned with its percentage chart, approved, given a hostile comment, merged, released
 * into InfluxDB's overload and rolled back; then the automatic revert pull request C with its evidence.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { run as runPlanAction } from '../../src/actions/plan.ts';
import { runChangeControl } from '../../src/approvals/gate.ts';
import { type Aws, createAws } from '../../src/aws/index.ts';
import { createGitHubApi, type GitHubApi } from '../../src/github/api.ts';
import { createOctokit, type Octokit } from '../../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { makeContext } from '../../src/pipeline/context.ts';
import { type ReleaseResult, runRelease } from '../../src/pipeline/release.ts';
import { evidenceFromRelease } from '../../src/revert/evidence.ts';
import { openRevert } from '../../src/revert/open.ts';
import { recordBakeFromEnv } from '../../src/rollout/bake-record.ts';
import { remoteBranchContent } from '../../src/runtime/env.ts';
import { enableQueries, setPercentage } from '../../testkit/migration-edits.ts';
import { steppedClock } from '../../testkit/pipeline-harness.ts';
import { GIT_ENV, git } from '../helpers/git.ts';

export const REPO = { owner: 'ons', repo: 'flags' };
const FILE = 'flags/ons-data-platform-app/production/feature-flags.yaml';
const PRODUCTION = {
  application: 'ons-data-platform-app',
  environment: 'production',
  profile: 'feature-flags',
};
/** A Tuesday morning, outside every freeze window. */
const START = Date.UTC(2026, 5, 2, 9, 0, 0);
const BOT = 'flagops[bot]';

/** Markup a reviewer might paste to see what the page does with it; every piece must stay inert. */
export const HOSTILE_COMMENT = [
  'Looks fine to me <img src="x" onerror="window.__pwned = \'img\'">',
  '<script>window.__pwned = "script"</script>',
  '<a href="javascript:window.__pwned=\'link\'" onclick="window.__pwned=\'click\'">click me</a>',
  '<p style="position:fixed;inset:0;background:red">cover the page</p>',
  '<!-- everything after an unclosed comment is hidden, as on GitHub',
].join('\n\n');

export interface Story {
  sandbox: Sandbox;
  /** Pull request numbers. */
  healthy: number;
  rolledBack: number;
  revert: number;
  hostileCommentId: number;
  /** The rolled-back pull request's plan comment: its chart's values, oldest first. */
  chartValues: number[];
  breached: ReleaseResult;
  close(): Promise<void>;
}

export async function buildStory(): Promise<Story> {
  const tmp = mkdtempSync(join(tmpdir(), 'flagops-web-'));
  const seed = join(tmp, 'seed');
  for (const dir of ['flags', 'schemas'])
    cpSync(join(PROJECT_ROOT, dir), join(seed, dir), { recursive: true });
  const sandbox = await startSandbox({
    seedDir: seed,
    workDir: join(tmp, 'work'),
    repository: `${REPO.owner}/${REPO.repo}`,
    // Frozen: simulated time moves only when the pipeline sleeps or the story waits, so the bakes
    // observe exactly what they would whatever the machine's load.
    speed: 0,
    start: START,
    scenario: 'influxdb-overload-above-40',
    // main protected as the README says: merges need the plan check, change control and a review.
    protectMain: true,
  });
  const close = async () => {
    await sandbox.close();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const octokit = (login: string): Octokit =>
      createOctokit({
        // flagops[bot] is the App: main's protection binds change control to it (flagops protect).
        token:
          login === BOT
            ? sandbox.github.installationToken({})
            : login.endsWith('[bot]')
              ? `sandbox-bot-${login.slice(0, -5)}`
              : `sandbox-user-${login}`,
        baseUrl: sandbox.env['GITHUB_API_URL']!,
        sleep: async () => {},
      });
    const api = (login: string): GitHubApi => createGitHubApi(octokit(login), REPO);
    const aws: Aws = createAws({
      endpoint: sandbox.url,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      retryBaseDelayMs: 100 / sandbox.clock.speed,
    });
    const clock = steppedClock(sandbox);
    /** People take a while between steps; the pages' times read like a morning's work. */
    const later = (minutes: number) => clock.sleep(minutes * 60_000);
    const baseRepository = loadRepository(new WorkingTreeSource(seed));
    await bootstrap(makeContext({ aws, clock, reporter: { emit: () => {} } }), baseRepository);
    const checkout = join(tmp, 'checkout');
    git(tmp, 'clone', '--quiet', sandbox.gitRemote, checkout);

    const propose = async (
      branch: string,
      title: string,
      body: string,
      edit: (y: string) => string,
      environment = 'production',
    ) => {
      const file = FILE.replace('/production/', `/${environment}/`);
      git(checkout, 'fetch', '--quiet', 'origin');
      git(checkout, 'checkout', '--quiet', '-B', branch, 'origin/main');
      writeFileSync(join(checkout, file), edit(readFileSync(join(checkout, file), 'utf8')));
      git(checkout, 'commit', '--quiet', '-am', title);
      git(checkout, 'push', '--quiet', 'origin', branch);
      const pr = await api('alice').pulls.create({ head: branch, base: 'main', title, body });
      await later(1);
      await plan(pr.number, git(checkout, 'rev-parse', 'origin/main'));
      return pr.number;
    };

    /** The plan action in-process, as its workflow job runs it (it reads inputs from the environment). */
    const plan = async (pr: number, baseSha: string) => {
      const event = join(tmp, `event-${pr}.json`);
      writeFileSync(
        event,
        JSON.stringify({
          pull_request: { number: pr, base: { sha: baseSha }, head: { repo: { full_name: 'ons/flags' } } },
        }),
      );
      const saved = { ...process.env };
      Object.assign(process.env, sandbox.env, {
        GITHUB_EVENT_PATH: event,
        GITHUB_OUTPUT: join(tmp, 'output'),
        GITHUB_STEP_SUMMARY: join(tmp, 'summary'),
        FLAGOPS_NOW: new Date(clock.now()).toISOString(),
        // The sandbox's clock is frozen (speed 0); the plan only reads, so any pace will do.
        FLAGOPS_CLOCK_SPEED: '1',
        INPUT_TOKEN: 'sandbox-bot-flagops',
        'INPUT_WORKING-DIRECTORY': checkout,
      });
      writeFileSync(join(tmp, 'output'), '');
      writeFileSync(join(tmp, 'summary'), '');
      try {
        await runPlanAction();
      } finally {
        process.env = saved;
        process.exitCode = undefined;
      }
      // The plan job's check run, as the runner records one for each job (its summary is the job's).
      const verdict = /verdict<<(\S+)\n(\w+)\n/.exec(readFileSync(join(tmp, 'output'), 'utf8'))?.[2];
      await octokit('github-actions[bot]').rest.checks.create({
        ...REPO,
        name: 'validate and plan',
        head_sha: git(checkout, 'rev-parse', 'HEAD'),
        status: 'completed',
        conclusion: verdict === 'pass' ? 'success' : 'failure',
        output: { title: `plan: ${verdict}`, summary: readFileSync(join(tmp, 'summary'), 'utf8') },
      });
    };

    const approveAndMerge = async (pr: number) => {
      for (const reviewer of ['bob', 'carol']) {
        await later(7);
        await octokit(reviewer).rest.pulls.createReview({ ...REPO, pull_number: pr, event: 'APPROVE' });
      }
      await runChangeControl(api(BOT), baseRepository, pr);
      await later(3);
      await octokit('bob').rest.pulls.merge({ ...REPO, pull_number: pr });
    };

    /** A release of main as the deploy workflow runs it, its bake recorded as the bake step does. */
    const release = async (environment = 'production') => {
      const target = { ...PRODUCTION, environment };
      const result = await runRelease({
        target,
        aws,
        clock,
        content: remoteBranchContent(checkout, 'main'),
        bake: true,
      });
      await recordBakeFromEnv(sandbox.env, result, target, git(checkout, 'rev-parse', 'origin/main'));
      return result;
    };

    const healthy = await propose(
      'production-25',
      'production: enable InfluxDB queries, traffic 0 % → 25 %',
      'First production step of the migration guide.\n\n- [x] development baked healthy at 50 %\n- [ ] production at 25 %',
      (y) => setPercentage(enableQueries(y), 25),
    );
    await approveAndMerge(healthy);
    const first = await release();
    if (first.status !== 'healthy') throw new Error(`the 25 % release should bake healthy: ${first.status}`);

    // Production may not run ahead of development (the promotion order): development goes first.
    const development = await propose(
      'development-50',
      'development: InfluxDB traffic 25 % → 50 %',
      '',
      (y) => setPercentage(y, 50),
      'development',
    );
    await approveAndMerge(development);
    await release('development');

    const rolledBack = await propose(
      'production-50',
      'production: InfluxDB traffic 25 % → 50 %',
      'Next step: half of the API queries to InfluxDB.',
      (y) => setPercentage(y, 50),
    );
    await later(4);
    const hostile = await octokit('mallory').rest.issues.createComment({
      ...REPO,
      issue_number: rolledBack,
      body: HOSTILE_COMMENT,
    });
    await approveAndMerge(rolledBack);
    const breached = await release();
    if (breached.status !== 'rolled-back')
      throw new Error(`the 50 % release should roll back: ${breached.status}`);

    const opened = await openRevert({
      evidence: evidenceFromRelease(breached),
      aws,
      github: api(BOT),
      login: BOT,
      remote: sandbox.gitRemote,
      env: GIT_ENV,
    });
    const revert = opened.pullRequest?.number;
    if (revert === undefined) throw new Error(`no revert pull request: ${opened.message}`);
    await runChangeControl(api(BOT), baseRepository, revert);

    const planComment = (await api(BOT).comments.list(rolledBack)).find((c) =>
      c.body.includes('xychart-beta'),
    );
    const line = /^\s*line \[([^\]]*)\]/m.exec(planComment?.body ?? '');
    if (!line?.[1]) throw new Error('the plan comment has no chart');
    return {
      sandbox,
      healthy,
      rolledBack,
      revert,
      hostileCommentId: hostile.data.id,
      chartValues: line[1].split(',').map(Number),
      breached,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
