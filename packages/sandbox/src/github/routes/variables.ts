/**
 * Actions variables and secrets, for the repository and for each environment, and the environments
 * themselves with their deployment branch policies. Secret values never leave the sandbox through
 * the API (only names and times, as on GitHub); the runner reads them to fill `secrets.*`.
 */
import { ServiceError } from '../../core.ts';
import type { Call } from '../context.ts';
import { renderUser } from '../render.ts';
import type { Route } from '../router.ts';
import type { EnvironmentRecord, EnvironmentReviewer, SecretRecord, VariableRecord } from '../settings.ts';
import {
  bodyOf,
  isoTime,
  json,
  noContent,
  nodeId,
  notFound,
  requiredString,
  userId,
  validationFailed,
} from '../wire.ts';
import { renderTeam } from './collaborators.ts';

const REPO = '/repos/:owner/:repo';
const ENV = `${REPO}/environments/:environment_name`;

export const variableRoutes: Route[] = [
  {
    method: 'GET',
    path: `${REPO}/actions/variables`,
    operation: 'actions.listRepoVariables',
    handle: (c) => listVariables(c, repoVariables(c)),
  },
  {
    method: 'POST',
    path: `${REPO}/actions/variables`,
    operation: 'actions.createRepoVariable',
    handle: (c) => createVariable(c, repoVariables(c)),
  },
  {
    method: 'GET',
    path: `${REPO}/actions/variables/:name`,
    operation: 'actions.getRepoVariable',
    handle: (c) => getVariable(c, repoVariables(c)),
  },
  {
    method: 'PATCH',
    path: `${REPO}/actions/variables/:name`,
    operation: 'actions.updateRepoVariable',
    handle: (c) => updateVariable(c, repoVariables(c)),
  },
  {
    method: 'DELETE',
    path: `${REPO}/actions/variables/:name`,
    operation: 'actions.deleteRepoVariable',
    handle: (c) => deleteVariable(c, repoVariables(c)),
  },
  {
    method: 'GET',
    path: `${REPO}/actions/secrets`,
    operation: 'actions.listRepoSecrets',
    handle: (c) => listSecrets(c, c.world.state.settings.secrets),
  },
  {
    method: 'GET',
    path: `${REPO}/actions/secrets/:secret_name`,
    operation: 'actions.getRepoSecret',
    handle: (c) => getSecret(c, c.world.state.settings.secrets),
  },
  {
    method: 'GET',
    path: `${REPO}/environments`,
    operation: 'repos.getAllEnvironments',
    handle: listEnvironments,
  },
  {
    method: 'GET',
    path: `${ENV}/variables`,
    operation: 'actions.listEnvironmentVariables',
    handle: (c) => listVariables(c, findEnvironment(c).variables),
  },
  {
    method: 'POST',
    path: `${ENV}/variables`,
    operation: 'actions.createEnvironmentVariable',
    handle: (c) => createVariable(c, findEnvironment(c).variables),
  },
  {
    method: 'GET',
    path: `${ENV}/variables/:name`,
    operation: 'actions.getEnvironmentVariable',
    handle: (c) => getVariable(c, findEnvironment(c).variables),
  },
  {
    method: 'PATCH',
    path: `${ENV}/variables/:name`,
    operation: 'actions.updateEnvironmentVariable',
    handle: (c) => updateVariable(c, findEnvironment(c).variables),
  },
  {
    method: 'DELETE',
    path: `${ENV}/variables/:name`,
    operation: 'actions.deleteEnvironmentVariable',
    handle: (c) => deleteVariable(c, findEnvironment(c).variables),
  },
  {
    method: 'GET',
    path: `${ENV}/secrets`,
    operation: 'actions.listEnvironmentSecrets',
    handle: (c) => listSecrets(c, findEnvironment(c).secrets),
  },
  {
    method: 'GET',
    path: `${ENV}/secrets/:secret_name`,
    operation: 'actions.getEnvironmentSecret',
    handle: (c) => getSecret(c, findEnvironment(c).secrets),
  },
  {
    method: 'GET',
    path: `${ENV}/deployment-branch-policies`,
    operation: 'repos.listDeploymentBranchPolicies',
    handle: listBranchPolicies,
  },
  {
    method: 'GET',
    path: ENV,
    operation: 'repos.getEnvironment',
    handle: (c) => json(renderEnvironment(c, findEnvironment(c))),
  },
  { method: 'PUT', path: ENV, operation: 'repos.createOrUpdateEnvironment', handle: putEnvironment },
  { method: 'DELETE', path: ENV, operation: 'repos.deleteAnEnvironment', handle: deleteEnvironment },
];

function repoVariables(call: Call): VariableRecord[] {
  return call.world.state.settings.variables;
}

export function findEnvironment(call: Call): EnvironmentRecord {
  const name = call.params['environment_name'] ?? '';
  const env = call.world.state.settings.environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (!env) throw notFound();
  return env;
}

/** Paged by `per_page`/`page` inside the object, as GitHub's `{ total_count, variables }` lists are. */
function pageOf<T>(call: Call, items: readonly T[]): T[] {
  const perPage = Math.min(100, Math.max(1, Number(call.req.query.get('per_page') ?? 30) || 30));
  const current = Math.max(1, Number(call.req.query.get('page') ?? 1) || 1);
  return items.slice((current - 1) * perPage, current * perPage);
}

function renderVariable(v: VariableRecord) {
  return { name: v.name, value: v.value, created_at: isoTime(v.createdAt), updated_at: isoTime(v.updatedAt) };
}

function listVariables(call: Call, variables: VariableRecord[]) {
  const sorted = [...variables].sort((a, b) => a.name.localeCompare(b.name));
  return json({ total_count: sorted.length, variables: pageOf(call, sorted).map(renderVariable) });
}

function findVariable(call: Call, variables: VariableRecord[]): VariableRecord {
  const name = (call.params['name'] ?? '').toUpperCase();
  const v = variables.find((x) => x.name === name);
  if (!v) throw notFound();
  return v;
}

/** GitHub's rules for variable and secret names; names are stored upper-case. */
function checkName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^GITHUB_/i.test(name))
    throw validationFailed({
      resource: 'Variable',
      code: 'invalid',
      field: 'name',
      message: `${name}: names contain only letters, digits and _, do not start with a digit or GITHUB_`,
    });
  return name.toUpperCase();
}

function createVariable(call: Call, variables: VariableRecord[]) {
  const body = bodyOf(call.req);
  const name = checkName(requiredString(body, 'name', 'Variable'));
  const value = body['value'];
  if (typeof value !== 'string')
    throw validationFailed({ resource: 'Variable', code: 'missing_field', field: 'value' });
  if (variables.some((v) => v.name === name))
    throw new ServiceError(409, 'Conflict', 'Already exists - Variable already exists');
  const now = call.world.now();
  variables.push({ name, value, createdAt: now, updatedAt: now });
  call.world.changed();
  return json({}, 201);
}

function getVariable(call: Call, variables: VariableRecord[]) {
  return json(renderVariable(findVariable(call, variables)));
}

function updateVariable(call: Call, variables: VariableRecord[]) {
  const v = findVariable(call, variables);
  const body = bodyOf(call.req);
  if (typeof body['name'] === 'string') v.name = checkName(body['name']);
  if (typeof body['value'] === 'string') v.value = body['value'];
  v.updatedAt = call.world.now();
  call.world.changed();
  return noContent();
}

function deleteVariable(call: Call, variables: VariableRecord[]) {
  const v = findVariable(call, variables);
  variables.splice(variables.indexOf(v), 1);
  call.world.changed();
  return noContent();
}

function renderSecret(s: SecretRecord) {
  return { name: s.name, created_at: isoTime(s.createdAt), updated_at: isoTime(s.updatedAt) };
}

function listSecrets(call: Call, secrets: SecretRecord[]) {
  const sorted = [...secrets].sort((a, b) => a.name.localeCompare(b.name));
  return json({ total_count: sorted.length, secrets: pageOf(call, sorted).map(renderSecret) });
}

function getSecret(call: Call, secrets: SecretRecord[]) {
  const name = (call.params['secret_name'] ?? '').toUpperCase();
  const s = secrets.find((x) => x.name === name);
  if (!s) throw notFound();
  return json(renderSecret(s));
}

export function renderEnvironment(call: Call, env: EnvironmentRecord): Record<string, unknown> {
  const restricted = env.deploymentBranches !== null;
  return {
    id: env.id,
    node_id: nodeId('Environment', env.id),
    name: env.name,
    url: `${call.urls.repoApi}/environments/${encodeURIComponent(env.name)}`,
    html_url: `${call.urls.repoWeb}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
    created_at: isoTime(env.createdAt),
    updated_at: isoTime(env.updatedAt),
    can_admins_bypass: true,
    protection_rules: protectionRules(call, env),
    deployment_branch_policy: restricted ? { protected_branches: false, custom_branch_policies: true } : null,
  };
}

/** The environment's rules as GitHub lists them: wait timer, required reviewers, branch policy. */
function protectionRules(call: Call, env: EnvironmentRecord): Array<Record<string, unknown>> {
  const rule = (n: number, type: string) => ({
    id: env.id * 10 + n,
    node_id: nodeId('EnvironmentProtectionRule', env.id * 10 + n),
    type,
  });
  const rules: Array<Record<string, unknown>> = [];
  if (env.waitTimer) rules.push({ ...rule(1, 'wait_timer'), wait_timer: env.waitTimer });
  if (env.reviewers?.length)
    rules.push({
      ...rule(2, 'required_reviewers'),
      prevent_self_review: env.preventSelfReview === true,
      reviewers: env.reviewers.map((r) => renderReviewer(call, r)),
    });
  if (env.deploymentBranches !== null) rules.push(rule(3, 'branch_policy'));
  return rules;
}

/** A required reviewer as GitHub shows one: `{ type, reviewer }` with the user or the team. */
export function renderReviewer(call: Call, r: EnvironmentReviewer): Record<string, unknown> {
  return {
    type: r.type,
    reviewer: r.type === 'Team' ? renderTeam(call, r.name) : renderUser(call.urls, r.name),
  };
}

/**
 * `reviewers` of a PUT: GitHub names them by id; a person must be someone the repository knows,
 * a team one of the organisation's. Up to six.
 */
function parseReviewers(call: Call, value: unknown): EnvironmentReviewer[] {
  if (value === null) return [];
  const invalid = () => validationFailed({ resource: 'Environment', code: 'invalid', field: 'reviewers' });
  if (!Array.isArray(value) || value.length > 6) throw invalid();
  const settings = call.world.state.settings;
  const people = [
    call.world.owner,
    ...Object.keys(settings.collaborators),
    ...settings.teams.flatMap((t) => t.members),
  ];
  return value.map((item) => {
    const { type, id } = (item ?? {}) as { type?: unknown; id?: unknown };
    if (type === 'Team') {
      const team = settings.teams.find((t) => t.id === id);
      if (team) return { type, name: team.slug };
    } else if (type === 'User') {
      const login = people.find((l) => userId(l) === id);
      if (login) return { type, name: login };
    }
    throw invalid();
  });
}

function listEnvironments(call: Call) {
  const envs = call.world.state.settings.environments;
  return json({
    total_count: envs.length,
    environments: pageOf(call, envs).map((e) => renderEnvironment(call, e)),
  });
}

function listBranchPolicies(call: Call) {
  const env = findEnvironment(call);
  const patterns = env.deploymentBranches ?? [];
  return json({
    total_count: patterns.length,
    branch_policies: patterns.map((name, i) => ({
      id: env.id * 100 + i,
      node_id: nodeId('DeploymentBranchPolicy', env.id * 100 + i),
      name,
      type: 'branch',
    })),
  });
}

/** Creates the environment, or updates it; `deployment_branch_policy: null` lets every branch deploy. */
function putEnvironment(call: Call) {
  const name = call.params['environment_name'] ?? '';
  const body = bodyOf(call.req);
  const settings = call.world.state.settings;
  const now = call.world.now();
  let env = settings.environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (!env) {
    env = {
      id: call.world.nextId(),
      name,
      deploymentBranches: null,
      variables: [],
      secrets: [],
      createdAt: now,
      updatedAt: now,
    };
    settings.environments.push(env);
  }
  if ('wait_timer' in body) {
    const minutes = body['wait_timer'];
    // GitHub: a whole number of minutes, at most 43,200 (30 days).
    if (!Number.isInteger(minutes) || (minutes as number) < 0 || (minutes as number) > 43_200)
      throw validationFailed({ resource: 'Environment', code: 'invalid', field: 'wait_timer' });
    env.waitTimer = minutes as number;
  }
  if ('reviewers' in body) env.reviewers = parseReviewers(call, body['reviewers']);
  if ('prevent_self_review' in body) env.preventSelfReview = body['prevent_self_review'] === true;
  if ('deployment_branch_policy' in body) {
    const policy = body['deployment_branch_policy'];
    env.deploymentBranches = policy === null ? null : (env.deploymentBranches ?? []);
  }
  env.updatedAt = now;
  call.world.changed();
  return json(renderEnvironment(call, env));
}

function deleteEnvironment(call: Call) {
  const env = findEnvironment(call);
  const settings = call.world.state.settings;
  settings.environments = settings.environments.filter((e) => e !== env);
  call.world.changed();
  return noContent();
}
