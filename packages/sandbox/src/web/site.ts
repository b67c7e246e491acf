/**
 * What every page reads: the emulated repository (its remembered records and git) and where its
 * pages live. Built per request, so each page sees one consistent set of branch tips.
 */
import type { GitHubWorld } from '../github/context.ts';
import type { PullRecord } from '../github/state.ts';
import { type Checks, checksFor } from './checks.ts';

export interface Site {
  world: GitHubWorld;
  /** `/github-web`: pages link with paths, so they work under whatever host serves them. */
  web: string;
  /** `/github-web/<owner>/<repo>` */
  repoWeb: string;
  /** Branch name → tip sha, read once per request. */
  tips: Map<string, string>;
}

export function makeSite(world: GitHubWorld): Site {
  const web = '/github-web';
  return {
    world,
    web,
    repoWeb: `${web}/${encodeURIComponent(world.owner)}/${encodeURIComponent(world.name)}`,
    tips: new Map(world.git.refs('refs/heads/').map((r) => [r.ref.slice('refs/heads/'.length), r.sha])),
  };
}

/** A pull request's head: its branch's tip while the branch exists, else the last one seen. */
export function headOf(site: Site, pull: PullRecord): string {
  return site.tips.get(pull.head) ?? pull.headSha;
}

export function checksOf(site: Site, sha: string): Checks {
  return checksFor(site.world.state, sha, site.repoWeb);
}

export type PullTone = 'open' | 'merged' | 'closed';

export function pullTone(pull: PullRecord): PullTone {
  if (pull.mergedAt !== null) return 'merged';
  return pull.state === 'open' ? 'open' : 'closed';
}

export function labelColor(site: Site, name: string): string {
  return site.world.state.labels.find((l) => l.name === name)?.color ?? 'ededed';
}
