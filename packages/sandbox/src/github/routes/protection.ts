/**
 * Branch protection: read and write it with GitHub's endpoints, and enforce it when a pull request
 * is merged (PUT /pulls/{n}/merge answers 405 with GitHub's sentence, as a real protected branch
 * does): approvals from people with write access (stale ones dismissed when asked), the code
 * owners' approval where the base branch's CODEOWNERS names owners, the required checks (commit
 * statuses or check runs) green on the head — each from the app it is bound to (`checks[].app_id`),
 * so a status posted by another app or by another workflow's GITHUB_TOKEN does not satisfy it —
 * and the head up to date with the base when `strict`
 * (https://docs.github.com/rest/branches/branch-protection#update-branch-protection).
 */
import { ServiceError } from '../../core.ts';
import { CODEOWNERS_LOCATIONS, ownersFor, readCodeOwners } from '../codeowners.ts';
import type { Call } from '../context.ts';
import type { Route } from '../router.ts';
import { atLeast, type ProtectionRecord, roleOf } from '../settings.ts';
import type { PullRecord } from '../state.ts';
import { bodyOf, json, noContent, notFound, validationFailed } from '../wire.ts';

const PROTECTION = '/repos/:owner/:repo/branches/:branch*/protection';

/** Registered before the branch routes, whose `:branch*` would take `main/protection` as a name. */
export const protectionRoutes: Route[] = [
  { method: 'GET', path: PROTECTION, operation: 'repos.getBranchProtection', handle: getProtection },
  { method: 'PUT', path: PROTECTION, operation: 'repos.updateBranchProtection', handle: putProtection },
  { method: 'DELETE', path: PROTECTION, operation: 'repos.deleteBranchProtection', handle: deleteProtection },
];

export function protectionOf(call: Call, branch: string): ProtectionRecord | undefined {
  return call.world.state.settings.protection.find((p) => p.branch === branch);
}

function branchNotProtected(): ServiceError {
  return new ServiceError(404, 'NotFound', 'Branch not protected');
}

function renderProtection(call: Call, p: ProtectionRecord): Record<string, unknown> {
  const url = `${call.urls.repoApi}/branches/${encodeURIComponent(p.branch)}/protection`;
  const out: Record<string, unknown> = {
    url,
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins },
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
  };
  if (p.requiredStatusChecks)
    out['required_status_checks'] = {
      url: `${url}/required_status_checks`,
      strict: p.requiredStatusChecks.strict,
      contexts: p.requiredStatusChecks.contexts,
      contexts_url: `${url}/required_status_checks/contexts`,
      checks: requiredChecks(p).map((c) => ({ context: c.context, app_id: c.appId })),
    };
  if (p.requiredReviews)
    out['required_pull_request_reviews'] = {
      url: `${url}/required_pull_request_reviews`,
      dismiss_stale_reviews: p.requiredReviews.dismissStale,
      require_code_owner_reviews: p.requiredReviews.codeOwners,
      required_approving_review_count: p.requiredReviews.count,
      require_last_push_approval: p.requiredReviews.lastPushApproval,
    };
  return out;
}

function getProtection(call: Call) {
  const p = protectionOf(call, call.params['branch'] ?? '');
  if (!p) throw branchNotProtected();
  return json(renderProtection(call, p));
}

function object(value: unknown, field: string): Record<string, unknown> | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    throw validationFailed({ resource: 'Protection', code: 'invalid', field });
  return value as Record<string, unknown>;
}

/** GitHub requires all four top-level members (each may be null). */
function putProtection(call: Call) {
  const branch = call.params['branch'] ?? '';
  if (!call.world.git.branchSha(branch)) throw notFound('Branch not found');
  const body = bodyOf(call.req);
  for (const field of [
    'required_status_checks',
    'enforce_admins',
    'required_pull_request_reviews',
    'restrictions',
  ])
    if (!(field in body)) throw validationFailed({ resource: 'Protection', code: 'missing_field', field });
  const checks = object(body['required_status_checks'], 'required_status_checks');
  const reviews = object(body['required_pull_request_reviews'], 'required_pull_request_reviews');
  const bound = checks ? requestedChecks(call, checks) : [];
  const count = reviews ? Number(reviews['required_approving_review_count'] ?? 1) : 0;
  if (reviews && (!Number.isInteger(count) || count < 0 || count > 6))
    throw validationFailed({
      resource: 'Protection',
      code: 'invalid',
      field: 'required_approving_review_count',
      message: 'required_approving_review_count must be between 0 and 6',
    });
  const record: ProtectionRecord = {
    branch,
    requiredStatusChecks: checks
      ? { strict: checks['strict'] === true, contexts: bound.map((c) => c.context), checks: bound }
      : null,
    requiredReviews: reviews
      ? {
          count,
          dismissStale: reviews['dismiss_stale_reviews'] === true,
          codeOwners: reviews['require_code_owner_reviews'] === true,
          lastPushApproval: reviews['require_last_push_approval'] === true,
        }
      : null,
    enforceAdmins: body['enforce_admins'] === true,
  };
  const settings = call.world.state.settings;
  settings.protection = [...settings.protection.filter((p) => p.branch !== branch), record];
  call.world.changed();
  return json(renderProtection(call, record));
}

/**
 * `checks: [{ context, app_id }]`, or the older `contexts`. GitHub: an omitted app_id selects the
 * app that most recently provided the check (any app when none has), and -1 allows any app.
 */
function requestedChecks(
  call: Call,
  checks: Record<string, unknown>,
): { context: string; appId: number | null }[] {
  if (Array.isArray(checks['checks']))
    return (checks['checks'] as unknown[]).map((entry, i) => {
      const c = object(entry, `required_status_checks.checks[${i}]`) ?? {};
      if (typeof c['context'] !== 'string')
        throw validationFailed({ resource: 'Protection', code: 'missing_field', field: 'context' });
      const app = c['app_id'];
      if (app !== undefined && app !== null && !Number.isInteger(app))
        throw validationFailed({ resource: 'Protection', code: 'invalid', field: 'app_id' });
      const appId = app === -1 ? null : typeof app === 'number' ? app : recentProvider(call, c['context']);
      return { context: c['context'], appId };
    });
  if (Array.isArray(checks['contexts']))
    return (checks['contexts'] as unknown[]).map((c) => ({ context: String(c), appId: null }));
  return [];
}

/** The app behind the newest status or check run of that name, if an app posted it. */
function recentProvider(call: Call, context: string): number | null {
  const { statuses, checkRuns } = call.world.state;
  const status = statuses.filter((s) => s.context === context).sort((a, b) => b.id - a.id)[0];
  const run = checkRuns.filter((c) => c.name === context).sort((a, b) => b.id - a.id)[0];
  const newest = (status?.id ?? 0) > (run?.id ?? 0) ? status?.appId : run?.app.id;
  return newest ?? null;
}

function requiredChecks(p: ProtectionRecord): { context: string; appId: number | null }[] {
  const checks = p.requiredStatusChecks;
  if (!checks) return [];
  return checks.checks ?? checks.contexts.map((context) => ({ context, appId: null }));
}

function deleteProtection(call: Call) {
  const branch = call.params['branch'] ?? '';
  const settings = call.world.state.settings;
  if (!protectionOf(call, branch)) throw branchNotProtected();
  settings.protection = settings.protection.filter((p) => p.branch !== branch);
  call.world.changed();
  return noContent();
}

function refused(message: string): ServiceError {
  return new ServiceError(405, 'NotMergeable', message);
}

/** Approvals that count: each writer's latest verdict, not the author's, on this pull request. */
function approvals(call: Call, pull: PullRecord, head: string, dismissStale: boolean) {
  const settings = call.world.state.settings;
  const latest = new Map<string, { state: string; commitId: string }>();
  for (const r of call.world.state.reviews
    .filter((r) => r.pull === pull.number)
    .sort((a, b) => a.id - b.id)) {
    if (r.state === 'COMMENTED' || r.state === 'PENDING') continue;
    latest.set(r.user.toLowerCase(), { state: r.state, commitId: r.commitId });
  }
  const approvers = new Set<string>();
  let changesRequested = false;
  for (const [login, review] of latest) {
    if (login === pull.user.toLowerCase() || !atLeast(roleOf(settings, login), 'write')) continue;
    if (review.state === 'CHANGES_REQUESTED') changesRequested = true;
    if (review.state === 'APPROVED' && (!dismissStale || review.commitId === head)) approvers.add(login);
  }
  return { approvers, changesRequested };
}

/**
 * The first changed file whose code owners (from the base branch's CODEOWNERS) have not approved,
 * with those owners as GitHub names them; undefined when every owned file is approved.
 */
function waitingOnOwners(call: Call, pull: PullRecord, head: string, base: string, approvers: Set<string>) {
  const { git, state } = call.world;
  const file = CODEOWNERS_LOCATIONS.map((path) => git.readPath(base, path)).find((f) => f?.kind === 'file');
  if (file?.kind !== 'file') return undefined;
  const lines = readCodeOwners(file.content.toString('utf8'));
  const mergeBase = git.mergeBase(base, head);
  const paths = mergeBase
    ? git
        .diff(mergeBase, head)
        .flatMap((f) => [f.filename, ...(f.previousFilename ? [f.previousFilename] : [])])
    : [];
  const settings = state.settings;
  const author = pull.user.toLowerCase();
  for (const path of paths) {
    // Owners without write access do not count, as on GitHub.
    const owners = ownersFor(lines, path).filter((o) => ownerCanWrite(call, o));
    if (owners.length === 0) continue;
    const approved = owners.some((owner) => {
      const name = owner.replace(/^@/, '').toLowerCase();
      if (name.includes('@')) return false;
      if (!name.includes('/')) return approvers.has(name);
      const team = settings.teams.find((t) => `${call.world.owner}/${t.slug}`.toLowerCase() === name);
      return !!team && team.members.some((m) => m.toLowerCase() !== author && approvers.has(m.toLowerCase()));
    });
    if (!approved) return owners.map((o) => o.replace(/^@/, ''));
  }
  return undefined;
}

function ownerCanWrite(call: Call, owner: string): boolean {
  const settings = call.world.state.settings;
  const name = owner.replace(/^@/, '').toLowerCase();
  if (!owner.startsWith('@')) return false;
  if (!name.includes('/')) return atLeast(roleOf(settings, name), 'write');
  const team = settings.teams.find((t) => `${call.world.owner}/${t.slug}`.toLowerCase() === name);
  return !!team && atLeast(team.permission, 'write');
}

function either(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and/or ${names.at(-1)}`;
}

type CheckState = 'success' | 'pending' | 'failure' | 'missing';

/**
 * The newest status of that context, or the newest check run of that name, on `sha` — from the app
 * the check is bound to, when it is: anyone else's does not count, as if it had not been posted.
 */
function checkState(call: Call, sha: string, context: string, appId: number | null): CheckState {
  const { statuses, checkRuns } = call.world.state;
  const status = statuses
    .filter((s) => s.sha === sha && s.context === context && (appId === null || s.appId === appId))
    .sort((a, b) => b.id - a.id)[0];
  const run = checkRuns
    .filter((c) => c.headSha === sha && c.name === context && (appId === null || c.app.id === appId))
    .sort((a, b) => b.id - a.id)[0];
  const states: CheckState[] = [];
  if (status)
    states.push(status.state === 'success' ? 'success' : status.state === 'pending' ? 'pending' : 'failure');
  if (run)
    states.push(
      run.status !== 'completed'
        ? 'pending'
        : ['success', 'neutral', 'skipped'].includes(run.conclusion ?? '')
          ? 'success'
          : 'failure',
    );
  if (states.length === 0) return 'missing';
  return states.includes('success') ? 'success' : states.includes('pending') ? 'pending' : 'failure';
}

/** Throws GitHub's 405 when the base branch's protection does not allow merging `pull` now. */
export function enforceProtection(call: Call, pull: PullRecord, head: string, base: string): void {
  const protection = protectionOf(call, pull.base);
  if (!protection) return;
  if (!protection.enforceAdmins && atLeast(roleOf(call.world.state.settings, call.actor.login), 'admin'))
    return;
  const reviews = protection.requiredReviews;
  if (reviews && reviews.count > 0) {
    const { approvers, changesRequested } = approvals(call, pull, head, reviews.dismissStale);
    if (changesRequested)
      throw refused('Changes must be addressed: a reviewer with write access requested changes.');
    if (approvers.size < reviews.count)
      throw refused(
        `At least ${reviews.count} approving review${reviews.count === 1 ? ' is' : 's are'} required by reviewers with write access.`,
      );
  }
  if (reviews?.lastPushApproval) {
    // The most recent push must be approved by someone other than whoever pushed it.
    const pusher = (pull.lastPushedBy ?? pull.user).toLowerCase();
    const { approvers } = approvals(call, pull, head, true);
    approvers.delete(pusher);
    if (approvers.size === 0) throw refused('Approval of the most recent reviewable push is required.');
  }
  if (reviews?.codeOwners) {
    const { approvers } = approvals(call, pull, head, reviews.dismissStale);
    const waiting = waitingOnOwners(call, pull, head, base, approvers);
    if (waiting) throw refused(`Waiting on code owner review from ${either(waiting)}.`);
  }
  const checks = protection.requiredStatusChecks;
  if (checks) {
    const states = requiredChecks(protection).map(({ context, appId }) => ({
      context,
      state: checkState(call, head, context, appId),
    }));
    const missing = states.filter((s) => s.state === 'missing');
    const failing = states.filter((s) => s.state === 'failure');
    const pending = states.filter((s) => s.state === 'pending');
    if (failing[0]) throw refused(`Required status check "${failing[0].context}" is failing.`);
    if (missing.length + pending.length > 1)
      throw refused(
        `${missing.length + pending.length} of ${states.length} required status checks are expected.`,
      );
    const waiting = missing[0] ?? pending[0];
    if (waiting) throw refused(`Required status check "${waiting.context}" is expected.`);
    if (checks.strict && !call.world.git.isAncestor(base, head))
      throw refused('Head branch is out of date. Review and try the merge again.');
  }
}
