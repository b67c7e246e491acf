/**
 * Verifications are recorded where the gate can read them from any job that has a GitHub token —
 * including the pull request's plan, which has no AWS access: as a GitHub deployment of task
 * `flagops:verify` to the environment, with a `success` or `failure` status and the table as its
 * payload. Statuses are created with `auto_inactive: false`, so a verification never marks the
 * environment's real deployments inactive (GitHub REST: "Create a deployment status").
 */

import { EXIT, Failure } from '../core/failure.ts';
import { VERIFY_TASK } from '../core/names.ts';
import type { RepoRef } from '../github/api.ts';
import { gitHubFromEnv } from '../github/from-env.ts';
import type { Octokit } from '../github/octokit.ts';
import type { Repository } from '../model/types.ts';
import type { VerificationProvider, VerificationSummary } from '../policy/acceptance.ts';
import type { AcceptanceResult } from './criteria.ts';

export interface VerificationRecord extends VerificationSummary {
  environment: string;
  id: number;
  window?: AcceptanceResult['window'];
}

export interface VerificationStore {
  record(environment: string, result: AcceptanceResult, ref: string): Promise<VerificationRecord>;
  /** The newest verification of the environment, pass or fail. */
  latest(environment: string): Promise<VerificationRecord | undefined>;
}

export function gitHubVerificationStore(octokit: Octokit, repo: RepoRef): VerificationStore {
  const base = { owner: repo.owner, repo: repo.repo };
  return {
    async record(environment, result, ref) {
      const failed = result.rows.filter((r) => r.outcome === 'fail' || r.outcome === 'no-data');
      const description = result.passed
        ? `acceptance passed (${result.rows.length} criteria)`
        : `acceptance failed: ${failed.map((r) => r.criterion).join(', ')}`.slice(0, 140);
      const { data } = await octokit.rest.repos.createDeployment({
        ...base,
        ref,
        task: VERIFY_TASK,
        environment,
        auto_merge: false,
        required_contexts: [],
        description,
        payload: JSON.stringify({ window: result.window, passed: result.passed, rows: result.rows }),
      });
      if (!('id' in data))
        throw new Failure(`GitHub did not create the verification record: ${data.message}`, EXIT.unavailable);
      await octokit.rest.repos.createDeploymentStatus({
        ...base,
        deployment_id: data.id,
        state: result.passed ? 'success' : 'failure',
        description,
        auto_inactive: false,
      });
      return {
        environment,
        id: data.id,
        passed: result.passed,
        at: new Date(data.created_at),
        url: data.url,
        window: result.window,
      };
    },
    async latest(environment) {
      const { data } = await octokit.rest.repos.listDeployments({
        ...base,
        task: VERIFY_TASK,
        environment,
        per_page: 1,
      });
      const newest = data[0];
      if (!newest) return undefined;
      const statuses = await octokit.rest.repos.listDeploymentStatuses({
        ...base,
        deployment_id: newest.id,
        per_page: 1,
      });
      return {
        environment,
        id: newest.id,
        passed: statuses.data[0]?.state === 'success',
        at: new Date(newest.created_at),
        url: newest.url,
      };
    },
  };
}

/**
 * Policy asks synchronously; read the newest verification of each environment first. Reading
 * fails loudly: a gate that cannot see its evidence must not pass.
 */
export async function verificationProvider(
  store: VerificationStore,
  environments: readonly string[],
): Promise<VerificationProvider> {
  const known = new Map<string, VerificationRecord | undefined>();
  for (const env of new Set(environments)) known.set(env, await store.latest(env));
  return {
    latest: (target) => {
      const r = known.get(target.environment);
      return r ? { passed: r.passed, at: r.at, ...(r.url ? { url: r.url } : {}) } : undefined;
    },
  };
}

/**
 * The gate's evidence for the environments any application's acceptance gate covers, read from
 * GitHub when a token and repository are known; undefined otherwise, and the gate fails closed.
 */
export async function verificationFromEnv(
  env: NodeJS.ProcessEnv,
  repo: Repository,
): Promise<VerificationProvider | undefined> {
  const environments = Object.values(repo.applications).flatMap((app) =>
    !app.acceptance
      ? []
      : app.acceptance.environments.length > 0
        ? app.acceptance.environments
        : app.environments.map((e) => e.name),
  );
  if (environments.length === 0) return undefined;
  if (!(env['GITHUB_TOKEN'] || env['GH_TOKEN']) || !env['GITHUB_REPOSITORY']) return undefined;
  const { octokit, api } = gitHubFromEnv(env);
  return verificationProvider(gitHubVerificationStore(octokit, api.repo), environments);
}
