/**
 * Branch protection: read and write it with GitHub's endpoints, and enforce it when a pull request
 * is merged (PUT /pulls/{n}/merge answers 405 with GitHub's sentence, as a real protected branch
 * does): approvals from people with write access, the required checks (commit statuses or check
 * runs) green on the head, and the head up to date with the base when `strict`.
 */
import { ServiceError } from '../../core.ts';
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
      checks: p.requiredStatusChecks.contexts.map((context) => ({ context, app_id: null })),
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
  const contexts = checks
    ? Array.isArray(checks['checks'])
      ? (checks['checks'] as Array<{ context?: unknown }>).map((c) => String(c.context))
      : Array.isArray(checks['contexts'])
        ? (checks['contexts'] as unknown[]).map(String)
        : []
    : [];
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
    requiredStatusChecks: checks ? { strict: checks['strict'] === true, contexts } : null,
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
  let approved = 0;
  let changesRequested = false;
  for (const [login, review] of latest) {
    if (login === pull.user.toLowerCase() || !atLeast(roleOf(settings, login), 'write')) continue;
    if (review.state === 'CHANGES_REQUESTED') changesRequested = true;
    if (review.state === 'APPROVED' && (!dismissStale || review.commitId === head)) approved++;
  }
  return { approved, changesRequested };
}

type CheckState = 'success' | 'pending' | 'failure' | 'missing';

/** The newest status of that context, or the newest check run of that name, on `sha`. */
function checkState(call: Call, sha: string, context: string): CheckState {
  const { statuses, checkRuns } = call.world.state;
  const status = statuses
    .filter((s) => s.sha === sha && s.context === context)
    .sort((a, b) => b.id - a.id)[0];
  const run = checkRuns.filter((c) => c.headSha === sha && c.name === context).sort((a, b) => b.id - a.id)[0];
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
    const { approved, changesRequested } = approvals(call, pull, head, reviews.dismissStale);
    if (changesRequested)
      throw refused('Changes must be addressed: a reviewer with write access requested changes.');
    if (approved < reviews.count)
      throw refused(
        `At least ${reviews.count} approving review${reviews.count === 1 ? ' is' : 's are'} required by reviewers with write access.`,
      );
  }
  const checks = protection.requiredStatusChecks;
  if (checks) {
    const states = checks.contexts.map((context) => ({ context, state: checkState(call, head, context) }));
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
