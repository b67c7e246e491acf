/**
 * Pushes made with plain git reach the sandbox's GitHub through the bare repository's post-receive
 * hook, which drops the updated refs as a file into a spool directory the sandbox reads every tick
 * (a file, not a request: a test pushing with a synchronous git call in the sandbox's own process
 * would otherwise wait on a server it is blocking). Local pushes run the hook in the
 * pusher's environment, so the token a push was made with (an `http.extraheader` set through git's
 * environment config, or GITHUB_TOKEN) tells who pushed — which decides whether workflows run.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCaller } from './access.ts';
import type { GitHubWorld } from './context.ts';
import { fetchForkBranch, findFork } from './forks.ts';
import type { Caller } from './identity.ts';
import { GATE_FILE, IDENTITY_JS, PRE_RECEIVE_JS } from './push-gate.ts';

/**
 * The post-receive hook: spool the updated refs with the push's identity (see push-gate.ts), and
 * what the token was at push time: a job's GITHUB_TOKEN is revoked as the job ends, perhaps before
 * the sandbox reads the spool, and its push must still count as the job's (no workflows).
 */
const POST_RECEIVE_JS = `${IDENTITY_JS}
const lines = fs.readFileSync(0, 'utf8').trim().split('\\n').filter(Boolean);
const updates = lines.map((l) => { const [before, after, ref] = l.split(' '); return { before, after, ref }; });
const name = process.argv[1] + '/' + Date.now() + '-' + process.pid;
const token = pushToken(process.env);
let known = null;
try { known = JSON.parse(fs.readFileSync('${GATE_FILE}', 'utf8')).tokens[token] || null; } catch {}
fs.writeFileSync(name + '.tmp', JSON.stringify({ updates, token, known, pusher: pusherName(process.env) }));
fs.renameSync(name + '.tmp', name + '.json');
`;

/**
 * A fork's post-receive hook: its owner pushes freely (the fork is theirs), and the spool tells the
 * sandbox which of the fork's branches moved, so the pull requests from them follow (forks.ts).
 */
const FORK_POST_RECEIVE_JS = `const fs = require('fs');
const lines = fs.readFileSync(0, 'utf8').trim().split('\\n').filter(Boolean);
const updates = lines.map((l) => { const [before, after, ref] = l.split(' '); return { before, after, ref }; });
const name = process.argv[1] + '/' + Date.now() + '-' + process.pid;
fs.writeFileSync(name + '.tmp', JSON.stringify({ fork: process.argv[2], updates }));
fs.renameSync(name + '.tmp', name + '.json');
`;

/** The fork's hook, when workflows run (without them no event needs the fork's pushes). */
export function installForkHook(forkDir: string, spool: string | undefined, owner: string): void {
  if (spool === undefined) return;
  const hooks = join(forkDir, 'hooks');
  mkdirSync(hooks, { recursive: true });
  writeHook(join(hooks, 'post-receive'), FORK_POST_RECEIVE_JS, [spool, owner]);
}

/**
 * The repository's hooks: `pre-receive` always (who may push what, push-gate.ts), `post-receive`
 * when workflows run (the spool of pushes that raises their events).
 */
export function installPushHooks(gitDir: string, spool: string | undefined): void {
  const hooks = join(gitDir, 'hooks');
  mkdirSync(hooks, { recursive: true });
  writeHook(join(hooks, 'pre-receive'), PRE_RECEIVE_JS, []);
  if (spool === undefined) return;
  mkdirSync(spool, { recursive: true });
  writeHook(join(hooks, 'post-receive'), POST_RECEIVE_JS, [spool]);
}

function writeHook(file: string, js: string, args: string[]): void {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const script = `#!/bin/sh\nexec ${quote(process.execPath)} -e ${quote(js)} ${args.map(quote).join(' ')}\n`;
  writeFileSync(file, script);
  chmodSync(file, 0o755);
}

/** Handle every push the hook has spooled, oldest first. */
export function drainPushes(world: GitHubWorld, spool: string): void {
  let names: string[];
  try {
    names = readdirSync(spool)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch {
    return;
  }
  for (const n of names) {
    const file = join(spool, n);
    const text = readFileSync(file, 'utf8');
    rmSync(file, { force: true });
    receivePush(world, text);
  }
}

function receivePush(world: GitHubWorld, text: string): void {
  const body = JSON.parse(text || '{}') as {
    updates?: Array<{ before: string; after: string; ref: string }>;
    token?: string;
    known?: { login: string; kind: 'installation' | 'workflow' } | null;
    pusher?: string;
    fork?: string;
  };
  if (body.fork !== undefined) {
    forkPushed(world, body.fork, body.updates ?? []);
    return;
  }
  const login = (body.pusher ?? 'someone').toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const known: Caller | undefined = body.known
    ? { login: body.known.login, type: 'Bot', tokenKind: body.known.kind }
    : undefined;
  const caller: Caller = (body.token ? resolveCaller(world, `token ${body.token}`) : undefined) ??
    known ?? {
      login,
      type: 'User',
      tokenKind: 'user',
    };
  for (const u of body.updates ?? []) refMoved(world, u, caller);
  world.changed();
}

/**
 * A ref moved, by a push or the REST API alike: `push`, and `synchronize` for each open pull
 * request whose head branch it is (GitHub raises both for either way of moving a branch).
 */
export function refMoved(
  world: GitHubWorld,
  u: { ref: string; before: string; after: string },
  caller: Caller,
): void {
  world.emit({ name: 'push', ref: u.ref, before: u.before, after: u.after, actor: caller });
  if (!u.ref.startsWith('refs/heads/')) return;
  headMoved(world, u.ref.slice('refs/heads/'.length), u.after, caller);
}

/**
 * A fork's branch moved: its copy here follows, and each open pull request from it is
 * `synchronize`d. The push itself is the fork's event, not this repository's: no `push` here.
 */
function forkPushed(
  world: GitHubWorld,
  owner: string,
  updates: Array<{ before: string; after: string; ref: string }>,
): void {
  const fork = findFork(world, owner);
  if (!fork) return;
  const caller: Caller = { login: fork.owner, type: 'User', tokenKind: 'user' };
  for (const u of updates) {
    if (!u.ref.startsWith('refs/heads/')) continue;
    const branch = u.ref.slice('refs/heads/'.length);
    const sha = fetchForkBranch(world, fork, branch);
    if (sha) headMoved(world, `${fork.owner}:${branch}`, sha, caller);
  }
  world.changed();
}

/** The pull requests whose head is `head` (a branch, or a fork's `owner:branch`) moved to `after`. */
function headMoved(world: GitHubWorld, head: string, after: string, caller: Caller): void {
  const u = { after };
  const lower = head.toLowerCase();
  for (const pull of world.state.pulls.filter(
    (p) => p.state === 'open' && (p.head === head || (head.includes(':') && p.head.toLowerCase() === lower)),
  )) {
    pull.headSha = u.after;
    pull.updatedAt = world.now();
    pull.lastPushedBy = caller.login;
    dismissStaleApprovals(world, pull.number, pull.base, u.after);
    world.emit({ name: 'pull_request', action: 'synchronize', pull: pull.number, actor: caller });
  }
}

/**
 * With `dismiss_stale_reviews` on the base branch, a new push dismisses the pull request's
 * approvals of older commits: the API shows them DISMISSED, as GitHub's does
 * (https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches#require-pull-request-reviews-before-merging).
 */
function dismissStaleApprovals(world: GitHubWorld, pull: number, base: string, head: string): void {
  const rule = world.state.settings.protection.find((p) => p.branch === base);
  if (!rule?.requiredReviews?.dismissStale) return;
  for (const review of world.state.reviews)
    if (review.pull === pull && review.state === 'APPROVED' && review.commitId !== head)
      review.state = 'DISMISSED';
}
