/**
 * `flagops demo` (`npm start`): the whole GitOps story on the embedded sandbox, in about a minute.
 *
 * Each change is made the way a person makes it — edit the YAML, check the plan against policy,
 * merge to `main` in git — and then released by the same `runRelease` the deploy action runs:
 * deploy to AppConfig, bake against the guards and the guide's alarms, roll back on a breach.
 * The sandbox's scenario makes InfluxDB fail above 40 % of traffic, so the last step breaches for
 * real and production ends up serving 25 % again.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../sandbox/index.ts';
import { type Aws, createAws } from '../aws/index.ts';
import { enableQueries, setPercentage } from '../edit/traffic.ts';
import { describeBreach } from '../guards/verdict.ts';
import { decompileFeatureFlags } from '../model/index.ts';
import { loadRevision, loadWorkingTree } from '../model/revision.ts';
import {
  bootstrap,
  type Clock,
  clockFollowing,
  makeContext,
  type ReleaseEvent,
  type ReleaseResult,
  runRelease,
} from '../pipeline/index.ts';
import { buildPlan } from '../plan/index.ts';
import { createGuideAlarms } from './alarms.ts';
import { printLinks, untilInterrupted } from './links.ts';
import { openDemoRevert } from './revert-step.ts';

const APP = 'ons-data-platform-app';
/** A Tuesday morning, outside every freeze window, so the story reads the same whenever it runs. */
const SIMULATED_START = Date.UTC(2026, 5, 2, 9, 0, 0);

export interface DemoOptions {
  /** Simulated seconds per real second. */
  speed: number;
  /** Keep the sandbox (and its pages) up after the story until Ctrl-C. */
  browse?: boolean;
}

interface Change {
  title: string;
  environment: string;
  edit: (yaml: string) => string;
}

const CHANGES: Change[] = [
  {
    title: 'development: InfluxDB traffic 25 % → 50 %',
    environment: 'development',
    edit: (y) => setPercentage(y, 50),
  },
  {
    title: 'production: enable InfluxDB queries, traffic 0 % → 25 %',
    environment: 'production',
    edit: (y) => setPercentage(enableQueries(y), 25),
  },
  {
    title: 'production: InfluxDB traffic 25 % → 50 %',
    environment: 'production',
    edit: (y) => setPercentage(y, 50),
  },
];

/** Where the story is told (the CLI passes its own IO; the demo needs nothing else from it). */
export interface DemoOutput {
  stdout(text: string): void;
}

export async function runDemo(io: DemoOutput, options: DemoOptions): Promise<number> {
  const out = (line = ''): void => io.stdout(`${line}\n`);
  out('flagops demo — GitOps for AppConfig feature flags, end to end on a local sandbox');
  out();
  out(`  A local AppConfig + CloudWatch + GitHub runs on a simulated clock (${options.speed}× real time),`);
  out('  seeded with this repository. Its traffic scenario "influxdb-overload-above-40" makes InfluxDB');
  out('  fail once it serves more than 40 % of API queries. Each change below is edited in YAML,');
  out('  checked against policy, merged to main, then deployed, baked and — if a guard breaches —');
  out('  rolled back by flagops:');
  for (const [i, c] of CHANGES.entries()) out(`    ${i + 1}. ${c.title}`);
  out();

  const sandbox = await startSandbox({
    speed: options.speed,
    start: SIMULATED_START,
    scenario: 'influxdb-overload-above-40',
    seedDir: PROJECT_ROOT,
  });
  const workDir = mkdtempSync(join(tmpdir(), 'flagops-demo-'));
  try {
    const clock = clockFollowing(sandbox.clock);
    const stamp = (at: number): string => new Date(at).toISOString().slice(11, 19);
    const say = (line: string): void => out(`[${stamp(clock.now())}] ${line}`);
    const aws = createAws({
      endpoint: sandbox.url,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
      clockSpeed: options.speed,
    });
    const repoDir = cloneMain(sandbox, workDir);
    say(`sandbox up at ${sandbox.url}; main cloned from ${sandbox.gitRemote}`);

    await setUpAws(sandbox, aws, clock, repoDir, say);
    const results: ReleaseResult[] = [];
    for (const [i, change] of CHANGES.entries()) {
      out();
      out(`── ${i + 1}. ${change.title}`);
      const result = await release(change, { repoDir, aws, clock, say, now: () => clock.now() });
      if (!result) return 1;
      results.push(result);
    }

    out();
    out('── Timeline');
    for (const e of results.flatMap((r) => r.timeline).filter(isMilestone))
      out(`[${stamp(e.at)}] ${e.target.replace(`${APP}/`, '')}: ${e.message}`);
    out();
    out('── Status');
    for (const environment of ['development', 'production']) {
      const served = await aws.served.served(APP, environment, 'feature-flags');
      const flags = decompileFeatureFlags(Buffer.from(served.content));
      const pct = flags.ok ? flags.flags['influxdb_traffic_percentage']?.attributes['percentage'] : undefined;
      const queries = flags.ok ? flags.flags['use_influxdb_for_api_queries']?.enabled : undefined;
      const repoValue = readPercentage(repoDir, environment);
      out(
        `  ${environment.padEnd(12)} serves ${String(pct ?? '?').padStart(3)} % InfluxDB (queries ${queries ? 'on' : 'off'}), version ${served.versionLabel ?? '?'}; main says ${repoValue} %`,
      );
    }
    const last = results.at(-1)!;
    let revert: { number: number; url: string } | undefined;
    out();
    if (last.status === 'rolled-back') {
      out(
        '  Production was rolled back by flagops: it serves the last healthy version (25 %) while main says',
      );
      out('  50 %. So flagops opens an automatic revert pull request and holds the target until it is');
      out('  merged or closed, and git and AppConfig agree again:');
      out();
      revert = await openDemoRevert(sandbox, aws, last, say);
    }
    const web = sandbox.env['GITHUB_SERVER_URL'];
    printLinks(
      out,
      [
        { label: 'Pull requests', url: `${web}/${sandbox.env['GITHUB_REPOSITORY']}/pulls` },
        { label: `Automatic revert #${revert?.number}`, url: revert?.url },
      ],
      options.browse === true,
    );
    if (options.browse) await untilInterrupted();
    return 0;
  } finally {
    await sandbox.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

interface ReleaseEnv {
  repoDir: string;
  aws: Aws;
  clock: Clock;
  say: (line: string) => void;
  now: () => number;
}

async function release(change: Change, env: ReleaseEnv): Promise<ReleaseResult | undefined> {
  const file = join(env.repoDir, 'flags', APP, change.environment, 'feature-flags.yaml');
  writeFileSync(file, change.edit(readFileSync(file, 'utf8')));
  const plan = buildPlan(loadRevision(env.repoDir, 'HEAD'), loadWorkingTree(env.repoDir), {
    now: new Date(env.now()),
    baseLabel: 'main',
  });
  const diff = git(env.repoDir, 'diff', '--unified=0', '--no-color')
    .split('\n')
    .filter((l) => /^[-+]\s/.test(l));
  for (const line of diff) env.say(`  ${line}`);
  const approvals = plan.approvals.map((a) => a.approvals).reduce((a, b) => Math.max(a, b), 0);
  env.say(
    `plan: policy ${plan.verdict === 'pass' ? 'passes' : 'FAILS'}; the pull request needs ${approvals} approval(s)`,
  );
  if (plan.verdict !== 'pass') return undefined;
  git(env.repoDir, 'commit', '-qam', change.title);
  git(env.repoDir, 'push', '-q', 'origin', 'HEAD:main');
  const sha = git(env.repoDir, 'rev-parse', 'HEAD').trim();
  env.say(`merged to main as ${sha.slice(0, 7)}; releasing`);

  const result = await runRelease({
    target: { application: APP, environment: change.environment, profile: 'feature-flags' },
    aws: env.aws,
    clock: env.clock,
    content: async () => ({ repo: loadWorkingTree(env.repoDir), commit: { sha, author: 'demo' } }),
    bake: true,
    reporter: { emit: storyLine(env.say) },
  });
  env.say(
    `result: ${result.status}${result.breaches.length ? ` — ${result.breaches.map(describeBreach).join('; ')}` : ''}`,
  );
  return result;
}

/** Plain story lines: every message, progress only when the percentage moves, the bake sparingly. */
function storyLine(say: (line: string) => void): (e: ReleaseEvent) => void {
  let lastPercent = -1;
  let lastBake = '';
  return (e) => {
    if (e.kind === 'progress') {
      if (e.percent === lastPercent) return;
      lastPercent = e.percent;
    }
    if (e.kind === 'bake') {
      const key = `${e.status}|${Math.ceil(e.remainingMs / 300_000)}`;
      if (key === lastBake) return;
      lastBake = key;
    }
    say(e.message);
  };
}

function isMilestone(e: ReleaseEvent): boolean {
  if (e.kind === 'breach' || e.kind === 'warning') return true;
  if (e.kind === 'info')
    return /deploy|roll|revert|healthy|bake|serves|created|started|complete/i.test(e.message);
  return false;
}

async function setUpAws(
  sandbox: Sandbox,
  aws: Aws,
  clock: Clock,
  repoDir: string,
  say: (l: string) => void,
): Promise<void> {
  const cloudwatch = new CloudWatchClient({
    endpoint: sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
  });
  const alarms = await createGuideAlarms(cloudwatch);
  say(`the platform's ${alarms.length} CloudWatch alarms exist (${alarms[0]}, …)`);
  const ctx = makeContext({ aws, clock, reporter: { emit: () => {} } });
  const actions = await bootstrap(ctx, loadWorkingTree(repoDir));
  const created = actions.filter((a) => a.action === 'created').map((a) => `${a.resource} ${a.name}`);
  say(`bootstrap: created ${created.join(', ')}`);
}

function cloneMain(sandbox: Sandbox, workDir: string): string {
  const dir = join(workDir, 'flags-repo');
  execFileSync('git', ['clone', '-q', sandbox.gitRemote, dir], { stdio: 'pipe' });
  git(dir, 'config', 'user.name', 'flagops demo');
  git(dir, 'config', 'user.email', 'demo@flagops.invalid');
  return dir;
}

function readPercentage(repoDir: string, environment: string): string {
  const text = readFileSync(join(repoDir, 'flags', APP, environment, 'feature-flags.yaml'), 'utf8');
  return /percentage:\s*(\d+)/.exec(text)?.[1] ?? '?';
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
