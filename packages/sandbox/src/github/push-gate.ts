/**
 * Who may push what, decided before git accepts a push, as GitHub decides it: the repository's
 * `pre-receive` hook resolves the push's identity and refuses it, with GitHub's words, when
 *  - the token or person may not write contents (an App or job token without `contents: write`,
 *    a person below the write role: "Permission to OWNER/REPO.git denied to LOGIN."),
 *  - a token of an App changes a workflow file without the `workflows` permission (a job's
 *    GITHUB_TOKEN never has it: "refusing to allow a GitHub App to create or update workflow …"),
 *  - the branch is protected: no deletion, no force push, and no direct push at all when the
 *    protection requires pull request reviews or status checks ("GH006: Protected branch update
 *    failed"), admins included when `enforce_admins` is on
 *    (https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches).
 *
 * The identity of a local push, in the order git would send credentials: an `http.extraheader`
 * given through git's environment config (flagops' own pushes), the pushing repository's own
 * `.git/config` extraheader (what actions/checkout persists), `GITHUB_TOKEN` in the environment
 * (the sandbox's stand-in for a token on an https remote), else the person named by
 * `GIT_AUTHOR_NAME`/`USER`. A person the repository does not know is the machine's owner
 * pushing to their own sandbox, and is held only to branch protection.
 *
 * The hook cannot ask the server (a test pushing synchronously from the server's own process
 * would wait on itself), so the sandbox keeps what the hook needs in a file beside the repository,
 * rewritten whenever tokens, roles or protection change.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GitHubWorld } from './context.ts';
import { roleOf } from './settings.ts';

export const GATE_FILE = 'sandbox-push-gate.json';

export interface GateSnapshot {
  repository: string;
  tokens: Record<string, { login: string; kind: string; permissions: Record<string, string> }>;
  /** Role by lower-cased login, for every account the repository knows. */
  roles: Record<string, string>;
  protected: Array<{ branch: string; reviews: boolean; checks: string[]; enforceAdmins: boolean }>;
}

export function gateSnapshot(world: GitHubWorld): GateSnapshot {
  const { settings, tokens } = world.state;
  const now = world.now();
  const logins = [...Object.keys(settings.collaborators), ...settings.teams.flatMap((t) => t.members)];
  return {
    repository: `${world.owner}/${world.name}`,
    tokens: Object.fromEntries(
      tokens
        .filter((t) => t.expiresAt > now)
        .map((t) => [t.token, { login: t.login, kind: t.kind, permissions: t.permissions }]),
    ),
    roles: Object.fromEntries(logins.map((l) => [l.toLowerCase(), roleOf(settings, l)])),
    protected: settings.protection.map((p) => ({
      branch: p.branch,
      reviews: p.requiredReviews !== null,
      checks: p.requiredStatusChecks?.contexts ?? [],
      enforceAdmins: p.enforceAdmins,
    })),
  };
}

/** Keeps the hook's file current; writes only when what the hook reads changed. */
export function pushGate(world: GitHubWorld): { refresh(force?: boolean): void } {
  let written = '';
  return {
    /** `force` after the repository was replaced (the file went with it). */
    refresh(force = false) {
      const text = JSON.stringify(gateSnapshot(world));
      if (text === written && !force) return;
      writeFileSync(join(world.git.path, GATE_FILE), text);
      written = text;
    },
  };
}

/**
 * The push's identity as a token (or '' for a person), shared by both hooks. Embedded in the hook
 * scripts, so plain JavaScript that needs nothing but Node.
 */
export const IDENTITY_JS = `
const fs = require('fs');
function tokenOfHeader(value) {
  const m = /basic ([A-Za-z0-9+/=]+)/i.exec(value || '');
  return m ? Buffer.from(m[1], 'base64').toString().replace(/^[^:]*:/, '') : '';
}
function tokenOfEnvironmentConfig(env) {
  let token = '';
  for (const [k, v] of Object.entries(env))
    if (/^GIT_CONFIG_VALUE_\\d+$/.test(k) || k === 'GIT_CONFIG_PARAMETERS') token = tokenOfHeader(v) || token;
  return token;
}
/** The pushing repository: the nearest ancestor process that is \`git … push\`, and its .git/config. */
function tokenOfPusherConfig() {
  let pid = process.ppid;
  for (let depth = 0; depth < 8 && pid > 1; depth++) {
    try {
      const argv = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0');
      if (/(^|\\/)git$/.test(argv[0]) && argv.includes('push')) {
        let dir = fs.readlinkSync('/proc/' + pid + '/cwd');
        for (;;) {
          const config = dir + '/.git/config';
          if (fs.existsSync(config)) {
            const text = fs.readFileSync(config, 'utf8');
            let token = '';
            for (const m of text.matchAll(/^\\s*extraheader\\s*=\\s*(.*)$/gim)) token = tokenOfHeader(m[1]) || token;
            return token;
          }
          const up = require('path').dirname(dir);
          if (up === dir) return '';
          dir = up;
        }
      }
      pid = Number(fs.readFileSync('/proc/' + pid + '/stat', 'utf8').replace(/^.*\\) /s, '').split(' ')[1]);
    } catch {
      return '';
    }
  }
  return '';
}
function pushToken(env) {
  return tokenOfEnvironmentConfig(env) || tokenOfPusherConfig() || env.GITHUB_TOKEN || '';
}
function pusherName(env) {
  return (env.GIT_AUTHOR_NAME || env.USER || 'someone').toLowerCase().replace(/[^a-z0-9-]/g, '-');
}
`;

/** The pre-receive hook's decision, in plain JavaScript: exit 1 with GitHub's words to refuse. */
export const PRE_RECEIVE_JS = `${IDENTITY_JS}
const cp = require('child_process');
const gate = JSON.parse(fs.readFileSync('${GATE_FILE}', 'utf8'));
const env = process.env;
const refuse = (lines) => { process.stderr.write(lines.join('\\n') + '\\n'); process.exit(1); };
const RANK = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
const token = pushToken(env);
let who;
if (token.startsWith('sandbox-user-')) who = { login: token.slice(13).toLowerCase(), person: true };
else if (token.startsWith('sandbox-bot-')) who = { login: token.slice(12) + '[bot]', unlimited: true };
else if (token) {
  const record = gate.tokens[token];
  if (!record) refuse(['Invalid username or token. Password authentication is not supported for Git operations.']);
  who = { login: record.login, app: true, permissions: record.permissions };
} else {
  const login = pusherName(env);
  who = gate.roles[login] ? { login, person: true } : { login, unlimited: true, owner: true };
}
const role = who.unlimited ? 'admin' : who.person ? gate.roles[who.login] || 'read' : 'none';
const denied = () => refuse(['Permission to ' + gate.repository + '.git denied to ' + who.login + '.']);
if (who.app && who.permissions.contents !== 'write') denied();
if (who.person && (RANK[role] || 0) < RANK.write) denied();
const ZERO = /^0+$/;
const git = (args) => cp.execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const updates = fs.readFileSync(0, 'utf8').trim().split('\\n').filter(Boolean).map((l) => l.split(' '));
for (const [before, after, ref] of updates) {
  if (who.app && !ZERO.test(after)) {
    const files = git(['log', '--name-only', '--format=', after, '--not', '--all']).split('\\n');
    const workflow = files.find((f) => f.startsWith('.github/workflows/'));
    if (workflow && who.permissions.workflows !== 'write')
      refuse(['refusing to allow a GitHub App to create or update workflow \`' + workflow + '\` without \`workflows\` permission']);
  }
  if (!ref.startsWith('refs/heads/')) continue;
  const branch = ref.slice(11);
  const rule = gate.protected.find((p) => p.branch === branch);
  if (!rule) continue;
  const head = 'GH006: Protected branch update failed for ' + ref + '.';
  if (ZERO.test(after)) refuse([head, 'Cannot delete this protected branch']);
  if (!ZERO.test(before)) {
    try { git(['merge-base', '--is-ancestor', before, after]); }
    catch { refuse([head, 'Cannot force-push to this branch']); }
  }
  if (role === 'admin' && !rule.enforceAdmins) continue;
  if (rule.reviews) refuse([head, 'Changes must be made through a pull request.']);
  if (rule.checks.length > 0) refuse([head, rule.checks.length + ' of ' + rule.checks.length + ' required status checks are expected.']);
}
`;
