/**
 * Change control for one pull request: what it needs (from the BASE repository's policy and
 * layout, and facts GitHub reports — never labels or anything the pull request says about itself),
 * which reviews count (write access, not the author, not bots, not stale), whether the code owners
 * approved where CODEOWNERS asks, and one commit status `flagops/change-control` on the head
 * commit saying so. A status (not a check run named like the job) because the gate runs on several
 * events, and two same-named check runs let a stale red one block the merge.
 *
 * The repository passed in must be the pull request's base, loaded by code from the base: the
 * workflow that runs this never executes the pull request's code (README, "Threat model").
 */

import { Failure } from '../core/failure.ts';
import type { TargetRef } from '../core/target.ts';
import { OverlaySource } from '../edit/overlay-source.ts';
import type { GitHubApi, PullRequest } from '../github/api.ts';
import { matchesDeployed } from '../model/compile.ts';
import { loadRepository } from '../model/load.ts';
import type { RepoSource } from '../model/source.ts';
import type { Repository } from '../model/types.ts';
import { judgeCodeOwners, parseCodeOwners, teamsIn } from './codeowners.ts';
import {
  type ApprovalVerdict,
  countingApprovers,
  evaluateApprovals,
  type Permission,
  type PullRequestReviewState,
} from './count.ts';
import { type ChangeNeeds, changeNeeds, type RevertClaim, revertClaim } from './needs.ts';
import { headOverBase, judgePolicy, type PolicyInputs, type PolicyVerdict } from './policy.ts';

export const STATUS_CONTEXT = 'flagops/change-control';

/** GitHub's list of a pull request's files stops at 3,000 entries. */
export const LIST_FILES_CAP = 3000;

export interface GateResult {
  pullRequest: PullRequest;
  needs: ChangeNeeds;
  verdict: ApprovalVerdict;
  /** The base's policy on the pull request's values; absent when no base source was given. */
  policy?: PolicyVerdict;
  /** Approvals and policy together: what the status says. */
  satisfied: boolean;
  description: string;
  /** Why the verdict was not posted: it was stale (the head moved, or a newer run had posted). */
  skipped?: string;
}

export interface GateOptions {
  /** Link shown with the status, e.g. the workflow run. */
  targetUrl?: string;
  /** The flagops App's bot login (`<app-slug>[bot]`): only its pull requests can be reverts. */
  appLogin?: string;
  /**
   * The base's files: a revert's head file is compiled against base's app.yaml, and the policy is
   * judged on the pull request's files laid over them. The action and `flagops approvals` always
   * pass it (`runtime/gate-inputs.ts`).
   */
  source?: RepoSource;
  /** The policy clock and evidence; the real time and no evidence when absent. */
  policy?: PolicyInputs;
  /** The base's CODEOWNERS text, when it has one. */
  codeOwners?: string;
  /** The bytes AppConfig serves for a target (read-only); without it nothing counts as a revert. */
  deployed?: (ref: TargetRef) => Promise<Buffer | undefined>;
}

export class TooManyFilesError extends Failure {}

export async function runChangeControl(
  github: Pick<GitHubApi, 'repo' | 'pulls' | 'statuses' | 'access'>,
  repository: Repository,
  prNumber: number,
  options: GateOptions = {},
): Promise<GateResult> {
  const pullRequest = await github.pulls.get(prNumber);
  try {
    const result = await judge(github, repository, pullRequest, options);
    const skipped = await staleness(github, pullRequest, options);
    if (skipped) return { ...result, skipped };
    await post(github, pullRequest, result.satisfied, result.description, options);
    return result;
  } catch (error) {
    // Fail closed: whatever stops the count (too many files, an API error) is a failed status,
    // so a green status from an earlier commit can never stand for this one.
    const message = error instanceof Error ? error.message : String(error);
    const stale = await staleness(github, pullRequest, options).catch(() => undefined);
    if (!stale) await post(github, pullRequest, false, `cannot judge: ${message}`, options).catch(() => {});
    throw error;
  }
}

/**
 * Why this run's verdict must not be posted, if it must not: the pull request's head moved while
 * it was judged (the run for the new head posts), or a newer run (a higher run id in the status's
 * link) already posted on this commit. Runs for one pull request share a concurrency group, but a
 * run can be overtaken before that group cancels it, and the last status posted is the one that
 * counts, so a stale recount would otherwise overwrite a newer verdict.
 */
async function staleness(
  github: Pick<GitHubApi, 'pulls' | 'statuses'>,
  judged: PullRequest,
  options: GateOptions,
): Promise<string | undefined> {
  const current = await github.pulls.get(judged.number);
  if (current.headSha !== judged.headSha)
    return `stale: the head moved from ${judged.headSha.slice(0, 7)} to ${current.headSha.slice(0, 7)} while judging; the run for the new head posts`;
  const ours = runIdOf(options.targetUrl);
  if (ours === undefined) return undefined;
  const [latest] = await github.statuses.list(judged.headSha, STATUS_CONTEXT);
  const theirs = runIdOf(latest?.targetUrl);
  if (theirs !== undefined && theirs > ours)
    return `stale: run ${theirs}, newer than this run ${ours}, already posted the verdict for ${judged.headSha.slice(0, 7)}`;
  return undefined;
}

/** The run id in a workflow run's URL (`…/actions/runs/<id>`), as the action links the status. */
function runIdOf(url: string | undefined): number | undefined {
  const match = /\/actions\/runs\/(\d+)/.exec(url ?? '');
  return match ? Number(match[1]) : undefined;
}

async function post(
  github: Pick<GitHubApi, 'statuses'>,
  pr: PullRequest,
  satisfied: boolean,
  description: string,
  options: GateOptions,
): Promise<void> {
  // The adapter fits the description to GitHub's limit (src/github/limits.ts).
  await github.statuses.create(pr.headSha, {
    state: satisfied ? 'success' : 'failure',
    context: STATUS_CONTEXT,
    description,
    ...(options.targetUrl ? { targetUrl: options.targetUrl } : {}),
  });
}

async function judge(
  github: Pick<GitHubApi, 'repo' | 'pulls' | 'access'>,
  repository: Repository,
  pullRequest: PullRequest,
  options: GateOptions,
): Promise<GateResult> {
  const tooMany = (count: number) =>
    new TooManyFilesError(
      `${count} files changed; GitHub lists at most ${LIST_FILES_CAP}, so some changes could not be seen. Split the pull request`,
    );
  // GitHub's own count says so before paging through a list that would stop short anyway.
  if ((pullRequest.changedFiles ?? 0) >= LIST_FILES_CAP) throw tooMany(pullRequest.changedFiles ?? 0);
  const [paths, reviews] = await Promise.all([
    github.pulls.listFiles(pullRequest.number),
    github.pulls.listReviews(pullRequest.number),
  ]);
  const listed = new Set(paths).size;
  if (listed >= LIST_FILES_CAP) throw tooMany(listed);
  const facts = {
    author: pullRequest.author,
    headRef: pullRequest.headRef,
    sameRepository:
      pullRequest.headRepository.toLowerCase() === `${github.repo.owner}/${github.repo.repo}`.toLowerCase(),
    paths,
  };
  const claim = revertClaim(repository, facts, options.appLogin);
  const restores = claim ? await restoresDeployed(github, claim, pullRequest, options) : false;
  const needs = changeNeeds(repository, facts, {
    ...(options.appLogin ? { appLogin: options.appLogin } : {}),
    restoresDeployed: () => restores,
  });

  const permissions = new Map<string, Permission>();
  for (const login of new Set(reviews.map((r) => r.user.toLowerCase()))) {
    if (login === '' || login.endsWith('[bot]')) continue;
    permissions.set(login, await github.access.permission(login));
  }
  const state: PullRequestReviewState = {
    author: pullRequest.author,
    headSha: pullRequest.headSha,
    reviews,
    permissions,
  };
  const owners = needs.codeOwners ? await codeOwnersVerdict(github, state, paths, options) : undefined;
  const verdict = evaluateApprovals(state, needs.rules, owners);
  const policy = options.source
    ? await judgePolicy(
        repository,
        await headOverBase(github.access, options.source, paths, pullRequest.headSha),
        options.policy ?? { now: new Date() },
        needs.revert !== undefined,
      )
    : undefined;
  return { pullRequest, needs, verdict, ...(policy ? { policy } : {}), ...combined(verdict, policy) };
}

/** Policy errors come first in the status: approvals cannot make a refused change pass. */
function combined(verdict: ApprovalVerdict, policy: PolicyVerdict | undefined) {
  if (!policy || policy.pass) return { satisfied: verdict.satisfied, description: verdict.description };
  // The count first: the description is cut at GitHub's 140 characters.
  const count = policy.errors.length > 1 ? ` (1 of ${policy.errors.length})` : '';
  const first = (policy.errors[0] ?? 'the plan fails').replace(/^[^:]*:\d+: /, '');
  return { satisfied: false, description: `policy${count}: ${first}` };
}

/** The revert's head file, compiled with base's app.yaml, is byte for byte what AppConfig serves. */
async function restoresDeployed(
  github: Pick<GitHubApi, 'access'>,
  claim: RevertClaim,
  pr: PullRequest,
  options: GateOptions,
): Promise<boolean> {
  if (!options.deployed || !options.source) return false;
  const [head, deployed] = await Promise.all([
    github.access.fileAt(claim.file, pr.headSha),
    options.deployed(claim.target),
  ]);
  if (!head || !deployed) return false;
  const repo = loadRepository(new OverlaySource(options.source, { [claim.file]: head.toString('utf8') }));
  const app = repo.applications[claim.target.application];
  const target = repo.targets.find((t) => t.file === claim.file);
  return !!app && !!target && matchesDeployed(app, target, deployed);
}

async function codeOwnersVerdict(
  github: Pick<GitHubApi, 'access'>,
  state: PullRequestReviewState,
  paths: readonly string[],
  options: GateOptions,
) {
  const rules = parseCodeOwners(options.codeOwners ?? '');
  const teams = new Map<string, Set<string>>();
  for (const team of teamsIn(rules)) {
    const [org, slug] = team.split('/') as [string, string];
    teams.set(team, new Set((await github.access.teamMembers(org, slug)).map((m) => m.toLowerCase())));
  }
  return judgeCodeOwners(rules, paths, countingApprovers(state), teams);
}
