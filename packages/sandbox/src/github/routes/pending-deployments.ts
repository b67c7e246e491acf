/**
 * A run's jobs held by environment protection rules, and their review
 * (https://docs.github.com/en/rest/actions/workflow-runs#get-pending-deployments-for-a-workflow-run,
 * https://docs.github.com/en/rest/actions/workflow-runs#review-pending-deployments-for-a-workflow-run):
 * one entry per environment the run waits on; a required reviewer approves or rejects them by
 * environment id, and each reviewed environment gets its deployment.
 */
import { isHeld, mayReview } from '../../actions/environment-gate.ts';
import type { PendingDeploymentRecord, RunRecord } from '../../actions/records.ts';
import type { Call } from '../context.ts';
import { renderDeployment } from '../render.ts';
import type { Route } from '../router.ts';
import type { EnvironmentRecord } from '../settings.ts';
import type { DeploymentRecord } from '../state.ts';
import { bodyOf, isoTime, json, nodeId, notFound, unprocessable, validationFailed } from '../wire.ts';
import { renderReviewer } from './variables.ts';

const RUN = '/repos/:owner/:repo/actions/runs/:run_id';

export const pendingDeploymentRoutes: Route[] = [
  {
    method: 'GET',
    path: `${RUN}/pending_deployments`,
    operation: 'actions.getPendingDeploymentsForRun',
    handle: listPending,
  },
  {
    method: 'POST',
    path: `${RUN}/pending_deployments`,
    operation: 'actions.reviewPendingDeploymentsForRun',
    handle: review,
  },
];

function findRun(call: Call): RunRecord {
  const run = call.world.state.workflowRuns.find((r) => r.id === Number(call.params['run_id']));
  if (!run) throw notFound();
  return run;
}

/** The environments the run waits on, once each (a matrix's jobs share one review). */
function heldEnvironments(
  call: Call,
  run: RunRecord,
): Array<{ env: EnvironmentRecord; holds: PendingDeploymentRecord[] }> {
  const holds = call.world.state.pendingDeployments.filter((p) => p.runId === run.id && isHeld(p));
  const out: Array<{ env: EnvironmentRecord; holds: PendingDeploymentRecord[] }> = [];
  for (const hold of holds) {
    const env = call.world.state.settings.environments.find((e) => e.id === hold.environmentId);
    if (!env) continue;
    const entry = out.find((o) => o.env === env);
    if (entry) entry.holds.push(hold);
    else out.push({ env, holds: [hold] });
  }
  return out;
}

function listPending(call: Call) {
  const run = findRun(call);
  return json(
    heldEnvironments(call, run).map(({ env, holds }) => ({
      environment: {
        id: env.id,
        node_id: nodeId('Environment', env.id),
        name: env.name,
        url: `${call.urls.repoApi}/environments/${encodeURIComponent(env.name)}`,
        html_url: `${call.urls.repoWeb}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
      },
      wait_timer: env.waitTimer ?? 0,
      wait_timer_started_at: env.waitTimer ? isoTime(Math.min(...holds.map((h) => h.since))) : null,
      current_user_can_approve: mayReview(call.world, env, run, call.actor.login),
      reviewers: (env.reviewers ?? []).map((r) => renderReviewer(call, r)),
    })),
  );
}

function review(call: Call) {
  const { world } = call;
  const run = findRun(call);
  const body = bodyOf(call.req);
  const ids = body['environment_ids'];
  const state = body['state'];
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => Number.isInteger(id)))
    throw validationFailed({ resource: 'DeploymentReview', code: 'invalid', field: 'environment_ids' });
  if (state !== 'approved' && state !== 'rejected')
    throw validationFailed({ resource: 'DeploymentReview', code: 'invalid', field: 'state' });
  if (typeof body['comment'] !== 'string')
    throw validationFailed({ resource: 'DeploymentReview', code: 'missing_field', field: 'comment' });
  const held = heldEnvironments(call, run);
  const chosen = ids.map((id) => held.find((h) => h.env.id === id));
  if (chosen.some((c) => c === undefined))
    throw unprocessable('One or more environments are not waiting for a review in this run.');
  const reviewable = chosen as Array<{ env: EnvironmentRecord; holds: PendingDeploymentRecord[] }>;
  const refused = reviewable.find((c) => !mayReview(world, c.env, run, call.actor.login));
  if (refused)
    throw unprocessable(
      `${call.actor.login} is not a required reviewer of the environment ${refused.env.name}.`,
    );
  const now = world.now();
  const deployments = reviewable.map(({ env, holds }) => {
    for (const hold of holds) {
      hold.state = state;
      hold.reviewedBy = call.actor.login;
      hold.comment = body['comment'] as string;
    }
    const deployment: DeploymentRecord = {
      id: world.nextId(),
      sha: run.headSha,
      ref: run.headBranch ?? run.ref,
      task: 'deploy',
      environment: env.name,
      description: null,
      payload: {},
      creator: call.actor.login,
      createdAt: now,
      updatedAt: now,
      transientEnvironment: false,
      productionEnvironment: env.name.toLowerCase() === 'production',
    };
    world.state.deployments.push(deployment);
    return deployment;
  });
  world.changed();
  return json(deployments.map((d) => renderDeployment(call.urls, d)));
}
