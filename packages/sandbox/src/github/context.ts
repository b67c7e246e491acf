/**
 * What every GitHub handler works with: the repository (git + remembered state), the caller, the
 * matched path parameters, and the URLs objects link to.
 */

import type { SandboxRequest } from '../core.ts';
import type { RaisedEvent } from './events.ts';
import type { BareRepository } from './git.ts';
import type { Caller } from './identity.ts';
import type { GitHubState } from './state.ts';

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
  /** An event for the workflow runner (a no-op when the sandbox runs no workflows). */
  emit(event: RaisedEvent): void;
  /** Where push hooks spool pushes when workflows run (forks install theirs there too). */
  readonly spool?: string;
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
  actor: Caller;
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

const tipsPerCall = new WeakMap<Call, Map<string, string>>();

/**
 * A branch's tip as seen at the start of rendering this request's answer: one `for-each-ref` serves
 * every pull request in a list instead of two git processes each. Handlers that move a ref read it
 * from git directly, never through this.
 */
export function branchTip(call: Call, branch: string): string | undefined {
  let tips = tipsPerCall.get(call);
  if (!tips) {
    tips = new Map(call.world.git.refs('refs/heads/').map((r) => [r.ref.slice('refs/heads/'.length), r.sha]));
    tipsPerCall.set(call, tips);
  }
  return tips.get(branch);
}
