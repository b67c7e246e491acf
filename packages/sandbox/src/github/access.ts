/**
 * Who a token is and what it may do, as on GitHub:
 * - `sandbox-user-<login>` is a person whose role comes from the repository's collaborators and
 *   teams (anyone else can read: the repository is public);
 * - `sandbox-bot-<name>` is an operator's bot with every permission (the banner's GITHUB_TOKEN);
 * - `ghs_…` tokens are installation tokens: the App's (minted for `actions/create-github-app-token`)
 *   and each job's `GITHUB_TOKEN` (the `github-actions` app), each carrying exactly the permissions
 *   it was minted with. A call outside them gets GitHub's 403 "Resource not accessible by
 *   integration" (https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication).
 */
import { randomBytes } from 'node:crypto';
import { ServiceError } from '../core.ts';
import type { GitHubWorld } from './context.ts';
import type { Access, AppIdentity, Caller, TokenPermissions, TokenRecord } from './identity.ts';
import { atLeast, canonicalLogin, type RepoRole, roleOf } from './settings.ts';
import { actorFromAuthorization } from './wire.ts';

export function resolveCaller(world: GitHubWorld, header: string | undefined): Caller | undefined {
  const actor = actorFromAuthorization(header);
  if (actor?.type === 'User')
    return { ...actor, login: canonicalLogin(world.state.settings, actor.login), tokenKind: 'user' };
  if (actor) {
    const slug = actor.login.replace(/\[bot\]$/, '');
    return { ...actor, tokenKind: 'bot', app: { id: appIdFor(slug), slug, name: slug } };
  }
  const token = /^(?:token|bearer)\s+(ghs_[A-Za-z0-9]+)$/i.exec(header?.trim() ?? '')?.[1];
  if (!token) return undefined;
  const record = world.state.tokens.find((t) => t.token === token);
  if (!record || record.expiresAt <= world.now()) return undefined;
  return {
    login: record.login,
    type: 'Bot',
    permissions: record.permissions,
    app: record.app,
    tokenKind: record.kind,
    ...(record.runId !== undefined ? { runId: record.runId } : {}),
  };
}

function appIdFor(slug: string): number {
  let h = 7;
  for (const ch of slug) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 1_000_000;
  return 100_000 + h;
}

const HOUR_MS = 3_600_000;

export function mintToken(
  world: GitHubWorld,
  options: {
    kind: TokenRecord['kind'];
    login: string;
    app: AppIdentity;
    permissions: TokenPermissions;
    runId?: number;
    /** Default one hour (an installation token); a job's GITHUB_TOKEN lasts up to 24 h. */
    lifetimeMs?: number;
  },
): TokenRecord {
  const { lifetimeMs = HOUR_MS, ...rest } = options;
  const record: TokenRecord = {
    token: `ghs_${randomBytes(18).toString('hex')}`,
    expiresAt: world.now() + lifetimeMs,
    ...rest,
    // Every installation token can read the repository's metadata.
    permissions: { metadata: 'read', ...options.permissions },
  };
  // Expired tokens are forgotten as new ones are minted, so the state does not grow without end.
  world.state.tokens = world.state.tokens.filter((t) => t.expiresAt > world.now());
  world.state.tokens.push(record);
  world.changed();
  return record;
}

/** A job's GITHUB_TOKEN stops working when the job ends, as on GitHub. */
export function revokeToken(world: GitHubWorld, token: string): void {
  world.state.tokens = world.state.tokens.filter((t) => t.token !== token);
  world.changed();
}

/** What an operation needs: from a token, one of `scopes` at `access`; from a person, `role`. */
export interface Need {
  scopes: string[];
  access: Access;
  role: RepoRole;
  /** Installation tokens cannot call it at all (GET /user). */
  usersOnly?: boolean;
}

const need = (scopes: string | string[], access: Access, role: RepoRole): Need => ({
  scopes: Array.isArray(scopes) ? scopes : [scopes],
  access,
  role,
});
const ISSUE_OR_PR = ['issues', 'pull_requests'];

/** Every operation the sandbox serves, with what it takes (GitHub's App permission names). */
export const NEEDS: Record<string, Need> = {
  'users.getAuthenticated': { ...need('metadata', 'read', 'read'), usersOnly: true },
  'repos.get': need('metadata', 'read', 'read'),
  'repos.listBranches': need('metadata', 'read', 'read'),
  'repos.getBranch': need('metadata', 'read', 'read'),
  'git.getRef': need('contents', 'read', 'read'),
  'git.listMatchingRefs': need('contents', 'read', 'read'),
  'git.createRef': need('contents', 'write', 'write'),
  'git.updateRef': need('contents', 'write', 'write'),
  'git.deleteRef': need('contents', 'write', 'write'),
  'repos.listCommits': need('contents', 'read', 'read'),
  'repos.getCommit': need('contents', 'read', 'read'),
  'repos.getContent': need('contents', 'read', 'read'),
  'repos.compareCommitsWithBasehead': need('contents', 'read', 'read'),
  'pulls.create': need('pull_requests', 'write', 'read'),
  // Anyone who can read a public repository can fork it; an App needs administration and contents.
  'repos.createFork': need('administration', 'write', 'read'),
  // Any token reaches GraphQL; the mutation checks who may change the pull request (routes/graphql.ts).
  graphql: need('metadata', 'read', 'read'),
  'pulls.list': need('pull_requests', 'read', 'read'),
  'pulls.get': need('pull_requests', 'read', 'read'),
  'pulls.update': need('pull_requests', 'write', 'read'),
  'pulls.listFiles': need('pull_requests', 'read', 'read'),
  'pulls.listCommits': need('pull_requests', 'read', 'read'),
  'pulls.checkIfMerged': need('pull_requests', 'read', 'read'),
  // Merging writes the base branch: GitHub asks for contents: write.
  'pulls.merge': need('contents', 'write', 'write'),
  'pulls.listRequestedReviewers': need('pull_requests', 'read', 'read'),
  'pulls.requestReviewers': need('pull_requests', 'write', 'triage'),
  'pulls.removeRequestedReviewers': need('pull_requests', 'write', 'triage'),
  'pulls.listReviews': need('pull_requests', 'read', 'read'),
  'pulls.getReview': need('pull_requests', 'read', 'read'),
  'pulls.createReview': need('pull_requests', 'write', 'read'),
  'pulls.submitReview': need('pull_requests', 'write', 'read'),
  'pulls.dismissReview': need('pull_requests', 'write', 'write'),
  // Plain issues: GitHub's Issues permission (its list also shows pull requests to either).
  'issues.create': need('issues', 'write', 'read'),
  'issues.listForRepo': need(ISSUE_OR_PR, 'read', 'read'),
  'issues.update': need('issues', 'write', 'triage'),
  'issues.get': need(ISSUE_OR_PR, 'read', 'read'),
  'issues.listComments': need(ISSUE_OR_PR, 'read', 'read'),
  'issues.listCommentsForRepo': need(ISSUE_OR_PR, 'read', 'read'),
  'issues.getComment': need(ISSUE_OR_PR, 'read', 'read'),
  'issues.createComment': need(ISSUE_OR_PR, 'write', 'read'),
  'issues.updateComment': need(ISSUE_OR_PR, 'write', 'read'),
  'issues.deleteComment': need(ISSUE_OR_PR, 'write', 'read'),
  'issues.listLabelsOnIssue': need(ISSUE_OR_PR, 'read', 'read'),
  'issues.addLabels': need(ISSUE_OR_PR, 'write', 'triage'),
  'issues.setLabels': need(ISSUE_OR_PR, 'write', 'triage'),
  'issues.removeLabel': need(ISSUE_OR_PR, 'write', 'triage'),
  'issues.listLabelsForRepo': need(ISSUE_OR_PR, 'read', 'read'),
  'issues.getLabel': need(ISSUE_OR_PR, 'read', 'read'),
  'issues.createLabel': need(ISSUE_OR_PR, 'write', 'write'),
  'repos.createCommitStatus': need('statuses', 'write', 'write'),
  'repos.getCombinedStatusForRef': need('statuses', 'read', 'read'),
  'repos.listCommitStatusesForRef': need('statuses', 'read', 'read'),
  'repos.createDeployment': need('deployments', 'write', 'write'),
  'repos.createDeploymentStatus': need('deployments', 'write', 'write'),
  // GitHub's REST docs, "Delete a deployment": fine-grained tokens need Deployments (write).
  'repos.deleteDeployment': need('deployments', 'write', 'write'),
  'repos.getDeployment': need('deployments', 'read', 'read'),
  'repos.listDeployments': need('deployments', 'read', 'read'),
  'repos.listDeploymentStatuses': need('deployments', 'read', 'read'),
  'checks.create': need('checks', 'write', 'write'),
  'checks.update': need('checks', 'write', 'write'),
  'checks.get': need('checks', 'read', 'read'),
  'checks.listForRef': need('checks', 'read', 'read'),
  'actions.listWorkflowRunsForRepo': need('actions', 'read', 'read'),
  'actions.getWorkflowRun': need('actions', 'read', 'read'),
  'actions.listJobsForWorkflowRun': need('actions', 'read', 'read'),
  'actions.getJobForWorkflowRun': need('actions', 'read', 'read'),
  'actions.downloadJobLogsForWorkflowRun': need('actions', 'read', 'read'),
  'actions.listRepoWorkflows': need('actions', 'read', 'read'),
  'actions.createWorkflowDispatch': need('actions', 'write', 'write'),
  'actions.listRepoVariables': need('variables', 'read', 'write'),
  'actions.getRepoVariable': need('variables', 'read', 'write'),
  'actions.createRepoVariable': need('variables', 'write', 'admin'),
  'actions.updateRepoVariable': need('variables', 'write', 'admin'),
  'actions.deleteRepoVariable': need('variables', 'write', 'admin'),
  'actions.listEnvironmentVariables': need('environments', 'read', 'write'),
  'actions.getEnvironmentVariable': need('environments', 'read', 'write'),
  'actions.createEnvironmentVariable': need('environments', 'write', 'admin'),
  'actions.updateEnvironmentVariable': need('environments', 'write', 'admin'),
  'actions.deleteEnvironmentVariable': need('environments', 'write', 'admin'),
  'actions.listRepoSecrets': need('secrets', 'read', 'write'),
  'actions.getRepoSecret': need('secrets', 'read', 'write'),
  'actions.listEnvironmentSecrets': need('secrets', 'read', 'write'),
  'actions.getEnvironmentSecret': need('secrets', 'read', 'write'),
  'repos.getAllEnvironments': need('actions', 'read', 'read'),
  'repos.getEnvironment': need('actions', 'read', 'read'),
  'repos.createOrUpdateEnvironment': need('administration', 'write', 'admin'),
  'repos.deleteAnEnvironment': need('administration', 'write', 'admin'),
  'repos.listDeploymentBranchPolicies': need('actions', 'read', 'read'),
  'repos.listCollaborators': need('metadata', 'read', 'write'),
  'repos.checkCollaborator': need('metadata', 'read', 'read'),
  'repos.getCollaboratorPermissionLevel': need('metadata', 'read', 'read'),
  'repos.addCollaborator': need('administration', 'write', 'admin'),
  'repos.removeCollaborator': need('administration', 'write', 'admin'),
  'repos.listTeams': need('metadata', 'read', 'read'),
  'teams.listMembersInOrg': need('members', 'read', 'read'),
  'teams.getMembershipForUserInOrg': need('members', 'read', 'read'),
  'repos.getBranchProtection': need('administration', 'read', 'admin'),
  'repos.updateBranchProtection': need('administration', 'write', 'admin'),
  'repos.deleteBranchProtection': need('administration', 'write', 'admin'),
  'apps.getRepoInstallation': need('metadata', 'read', 'read'),
  // Environment reviews: anyone who reads the repository sees what waits; a required reviewer
  // (checked by the route) with read access reviews it.
  'actions.getPendingDeploymentsForRun': need('actions', 'read', 'read'),
  'actions.reviewPendingDeploymentsForRun': need('deployments', 'write', 'read'),
};

/** The error GitHub gives an app token acting outside its permissions. */
export function notAccessible(): ServiceError {
  return new ServiceError(403, 'Forbidden', 'Resource not accessible by integration');
}

/** Refuse the call unless `caller` may perform `operation` (an operation missing above is refused). */
export function authorize(world: GitHubWorld, caller: Caller, operation: string): void {
  if (caller.tokenKind === 'bot') return;
  const wanted = NEEDS[operation];
  if (caller.permissions) {
    if (!wanted || wanted.usersOnly) throw notAccessible();
    const granted = wanted.scopes.some((scope) => grants(caller.permissions?.[scope], wanted.access));
    if (!granted) throw notAccessible();
    return;
  }
  if (!wanted) return;
  const role = roleOf(world.state.settings, caller.login);
  if (atLeast(role, wanted.role)) return;
  throw new ServiceError(
    403,
    'Forbidden',
    wanted.role === 'admin'
      ? 'Must have admin rights to Repository.'
      : 'Must have push access to repository.',
  );
}

function grants(held: Access | undefined, wanted: Access): boolean {
  return held === 'write' || (held === 'read' && wanted === 'read');
}

/**
 * An installation token of the repository's App: the permissions asked for, each no more than the
 * installation was granted (GitHub refuses a token asking for more with 422).
 */
export function appInstallationToken(
  world: GitHubWorld,
  permissions: TokenPermissions,
  /** GitHub's is an hour; the runner stretches it on a fast clock (see standins.ts). */
  lifetimeMs?: number,
): TokenRecord {
  const app = world.state.settings.app;
  for (const [scope, access] of Object.entries(permissions)) {
    const granted = app.permissions[scope];
    if (!grants(granted, access))
      throw new ServiceError(
        422,
        'Unprocessable',
        `The permissions requested are not granted to this installation: ${scope}: ${access}`,
      );
  }
  const asked = Object.keys(permissions).length > 0 ? permissions : app.permissions;
  return mintToken(world, {
    kind: 'installation',
    login: `${app.slug}[bot]`,
    app: { id: app.id, slug: app.slug, name: app.name },
    permissions: asked,
    ...(lifetimeMs !== undefined ? { lifetimeMs } : {}),
  });
}
