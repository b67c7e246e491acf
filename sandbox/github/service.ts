/**
 * The sandbox's GitHub: the REST subset flagops uses, under `/github`, over a real bare repository
 * that clients clone from and push to with plain git (`gitRemote`). Pull requests, reviews,
 * comments, labels, statuses and deployments are remembered here; refs and commits live in git.
 */
import { join } from 'node:path';
import type { ResolvedOperation, SandboxRequest, Service, ServiceContext, ServiceError } from '../core.ts';
import { type Call, type GitHubWorld, urlsFor } from './context.ts';
import { BareRepository } from './git.ts';
import { matchRoute, type Route } from './router.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { issueRoutes } from './routes/issues.ts';
import { pullRoutes } from './routes/pulls.ts';
import { commitRoute, repositoryRoutes } from './routes/repository.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { statusRoutes } from './routes/statuses.ts';
import { emptyState, restoreState } from './state.ts';
import {
  actorFromAuthorization,
  encodeGitHubError,
  notFound,
  secondaryRateLimit,
  unauthorized,
} from './wire.ts';

const PREFIX = '/github';

/** Order matters where templates overlap: `/commits/{ref}` must come after `/commits/{ref}/status`. */
const ROUTES: readonly Route[] = [
  ...repositoryRoutes,
  ...pullRoutes,
  ...reviewRoutes,
  ...issueRoutes,
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
}

export function createGitHub(
  ctx: ServiceContext,
  options: GitHubOptions,
): Service & { gitRemote: string; world: GitHubWorld } {
  const [owner, name] = parseRepository(options.repository);
  const git = new BareRepository(join(options.workDir, owner, `${name}.git`));
  // A repository left by an earlier run with the same work directory is kept: its refs are the
  // state a restored `--state` file refers to.
  if (!git.exists()) git.seed(options.seedDir);

  const world: GitHubWorld = {
    owner,
    name,
    git,
    state: emptyState(),
    now: () => ctx.clock.now(),
    nextId: () => world.state.nextId++,
    nextNumber: () => world.state.nextNumber++,
    changed: () => ctx.changed(),
  };

  function resolve(req: SandboxRequest): ResolvedOperation | undefined {
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
        const actor = actorFromAuthorization(req.headers['authorization']);
        if (!actor) throw unauthorized();
        const { params } = match;
        if (
          params['owner'] !== undefined &&
          !sameRepository(params['owner'], params['repo'] ?? '', owner, name)
        )
          throw notFound();
        const call: Call = { world, req, params, actor, urls: urlsFor(req, world) };
        return match.route.handle(call);
      },
    };
  }

  return {
    name: 'github',
    gitRemote: git.path,
    // The web pages (sandbox/web) read the same records the API serves.
    world,
    resolve,
    encodeError: (err: ServiceError) => encodeGitHubError(err),
    throttleError: () => secondaryRateLimit(),
    dump: () => world.state,
    load(data: unknown) {
      world.state = restoreState(data);
      if (!git.exists()) git.seed(options.seedDir);
    },
    reset() {
      world.state = emptyState();
      git.seed(options.seedDir);
    },
    env: () => ({ GITHUB_REPOSITORY: options.repository, FLAGOPS_GIT_REMOTE: git.path }),
  };
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
