/**
 * What every GitHub handler works with: the repository (git + remembered state), the caller, the
 * matched path parameters, and the URLs objects link to.
 */
import type { SandboxRequest } from '../core.ts';
import type { BareRepository } from './git.ts';
import type { GitHubState } from './state.ts';
import type { Actor } from './wire.ts';

export interface GitHubWorld {
  readonly owner: string;
  readonly name: string;
  readonly git: BareRepository;
  /** Replaced wholesale by load/reset, so always read through the world. */
  state: GitHubState;
  /** Simulated epoch ms. */
  now(): number;
  nextId(): number;
  nextNumber(): number;
  changed(): void;
}

export interface Urls {
  /** `<base>/github`: the API root clients were given. */
  api: string;
  /** `<api>/repos/<owner>/<name>`. */
  repoApi: string;
  /** `<base>/github-web/<owner>/<name>`: what `html_url`s point at (GITHUB_SERVER_URL). */
  repoWeb: string;
  web: string;
}

export interface Call {
  world: GitHubWorld;
  req: SandboxRequest;
  params: Record<string, string>;
  actor: Actor;
  urls: Urls;
}

export function urlsFor(req: SandboxRequest, world: GitHubWorld): Urls {
  const api = `${req.baseUrl}/github`;
  const web = `${req.baseUrl}/github-web`;
  return {
    api,
    web,
    repoApi: `${api}/repos/${world.owner}/${world.name}`,
    repoWeb: `${web}/${world.owner}/${world.name}`,
  };
}
