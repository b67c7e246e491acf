/**
 * Waking the advancer when a step becomes due, instead of leaving it to advance.yml's next
 * quarter-hour cron: the job that recorded a healthy bake dispatches advance.yml for the
 * environment at once (`workflow_dispatch`, "Create a workflow dispatch event" in GitHub's REST
 * API). With the App's token, so the run it starts may open the next step's pull request with
 * checks. The cron stays: it is the fallback when the dispatch is lost, and covers dwells longer
 * than the bake.
 */
import type { RepoRef } from '../github/api.ts';
import type { Octokit } from '../github/octokit.ts';

export const ADVANCE_WORKFLOW = 'advance.yml';

export async function wakeAdvancer(
  octokit: Octokit,
  repo: RepoRef,
  environment: string,
  options: { workflow?: string; ref?: string } = {},
): Promise<string> {
  const workflow = options.workflow ?? ADVANCE_WORKFLOW;
  await octokit.rest.actions.createWorkflowDispatch({
    owner: repo.owner,
    repo: repo.repo,
    workflow_id: workflow,
    ref: options.ref ?? 'main',
    inputs: { environment },
  });
  return `dispatched ${workflow} for ${environment}: the next step is due now`;
}
