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
import { type Caller, resolveCaller } from './access.ts';
import type { GitHubWorld } from './context.ts';

const HOOK = `
const lines = require('fs').readFileSync(0, 'utf8').trim().split('\\n').filter(Boolean);
const env = process.env;
let token = env.GITHUB_TOKEN || '';
for (const [k, v] of Object.entries(env)) {
  if (/^GIT_CONFIG_VALUE_\\d+$/.test(k) || k === 'GIT_CONFIG_PARAMETERS') {
    const m = /basic ([A-Za-z0-9+/=]+)/.exec(v);
    if (m) token = Buffer.from(m[1], 'base64').toString().replace(/^x-access-token:/, '');
  }
}
const updates = lines.map((l) => { const [before, after, ref] = l.split(' '); return { before, after, ref }; });
const fs = require('fs');
const name = process.argv[1] + '/' + Date.now() + '-' + process.pid;
fs.writeFileSync(name + '.tmp', JSON.stringify({ updates, token, pusher: env.GIT_AUTHOR_NAME || env.USER || 'someone' }));
fs.renameSync(name + '.tmp', name + '.json');
`;

export function installPushHook(gitDir: string, spool: string): void {
  mkdirSync(spool, { recursive: true });
  const hooks = join(gitDir, 'hooks');
  mkdirSync(hooks, { recursive: true });
  const file = join(hooks, 'post-receive');
  const script = `#!/bin/sh\nexec '${process.execPath}' -e '${HOOK.replaceAll("'", `'\\''`)}' '${spool}'\n`;
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
    pusher?: string;
  };
  const login = (body.pusher ?? 'someone').toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const caller: Caller = (body.token ? resolveCaller(world, `token ${body.token}`) : undefined) ?? {
    login,
    type: 'User',
    tokenKind: 'user',
  };
  for (const u of body.updates ?? []) {
    world.emit({ name: 'push', ref: u.ref, before: u.before, after: u.after, actor: caller });
    if (!u.ref.startsWith('refs/heads/')) continue;
    const branch = u.ref.slice('refs/heads/'.length);
    for (const pull of world.state.pulls.filter((p) => p.state === 'open' && p.head === branch)) {
      pull.headSha = u.after;
      pull.updatedAt = world.now();
      world.emit({ name: 'pull_request', action: 'synchronize', pull: pull.number, actor: caller });
    }
  }
  world.changed();
}
