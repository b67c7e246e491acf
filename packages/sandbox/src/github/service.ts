/**
 * The sandbox's GitHub: the REST subset flagops uses, under `/github`, over a real bare repository
 * that clients clone from and push to with plain git (`gitRemote`). Pull requests, reviews,
 * comments, labels, statuses and deployments are remembered here; refs and commits live in git.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Runner, type RunnerOptions } from '../actions/runner.ts';
import type {
  Reply,
  ResolvedOperation,
  SandboxRequest,
  Service,
  ServiceContext,
  ServiceError,
} from '../core.ts';
import type { SandboxIam } from '../iam/service.ts';
import { appInstallationToken, authorize, resolveCaller } from './access.ts';
import { type Call, type GitHubWorld, urlsFor } from './context.ts';
import { BareRepository } from './git.ts';
import { pushGate } from './push-gate.ts';
import { drainPushes, installPushHooks } from './push-hook.ts';
import { matchRoute, type Route } from './router.ts';
import { actionRoutes, downloadJobLog, JOB_LOG_PREFIX } from './routes/actions.ts';
import { checkRoutes } from './routes/checks.ts';
import { collaboratorRoutes } from './routes/collaborators.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { forkRoutes } from './routes/forks.ts';
import { graphqlRoutes } from './routes/graphql.ts';
import { issueRoutes } from './routes/issues.ts';
import { pendingDeploymentRoutes } from './routes/pending-deployments.ts';
import { plainIssueRoutes } from './routes/plain-issues.ts';
import { protectionRoutes } from './routes/protection.ts';
import { pullRoutes } from './routes/pulls.ts';
import { commitRoute, repositoryRoutes } from './routes/repository.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { statusRoutes } from './routes/statuses.ts';
import { variableRoutes } from './routes/variables.ts';
import { defaultSettings } from './settings.ts';
import { emptyState, restoreState } from './state.ts';
import { encodeGitHubError, notFound, secondaryRateLimit, unauthorized } from './wire.ts';

const PREFIX = '/github';

/** Order matters where templates overlap: `/commits/{ref}` must come after `/commits/{ref}/status`. */
export const ROUTES: readonly Route[] = [
  ...protectionRoutes,
  ...repositoryRoutes,
  ...forkRoutes,
  ...graphqlRoutes,
  ...collaboratorRoutes,
  ...variableRoutes,
  ...checkRoutes,
  ...actionRoutes,
  ...pendingDeploymentRoutes,
  ...pullRoutes,
  ...reviewRoutes,
  // Comment routes before plain issues: `issues/comments` is not an issue numbered "comments".
  ...issueRoutes,
  ...plainIssueRoutes,
  ...statusRoutes,
  ...deploymentRoutes,
  commitRoute,
];

export interface GitHubOptions {
  /** Directory the bare repository lives under (`<workDir>/<owner>/<name>.git`). */
  workDir: string;
  /** Directory whose files become the first commit on `main`. */
  seedDir: string;
  /** `owner/name`. */
  repository: string;
  /** The region the repository variable AWS_REGION names (default eu-west-2). */
  region?: string;
  /**
   * Protect `main` as the README says: required checks `validate and plan` and
   * `flagops/change-control`, up to date, one approval. Off by default, since only a sandbox that
   * runs the workflows can ever produce those checks.
   */
  protectMain?: boolean;
  /** The AWS account's IAM: the runner's configure-aws-credentials assumes its roles. */
  iam?: SandboxIam;
  /** Run the repository's workflows on the events this GitHub raises (see sandbox/actions/). */
  workflows?: {
    ignore: string[];
    minTimeoutMs?: number;
    onRunFinished?: RunnerOptions['onRunFinished'];
    /** Fire `on.schedule` as simulated time passes (default false: tests dispatch or turn it on). */
    schedules?: boolean;
  };
}

export interface GitHubService extends Service {
  gitRemote: string;
  /** The repository and its remembered state: the web pages and the runner read the same records. */
  world: GitHubWorld;
  /** An installation token of the repository's App, limited to `permissions` (as the App grants). */
  installationToken(permissions: Record<string, 'read' | 'write'>): string;
  /** The workflow runner, when the sandbox runs workflows. */
  runner: Runner | undefined;
  /** Called once the server listens: the runner and the push hook need its URL. */
  attach(url: string): void;
  /**
   * `/_sandbox/workflows/idle?timeout_ms=N`: `{ idle }` once no run is queued or in progress;
   * `GET|POST /_sandbox/workflows/schedules` `{ "enabled": bool }`: whether `on.schedule` fires.
   */
  control(req: SandboxRequest): Promise<Reply> | undefined;
}

/** How long closing waits for running jobs to end after their processes got SIGTERM. */
const CLOSE_TIMEOUT_MS = 10_000;

export function createGitHub(ctx: ServiceContext, options: GitHubOptions): GitHubService {
  const [owner, name] = parseRepository(options.repository);
  const git = new BareRepository(join(options.workDir, owner, `${name}.git`));
  // A repository left by an earlier run with the same work directory is kept: its refs are the
  // state a restored `--state` file refers to.
  if (!git.exists()) git.seed(options.seedDir);

  const settings = () =>
    defaultSettings({
      owner,
      name,
      region: options.region ?? 'eu-west-2',
      now: ctx.clock.now(),
      protectMain: options.protectMain ?? false,
    });
  const spool = join(options.workDir, 'runner', 'pushes');
  const world: GitHubWorld = {
    owner,
    name,
    git,
    ...(options.workflows ? { spool } : {}),
    state: emptyState(settings()),
    now: () => ctx.clock.now(),
    nextId: () => world.state.nextId++,
    nextNumber: () => world.state.nextNumber++,
    changed: () => {
      ctx.changed();
      // Once closed, the repository may be gone with the work directory: a job winding down after
      // `close` gave up waiting must not write the hook's file into a removed directory.
      if (!closed) gate.refresh();
    },
    emit: (event) => runner?.raise(event),
  };
  const gate = pushGate(world);
  let closed = false;
  let baseUrl = '';
  let lastDrain = 0;
  const runner = options.workflows
    ? new Runner({
        world,
        url: () => baseUrl,
        region: options.region ?? 'eu-west-2',
        ...(options.iam ? { iam: options.iam } : {}),
        workDir: join(options.workDir, 'runner'),
        speed: () => ctx.clock.speed,
        clockEnv: () => ctx.clock.processEnv(),
        ignore: options.workflows.ignore,
        minTimeoutMs: options.workflows.minTimeoutMs ?? 60_000,
        schedules: options.workflows.schedules ?? false,
        ...(options.workflows.onRunFinished ? { onRunFinished: options.workflows.onRunFinished } : {}),
      })
    : undefined;

  /** Seeding replaces the repository, hooks included: install them again, with the gate's file. */
  function installHooks(): void {
    installPushHooks(git.path, runner ? spool : undefined);
    gate.refresh(true);
  }

  function resolve(req: SandboxRequest): ResolvedOperation | undefined {
    if (req.path.startsWith(JOB_LOG_PREFIX) && req.method === 'GET')
      return {
        operation: 'github.downloadJobLog',
        handle: () => downloadJobLog(world, req.path, req.query.get('sig')),
      };
    if (req.path !== PREFIX && !req.path.startsWith(`${PREFIX}/`)) return undefined;
    const path = req.path.slice(PREFIX.length);
    const match = matchRoute(ROUTES, req.method, path);
    if (!match)
      return {
        operation: 'github.unknown',
        handle: () => {
          throw notFound();
        },
      };
    return {
      operation: match.route.operation,
      handle: () => {
        const actor = resolveCaller(world, req.headers['authorization']);
        if (!actor) throw unauthorized();
        const { params } = match;
        if (
          params['owner'] !== undefined &&
          !sameRepository(params['owner'], params['repo'] ?? '', owner, name)
        )
          throw notFound();
        authorize(world, actor, match.route.operation);
        const call: Call = { world, req, params, actor, urls: urlsFor(req, world) };
        return match.route.handle(call);
      },
    };
  }

  return {
    name: 'github',
    gitRemote: git.path,
    world,
    installationToken: (permissions) => appInstallationToken(world, permissions).token,
    runner,
    // Simulated time moves in small steps; reading the push spool once per real 10 ms is enough.
    ...(runner
      ? {
          tick: (simNow: number) => {
            runner.tick(simNow);
            const now = Date.now();
            if (now - lastDrain < 10) return;
            lastDrain = now;
            drainPushes(world, spool);
          },
        }
      : {}),
    attach(url: string) {
      baseUrl = url;
      if (runner) mkdirSync(join(options.workDir, 'runner'), { recursive: true });
      installHooks();
    },
    control(req: SandboxRequest) {
      if (req.path === '/_sandbox/workflows/idle' && req.method === 'GET') {
        const timeout = Math.min(600_000, Math.max(0, Number(req.query.get('timeout_ms') ?? 0) || 0));
        if (!runner) return Promise.resolve({ status: 200, body: { idle: true } });
        drainPushes(world, spool);
        return runner.whenIdle(timeout).then((idle) => ({ status: 200, body: { idle } }));
      }
      if (req.path === '/_sandbox/workflows/schedules' && (req.method === 'GET' || req.method === 'POST')) {
        if (!runner)
          return Promise.resolve({
            status: 409,
            body: { message: 'this sandbox runs no workflows (started with --no-workflows)' },
          });
        if (req.method === 'POST') {
          const enabled = parseEnabled(req.body);
          if (enabled === undefined)
            return Promise.resolve({
              status: 400,
              body: {
                message: 'POST /_sandbox/workflows/schedules takes {"enabled": true} or {"enabled": false}',
              },
            });
          runner.setSchedules(enabled);
        }
        return Promise.resolve({ status: 200, body: { enabled: runner.schedules } });
      }
      return undefined;
    },
    resolve,
    async close() {
      // Jobs still running (a schedule fired, a push's workflows) stop before the server does.
      if (runner) await runner.stop(CLOSE_TIMEOUT_MS);
      closed = true;
    },
    encodeError: (err: ServiceError) => encodeGitHubError(err),
    throttleError: () => secondaryRateLimit(),
    dump: () => world.state,
    load(data: unknown) {
      world.state = restoreState(data, world.state.settings);
      if (!git.exists()) git.seed(options.seedDir);
      installHooks();
    },
    reset() {
      world.state = emptyState(settings());
      git.seed(options.seedDir);
      installHooks();
    },
    env: () => ({ GITHUB_REPOSITORY: options.repository, FLAGOPS_GIT_REMOTE: git.path }),
  };
}

function parseEnabled(body: Buffer): boolean | undefined {
  try {
    const enabled = (JSON.parse(body.toString('utf8')) as { enabled?: unknown }).enabled;
    return typeof enabled === 'boolean' ? enabled : undefined;
  } catch {
    return undefined;
  }
}

function parseRepository(repository: string): [owner: string, name: string] {
  const [owner, name, ...extra] = repository.split('/');
  if (!owner || !name || extra.length > 0)
    throw new Error(`repository must be owner/name (e.g. ons/flags), got "${repository}"`);
  return [owner, name];
}

/** GitHub treats owner and repository names case-insensitively. */
function sameRepository(owner: string, name: string, expectedOwner: string, expectedName: string): boolean {
  return (
    owner.toLowerCase() === expectedOwner.toLowerCase() && name.toLowerCase() === expectedName.toLowerCase()
  );
}
