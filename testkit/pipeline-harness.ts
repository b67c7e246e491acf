/**
 * The whole sandbox in-process at high speed, the real AWS clients pointed at it, a pipeline
 * clock that reads the sandbox's own clock, and a scratch copy of the repository's flags that a
 * test may edit (a "merge to main"). In testkit/ because tests and benchmarks both use it, and
 * bench/ never imports test/.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { steppedClock } from '../packages/sandbox/demo/stepped-clock.ts';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../packages/sandbox/src/index.ts';
import type { ScenarioName } from '../packages/sandbox/src/scenarios.ts';
import { type Aws, createAws } from '../src/aws/index.ts';
import { loadRepository, WorkingTreeSource } from '../src/model/index.ts';
import { type Clock, clockFollowing } from '../src/pipeline/clock.ts';
import type { ContentProvider, Snapshot } from '../src/pipeline/content.ts';
import { makeContext, type PipelineContext } from '../src/pipeline/context.ts';
import { type ReleaseEvent, recordingReporter } from '../src/pipeline/events.ts';

export const APP = 'ons-data-platform-app';
export const PRODUCTION = { application: APP, environment: 'production', profile: 'feature-flags' };
export const DEVELOPMENT = { application: APP, environment: 'development', profile: 'feature-flags' };

export interface PipelineHarness {
  sandbox: Sandbox;
  aws: Aws;
  clock: Clock;
  root: string;
  events: ReleaseEvent[];
  ctx: PipelineContext;
  /** Set `influxdb_traffic_percentage.percentage` in an environment's values file. */
  setPercentage(environment: string, percentage: number, queries?: boolean): void;
  /** The repository as the scratch tree says now, at a made-up commit. */
  snapshot(commit?: string): Snapshot;
  /** A provider reading the scratch tree each time it is asked (like re-reading `main`). */
  provider(commit?: () => string): ContentProvider;
  control(path: string, body: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** 1 simulated hour per 3 real seconds: a 30-minute deploy and bake takes about 1.5 s. */
export const SPEED = 1200;

/** A clock whose sleeps advance the sandbox's frozen clock (see `stepped`). */
export { steppedClock };

/**
 * `stepped: true`: simulated time stands still except when the pipeline sleeps — each sleep moves
 * the sandbox's clock forward by exactly that much (and runs its ticks), so requests take no
 * simulated time, runs are exact and fast whatever the machine's load, and AppConfig's monitors
 * act at the very instant they would. `start`: the simulated start instant.
 */
export async function startPipelineHarness(
  options: { scenario?: ScenarioName; speed?: number; stepped?: boolean; start?: number } = {},
): Promise<PipelineHarness> {
  const root = mkdtempSync(join(tmpdir(), 'flagops-pipeline-'));
  cpSync(join(PROJECT_ROOT, 'flags'), join(root, 'flags'), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'schemas'), join(root, 'schemas'), { recursive: true });
  const seedDir = mkdtempSync(join(tmpdir(), 'flagops-seed-'));
  writeFileSync(join(seedDir, 'README.md'), 'seed\n');
  const sandbox = await startSandbox({
    speed: options.stepped ? 0 : (options.speed ?? SPEED),
    ...(options.start !== undefined ? { start: options.start } : {}),
    scenario: options.scenario ?? 'healthy',
    seedDir,
  });
  const aws = createAws({
    endpoint: sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    retryBaseDelayMs: 100 / (options.stepped ? SPEED : sandbox.clock.speed),
  });
  const clock = options.stepped ? steppedClock(sandbox) : clockFollowing(sandbox.clock);
  const recorder = recordingReporter();
  const ctx = makeContext({ aws, clock, reporter: recorder });
  const valuesFile = (env: string) => join(root, 'flags', APP, env, 'feature-flags.yaml');

  const snapshot = (commit = 'c0ffee000001'): Snapshot => ({
    repo: loadRepository(new WorkingTreeSource(root)),
    commit: { sha: commit, pullRequest: 7, author: 'alice' },
  });
  return {
    sandbox,
    aws,
    clock,
    root,
    events: recorder.events,
    ctx,
    setPercentage(environment, percentage, queries = true) {
      const file = valuesFile(environment);
      const text = readFileSync(file, 'utf8')
        .replace(/percentage: \d+/, `percentage: ${percentage}`)
        .replace(
          /use_influxdb_for_api_queries: \{ enabled: \w+ \}/,
          `use_influxdb_for_api_queries: { enabled: ${queries} }`,
        );
      writeFileSync(file, text);
    },
    snapshot,
    provider: (commit) => async () => snapshot(commit?.()),
    async control(path, body) {
      const res = await fetch(`${sandbox.url}/_sandbox/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`sandbox control ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    async close() {
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
      rmSync(seedDir, { recursive: true, force: true });
    },
  };
}
