/**
 * `POST /repos/{owner}/{repo}/forks`: the caller's own fork
 * (https://docs.github.com/en/rest/repos/forks#create-a-fork), answered 202 with the fork's
 * repository, whose `clone_url` is the bare repository to push to (forks.ts).
 */
import { createFork } from '../forks.ts';
import { installForkHook } from '../push-hook.ts';
import { renderForkRepository } from '../render.ts';
import type { Route } from '../router.ts';
import { json, validationFailed } from '../wire.ts';

export const forkRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/:owner/:repo/forks',
    operation: 'repos.createFork',
    handle: (call) => {
      const { world, actor } = call;
      if (actor.type !== 'User' || actor.login.toLowerCase() === world.owner.toLowerCase())
        throw validationFailed({
          resource: 'Repository',
          code: 'custom',
          message: `${actor.login} cannot fork ${world.owner}/${world.name} into its own account`,
        });
      const { fork, created } = createFork(world, actor.login);
      if (created) installForkHook(fork.path, world.spool, fork.owner);
      return json(renderForkRepository(call, fork), 202);
    },
  },
];
