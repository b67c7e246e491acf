/**
 * One world for the fault matrix (test/rollout/fault-matrix.test.ts): a sandbox on a free port
 * whose traffic overloads InfluxDB above 40 %, a clone of its repository where production runs
 * 25 % (healthy) and soaks 10 h, and the means to run a flagops entry point as a child process and
 * kill it with SIGKILL at an exact step.
 *
 * How a step is made exact: a sandbox `hang` fault (packages/sandbox/src/faults.ts) withholds the
 * reply to one operation, so the child sits blocked in that call — with `after`, once the operation
 * took effect (after StartDeployment, after StopDeployment, after the pull request was created).
 * The world waits until the sandbox reports the hang, then kills. The product knows nothing of it:
 * to flagops it is a request that never got its answer.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultRule } from '../packages/sandbox/src/faults.ts';
import { PROJECT_ROOT } from '../packages/sandbox/src/index.ts';
import type { ScenarioName } from '../packages/sandbox/src/scenarios.ts';
import { parseRepository } from '../src/github/api.ts';
import { createOctokit } from '../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../src/model/index.ts';
import { bootstrap } from '../src/pipeline/bootstrap.ts';
import { fixedContent } from '../src/pipeline/content.ts';
import { runRelease } from '../src/pipeline/release.ts';
import { resolveTarget } from '../src/pipeline/resolve.ts';
import { type BakeRecord, gitHubBakeStore } from '../src/rollout/bake-record.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from './pipeline-harness.ts';
import { soakingCheckout } from './soaking-checkout.ts';

const FILE = 'flags/ons-data-platform-app/production/feature-flags.yaml';
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Fault Matrix',
  GIT_AUTHOR_EMAIL: 'faults@example.com',
  GIT_COMMITTER_NAME: 'Fault Matrix',
  GIT_COMMITTER_EMAIL: 'faults@example.com',
};

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

export interface FaultWorld {
  h: PipelineHarness;
  work: string;
  /** Commit and push production at `percentage` % (queries on); the commit's sha. */
  commit(percentage: number): string;
  /** Run `flagops <args>` to its end. */
  run(args: string[]): Promise<Run>;
  /** Run `flagops <args>` until the sandbox holds it in `fault`, then kill it with SIGKILL. */
  killAt(args: string[], fault: FaultRule): Promise<Run>;
  scenario(name: ScenarioName): Promise<void>;
  advanceMinutes(minutes: number): Promise<void>;
  /** Wait until no deployment of the target is in flight. */
  settled(): Promise<void>;
  /** The percentage production serves now, as AppConfig Data hands it to clients. */
  servedPercentage(): Promise<number | undefined>;
  deployments(): Promise<Array<{ number: number; state: string }>>;
  /** Open pull requests from the target's revert branches. */
  openReverts(): Promise<Array<{ number: number; head: string }>>;
  record(): Promise<BakeRecord | undefined>;
  close(): Promise<void>;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
}

export async function startFaultWorld(): Promise<FaultWorld> {
  const h = await startPipelineHarness({ scenario: 'influxdb-overload-above-40', speed: 600 });
  const work = soakingCheckout(h, 'flagops-fault-matrix-', 600);
  const children = new Set<ChildProcess>();
  const commit = (percentage: number): string => {
    writeFileSync(
      join(work, FILE),
      readFileSync(join(work, FILE), 'utf8')
        .replace(
          /use_influxdb_for_api_queries: \{ enabled: \w+ \}/,
          'use_influxdb_for_api_queries: { enabled: true }',
        )
        .replace(/percentage: \d+ /, `percentage: ${percentage} `),
    );
    git(work, 'add', '--all');
    git(work, 'commit', '--quiet', '-m', `Production at ${percentage} %`);
    git(work, 'push', '--quiet', 'origin', 'HEAD:main');
    return git(work, 'rev-parse', 'HEAD');
  };
  commit(25);
  const repo = loadRepository(new WorkingTreeSource(work));
  await bootstrap(h.ctx, repo);
  const baseline = await runRelease({
    target: PRODUCTION,
    aws: h.aws,
    clock: h.clock,
    content: fixedContent({ repo, commit: { sha: git(work, 'rev-parse', 'HEAD') } }),
    bake: false,
  });
  if (baseline.status !== 'deployed') throw new Error(`baseline not deployed: ${baseline.message}`);

  const octokit = createOctokit({
    token: 'sandbox-user-alice',
    baseUrl: h.sandbox.env['GITHUB_API_URL']!,
    sleep: async () => {},
  });
  const repoRef = parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!;

  const spawnCli = (args: string[]) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...GIT_ENV, ...h.sandbox.env, FLAGOPS_ROOT: work },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(proc);
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const done = new Promise<Run>((resolve) =>
      proc.once('exit', (code, signal) => {
        children.delete(proc);
        resolve({ code, signal, out });
      }),
    );
    return { proc, done, output: () => out };
  };

  const injected = async (operation: string): Promise<number> => {
    const res = await fetch(`${h.sandbox.url}/_sandbox/faults`);
    const body = (await res.json()) as { injected: Record<string, number> };
    return body.injected[operation] ?? 0;
  };

  const world: FaultWorld = {
    h,
    work,
    commit,
    run: (args) => spawnCli(args).done,
    async killAt(args, fault) {
      const already = await injected(fault.operation);
      await h.control('faults', { ...fault, count: 1 });
      const child = spawnCli(args);
      const deadline = Date.now() + 90_000;
      let exited: Run | undefined;
      void child.done.then((r) => {
        exited = r;
      });
      while ((await injected(fault.operation)) === already) {
        if (exited)
          throw new Error(`flagops ${args.join(' ')} ended before ${fault.operation} hung:\n${exited.out}`);
        if (Date.now() > deadline)
          throw new Error(`flagops ${args.join(' ')} never reached ${fault.operation}:\n${child.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.proc.kill('SIGKILL');
      const run = await child.done;
      await fetch(`${h.sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
      return run;
    },
    async scenario(name) {
      await h.control('scenario', { name });
    },
    async advanceMinutes(minutes) {
      await h.control('clock', { advanceSeconds: minutes * 60 });
    },
    async settled() {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const inFlight = (await world.deployments()).filter((d) =>
          ['VALIDATING', 'DEPLOYING', 'BAKING', 'ROLLING_BACK'].includes(d.state),
        );
        if (inFlight.length === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`a deployment is still in flight: ${JSON.stringify(await world.deployments())}`);
    },
    async servedPercentage() {
      const served = await h.aws.served.served('ons-data-platform-app', 'production', 'feature-flags');
      if (!served.content) return undefined;
      const doc = JSON.parse(Buffer.from(served.content).toString('utf8')) as Record<
        string,
        { percentage?: number }
      >;
      return doc['influxdb_traffic_percentage']?.percentage;
    },
    async deployments() {
      const t = await resolveTarget(h.aws, PRODUCTION);
      return (await h.aws.appconfig.listDeployments(t.application.id, t.environment.id))
        .filter((d) => d.profileName === 'feature-flags')
        .sort((a, b) => a.number - b.number)
        .map((d) => ({ number: d.number, state: d.state }));
    },
    async openReverts() {
      const { data } = await octokit.rest.pulls.list({ ...repoRef, state: 'open' });
      return data
        .filter((p) =>
          p.head.ref.startsWith('flagops/revert/ons-data-platform-app/production/feature-flags/'),
        )
        .map((p) => ({ number: p.number, head: p.head.ref }));
    },
    record: () => gitHubBakeStore(octokit, repoRef).latest(PRODUCTION),
    async close() {
      for (const c of children) c.kill('SIGKILL');
      await h.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
  return world;
}
