/**
 * Deployments and their statuses. Like GitHub, creating a deployment checks the ref's commit
 * statuses (all contexts by default, or `required_contexts`) and a new `success` marks the
 * environment's earlier successful deployments inactive. Deleting one follows GitHub's rule: when
 * the repository has more than one deployment, only an inactive one (newest status `inactive`) may
 * be deleted, and its statuses go with it.
 */
import { ServiceError } from '../../core.ts';
import type { Call } from '../context.ts';
import { renderDeployment, renderDeploymentStatus } from '../render.ts';
import type { Route } from '../router.ts';
import type { DeploymentRecord, DeploymentState, DeploymentStatusRecord } from '../state.ts';
import {
  bodyOf,
  DESCRIPTION_MAX_CHARACTERS,
  json,
  noContent,
  notFound,
  optionalString,
  page,
  requiredString,
  unprocessable,
  validationFailed,
  withinLimit,
} from '../wire.ts';
import { latestPerContext } from './statuses.ts';

const DEPLOYMENTS = '/repos/:owner/:repo/deployments';

export const deploymentRoutes: Route[] = [
  { method: 'POST', path: DEPLOYMENTS, operation: 'repos.createDeployment', handle: createDeployment },
  { method: 'GET', path: DEPLOYMENTS, operation: 'repos.listDeployments', handle: listDeployments },
  {
    method: 'GET',
    path: `${DEPLOYMENTS}/:deployment_id`,
    operation: 'repos.getDeployment',
    handle: (call) => json(renderDeployment(call.urls, findDeployment(call))),
  },
  {
    method: 'DELETE',
    path: `${DEPLOYMENTS}/:deployment_id`,
    operation: 'repos.deleteDeployment',
    handle: deleteDeployment,
  },
  {
    method: 'POST',
    path: `${DEPLOYMENTS}/:deployment_id/statuses`,
    operation: 'repos.createDeploymentStatus',
    handle: createDeploymentStatus,
  },
  {
    method: 'GET',
    path: `${DEPLOYMENTS}/:deployment_id/statuses`,
    operation: 'repos.listDeploymentStatuses',
    handle: listDeploymentStatuses,
  },
];

const DEPLOYMENT_STATES: readonly DeploymentState[] = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
];

function findDeployment(call: Call): DeploymentRecord {
  const id = Number(call.params['deployment_id']);
  const deployment = call.world.state.deployments.find((d) => d.id === id);
  if (!deployment) throw notFound();
  return deployment;
}

/** Contexts that must be `success` before deploying, or undefined when every check passed. */
function failingContexts(call: Call, sha: string, required: unknown): string[] {
  const latest = latestPerContext(call, sha);
  const contexts = Array.isArray(required) ? required.map(String) : latest.map((s) => s.context);
  return contexts.filter((context) => latest.find((s) => s.context === context)?.state !== 'success');
}

function createDeployment(call: Call) {
  const { world } = call;
  const body = bodyOf(call.req);
  const ref = requiredString(body, 'ref', 'Deployment');
  const sha = world.git.resolveCommit(ref);
  if (!sha)
    throw validationFailed({
      resource: 'Deployment',
      code: 'custom',
      field: 'ref',
      message: `No ref found for: ${ref}`,
    });
  const failing = failingContexts(call, sha, body['required_contexts']);
  if (failing.length > 0)
    throw new ServiceError(409, 'Conflict', `Conflict: Commit status checks failed for ${ref}.`, {
      errors: [{ contexts: failing, resource: 'Deployment', field: 'required_contexts', code: 'invalid' }],
    });
  const environment = optionalString(body, 'environment', 'Deployment') ?? 'production';
  const now = world.now();
  const deployment: DeploymentRecord = {
    id: world.nextId(),
    sha,
    ref,
    task: optionalString(body, 'task', 'Deployment') ?? 'deploy',
    environment,
    description: optionalString(body, 'description', 'Deployment') ?? null,
    payload: body['payload'] ?? {},
    creator: call.actor.login,
    createdAt: now,
    updatedAt: now,
    transientEnvironment: body['transient_environment'] === true,
    productionEnvironment:
      typeof body['production_environment'] === 'boolean'
        ? body['production_environment']
        : environment === 'production',
  };
  world.state.deployments.push(deployment);
  world.changed();
  return json(renderDeployment(call.urls, deployment), 201);
}

function deleteDeployment(call: Call) {
  const { world } = call;
  const deployment = findDeployment(call);
  // GitHub answers this with validation-error-simple: the errors are sentences.
  if (world.state.deployments.length > 1 && latestState(call, deployment) !== 'inactive')
    throw unprocessable(
      'We cannot delete an active deployment unless it is the only deployment in a given environment.',
    );
  world.state.deployments = world.state.deployments.filter((d) => d !== deployment);
  world.state.deploymentStatuses = world.state.deploymentStatuses.filter(
    (s) => s.deployment !== deployment.id,
  );
  world.changed();
  return noContent();
}

function listDeployments(call: Call) {
  const q = call.req.query;
  const matches = (value: string, filter: string | null) => filter === null || filter === value;
  const deployments = call.world.state.deployments
    .filter(
      (d) =>
        matches(d.sha, q.get('sha')) &&
        matches(d.ref, q.get('ref')) &&
        matches(d.task, q.get('task')) &&
        matches(d.environment, q.get('environment')),
    )
    .sort((a, b) => b.id - a.id);
  return page(call.req, deployments, (d) => renderDeployment(call.urls, d));
}

function latestState(call: Call, deployment: DeploymentRecord): DeploymentState | undefined {
  return call.world.state.deploymentStatuses
    .filter((s) => s.deployment === deployment.id)
    .reduce<DeploymentStatusRecord | undefined>(
      (newest, s) => (newest && newest.id > s.id ? newest : s),
      undefined,
    )?.state;
}

function createDeploymentStatus(call: Call) {
  const { world } = call;
  const deployment = findDeployment(call);
  const body = bodyOf(call.req);
  const state = body['state'];
  if (typeof state !== 'string' || !(DEPLOYMENT_STATES as readonly string[]).includes(state))
    throw validationFailed({
      resource: 'DeploymentStatus',
      code: 'invalid',
      field: 'state',
      message: `state must be one of ${DEPLOYMENT_STATES.join(', ')}`,
    });
  const now = world.now();
  const record = (
    target: DeploymentRecord,
    targetState: DeploymentState,
    description: string,
  ): DeploymentStatusRecord => ({
    id: world.nextId(),
    deployment: target.id,
    state: targetState,
    description,
    environment: target.environment,
    environmentUrl: optionalString(body, 'environment_url', 'DeploymentStatus') ?? '',
    logUrl:
      optionalString(body, 'log_url', 'DeploymentStatus') ??
      optionalString(body, 'target_url', 'DeploymentStatus') ??
      '',
    creator: call.actor.login,
    createdAt: now,
  });
  if (state === 'success' && body['auto_inactive'] !== false) {
    for (const other of world.state.deployments) {
      if (other === deployment || other.environment !== deployment.environment || other.transientEnvironment)
        continue;
      if (latestState(call, other) !== 'success') continue;
      world.state.deploymentStatuses.push({
        ...record(other, 'inactive', ''),
        environmentUrl: '',
        logUrl: '',
      });
      other.updatedAt = now;
    }
  }
  const status = record(
    deployment,
    state as DeploymentState,
    withinLimit(
      optionalString(body, 'description', 'DeploymentStatus'),
      DESCRIPTION_MAX_CHARACTERS,
      'DeploymentStatus',
      'description',
    ) ?? '',
  );
  world.state.deploymentStatuses.push(status);
  deployment.updatedAt = now;
  world.changed();
  return json(renderDeploymentStatus(call.urls, status), 201);
}

function listDeploymentStatuses(call: Call) {
  const deployment = findDeployment(call);
  const statuses = call.world.state.deploymentStatuses
    .filter((s) => s.deployment === deployment.id)
    .sort((a, b) => b.id - a.id);
  return page(call.req, statuses, (s) => renderDeploymentStatus(call.urls, s));
}
