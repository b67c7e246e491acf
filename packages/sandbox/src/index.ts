/**
 * `startSandbox()`: the whole local cloud in one call — AppConfig, AppConfigData, CloudWatch and a
 * GitHub REST subset over a real bare git repository, on one port, on a simulated clock.
 * Tests start one per file on port 0; `flagops sandbox` and `flagops demo` start one for people.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { LambdaFunction } from './appconfig/extensions.ts';
import { createAppConfig } from './appconfig/service.ts';
import { createAppConfigData } from './appconfigdata/service.ts';
import { SimClock } from './clock.ts';
import { createCloudWatch } from './cloudwatch/service.ts';
import { createGitHub, type GitHubOptions, type GitHubService } from './github/service.ts';
import { SandboxIam } from './iam/service.ts';
import { createScenarios, SCENARIOS, type ScenarioName } from './scenarios.ts';
import { type RunningServer, startServer } from './server.ts';
import { createGitHubWeb } from './web/service.ts';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  /** Simulated start instant, epoch ms (default: now). */
  start?: number;
  /** Persist every change to this file and restore from it on start. */
  statePath?: string;
  /** Traffic scenario publishing metrics (default `healthy`). */
  scenario?: ScenarioName;
  /** Directory whose files seed the GitHub repository's `main` (default: this project). */
  seedDir?: string;
  /** Where the bare repository and scratch files live (default: a new temp dir, removed on close). */
  workDir?: string;
  /** `owner/name` of the emulated repository. */
  repository?: string;
  /** Seed for fault injection's random choices. */
  faultSeed?: number;
  /**
   * Run the repository's workflows on its events (default false here; `flagops sandbox` turns it
   * on). `ignore` names workflow files not run (default ci.yml: it runs this project's own tests).
   * `schedules` fires `on.schedule` crons as simulated time passes (default false, so a test's runs
   * are only the ones it causes; `POST /_sandbox/workflows/schedules` toggles it while running).
   */
  workflows?:
    | boolean
    | {
        ignore?: string[];
        schedules?: boolean;
        minTimeoutMs?: number;
        onRunFinished?: NonNullable<GitHubOptions['workflows']>['onRunFinished'];
      };
  /** Protect `main` as the README says (required checks, one approval), enforced on merge (default: when workflows run). */
  protectMain?: boolean;
  /** Environment monitors roll back on INSUFFICIENT_DATA as well as ALARM (default false). */
  rollbackOnInsufficientData?: boolean;
  /**
   * Lambda functions AppConfig extension actions may invoke, by function ARN: the sandbox runs them
   * in-process (it emulates no Lambda service), e.g. flagops' release guard.
   */
  lambdas?: Readonly<Record<string, LambdaFunction>>;
}

export interface Sandbox {
  url: string;
  port: number;
  /** What a shell needs: AWS_ENDPOINT_URL, AWS_REGION, credentials, GITHUB_*, FLAGOPS_*. */
  env: Record<string, string>;
  /** The bare repository clients clone from and push to. */
  gitRemote: string;
  /** The emulated GitHub (its state, and App installation tokens for tests and the runner). */
  github: GitHubService;
  /** The AWS account's IAM roles and the sessions assumed from them. */
  iam: SandboxIam;
  clock: SimClock;
  server: RunningServer;
  /** `export NAME=value` lines, one per variable. */
  exports(): string;
  close(): Promise<void>;
}

/**
 * The flagops checkout this code runs from: from source that is `sandbox/..`, from a bundle in
 * `dist/cli/` it is two levels up, so look for the package.json that names flagops.
 */
export const PROJECT_ROOT = findProjectRoot(import.meta.dirname);

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      if (
        (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'flagops'
      )
        return dir;
    } catch {
      // no package.json here: keep walking up
    }
    if (dirname(dir) === dir) return resolve(from, '..');
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = new SimClock({
    speed: options.speed ?? 1,
    ...(options.start !== undefined ? { start: options.start } : {}),
  });
  const ownsWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'flagops-sandbox-'));
  const repository = options.repository ?? 'ons/flags';
  const scenario = options.scenario ?? 'healthy';
  if (!SCENARIOS.includes(scenario))
    throw new Error(`unknown scenario ${scenario}; known: ${SCENARIOS.join(', ')}`);

  let github: ReturnType<typeof createGitHub> | undefined;
  const workflows =
    options.workflows === undefined || options.workflows === false
      ? undefined
      : {
          ignore: ['ci.yml'],
          ...(options.workflows === true ? {} : options.workflows),
        };
  let scenarios: ReturnType<typeof createScenarios> | undefined;
  // The AWS account's roles, created as the repository declares them (README, set-up).
  const iam = new SandboxIam(SandboxIam.declaredIn(options.seedDir ?? PROJECT_ROOT));
  const server = await startServer({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.statePath !== undefined ? { statePath: options.statePath } : {}),
    ...(options.faultSeed !== undefined ? { faultSeed: options.faultSeed } : {}),
    clock,
    authorize: (service, operation, req) => iam.authorize(service, operation, req),
    services: (ctx) => {
      const cloudwatch = createCloudWatch(ctx);
      const appconfig = createAppConfig(ctx, {
        alarms: cloudwatch,
        rollbackOnInsufficientData: options.rollbackOnInsufficientData ?? false,
        ...(options.lambdas ? { lambdas: options.lambdas } : {}),
      });
      const appconfigdata = createAppConfigData(ctx, { appconfig });
      github = createGitHub(ctx, {
        workDir,
        seedDir: options.seedDir ?? PROJECT_ROOT,
        repository,
        region: 'eu-west-2',
        protectMain: options.protectMain ?? workflows !== undefined,
        iam,
        ...(workflows ? { workflows } : {}),
      });
      scenarios = createScenarios(ctx, { appconfig, metrics: cloudwatch, scenario });
      // Tick order: deployments move, then traffic is published, then alarms are evaluated.
      const web = createGitHubWeb({ world: () => github!.world });
      return [appconfig, scenarios, cloudwatch, appconfigdata, github, web, iam];
    },
    control: (req) => scenarios?.control(req) ?? github?.control(req),
  });
  const gh = github!;
  gh.attach(server.url);

  const fixedEnv: Record<string, string> = {
    AWS_ENDPOINT_URL: server.url,
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'sandbox',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    GITHUB_API_URL: `${server.url}/github`,
    GITHUB_SERVER_URL: `${server.url}/github-web`,
    GITHUB_TOKEN: 'sandbox-bot-flagops',
    GITHUB_REPOSITORY: repository,
    FLAGOPS_GIT_REMOTE: gh.gitRemote,
    FLAGOPS_SANDBOX_URL: server.url,
  };
  // The clock's variables are read when asked: they pair the real now with the simulated one.
  const currentEnv = (): Record<string, string> => ({ ...fixedEnv, ...clock.processEnv() });

  return {
    url: server.url,
    port: server.port,
    get env() {
      return currentEnv();
    },
    gitRemote: gh.gitRemote,
    github: gh,
    iam,
    clock,
    server,
    exports: () =>
      Object.entries(currentEnv())
        .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
        .join('\n'),
    async close() {
      await server.close();
      // A job still winding down may write into its workspace while it is removed: retry then.
      if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

function shellQuote(v: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`;
}
