/**
 * Change control for one pull request: which environments it touches, what policy asks for them,
 * what the reviews give, and one commit status `flagops/change-control` on the head commit saying
 * so. A status (not a check run named like the job) because the gate runs on both `pull_request`
 * and `pull_request_review`, and two same-named check runs let a stale red one block the merge.
 *
 * The repository passed in should be the pull request's *base*: a pull request must not lower the
 * approvals it is judged by.
 */
import type { GitHubApi, PullRequest } from '../github/api.ts';
import type { Repository } from '../model/types.ts';
import { requiredApprovals } from '../policy/index.ts';
import { type ApprovalRule, type ApprovalVerdict, evaluateApprovals } from './count.ts';
import { approvalRules, isAutomaticRevert } from './rules.ts';
import { touchedEnvironments } from './touched.ts';

export const STATUS_CONTEXT = 'flagops/change-control';

export interface GateResult {
  pullRequest: PullRequest;
  revert: boolean;
  /** Application → environments the pull request touches. */
  touched: Map<string, string[]>;
  verdict: ApprovalVerdict;
}

export interface GateOptions {
  /** Link shown with the status, e.g. the workflow run. */
  targetUrl?: string;
}

export async function runChangeControl(
  github: Pick<GitHubApi, 'pulls' | 'statuses'>,
  repository: Repository,
  prNumber: number,
  options: GateOptions = {},
): Promise<GateResult> {
  const pullRequest = await github.pulls.get(prNumber);
  const [files, reviews] = await Promise.all([
    github.pulls.listFiles(prNumber),
    github.pulls.listReviews(prNumber),
  ]);
  const revert = isAutomaticRevert(pullRequest.labels);
  const touched = touchedEnvironments(repository, files);
  const rules = rulesFor(repository, touched, revert);
  const verdict = evaluateApprovals(
    { author: pullRequest.author, headSha: pullRequest.headSha, reviews },
    rules,
  );
  await github.statuses.create(pullRequest.headSha, {
    state: verdict.satisfied ? 'success' : 'failure',
    context: STATUS_CONTEXT,
    description: verdict.description,
    ...(options.targetUrl ? { targetUrl: options.targetUrl } : {}),
  });
  return { pullRequest, revert, touched, verdict };
}

/** One rule per touched application; with several applications the environment names say which. */
export function rulesFor(
  repository: Repository,
  touched: Map<string, string[]>,
  revert: boolean,
): ApprovalRule[] {
  const qualify = Object.keys(repository.applications).length > 1;
  const rules: ApprovalRule[] = [];
  for (const [name, environments] of touched) {
    const app = repository.applications[name];
    if (!app) continue;
    for (const rule of approvalRules(requiredApprovals(app, environments, { revert })))
      rules.push(qualify ? { ...rule, environment: `${name}/${rule.environment}` } : rule);
  }
  return rules;
}
