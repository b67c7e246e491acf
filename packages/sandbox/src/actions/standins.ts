/**
 * The four third-party actions the workflows use, as stand-ins chosen by `owner/repo` whatever the
 * pinned SHA. Each honours the inputs the workflows pass and fails the step, naming the input, on
 * one it does not support, rather than pretending.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { appInstallationToken } from '../github/access.ts';
import type { TokenPermissions } from '../github/identity.ts';
import { configureAwsCredentials } from './aws-credentials.ts';
import { type StandIn, StepFailure, supportedInputs } from './stand-in-kit.ts';

export { type StandIn, type StandInContext, StepFailure, supportedInputs } from './stand-in-kit.ts';

const execFileAsync = promisify(execFile);

/**
 * git for the stand-ins, asynchronous: the runner lives in the sandbox's server process, and a
 * synchronous clone would stall every request (the people's, the other jobs') while it runs.
 */
async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  });
  return stdout.trim();
}

/**
 * The commits a clone of depth `depth` from `head` keeps as its shallow boundary: those `depth - 1`
 * parent steps away (what `git fetch --depth` would write to `.git/shallow`).
 */
export function shallowBoundary(parents: Map<string, string[]>, head: string, depth: number): string[] {
  let level = new Set([head]);
  for (let i = 1; i < depth; i++) {
    const next = new Set<string>();
    for (const c of level) for (const p of parents.get(c) ?? []) next.add(p);
    if (next.size === 0) return [];
    level = next;
  }
  return [...level].filter((c) => (parents.get(c) ?? []).length > 0);
}

const checkout: StandIn = async (ctx) => {
  supportedInputs('actions/checkout', ctx, [
    'ref',
    'fetch-depth',
    'persist-credentials',
    'token',
    'repository',
    'path',
    'clean',
  ]);
  const repository = ctx.inputs['repository'] || `${ctx.world.owner}/${ctx.world.name}`;
  if (repository.toLowerCase() !== `${ctx.world.owner}/${ctx.world.name}`.toLowerCase())
    throw new StepFailure(
      `the sandbox's actions/checkout can only check out ${ctx.world.owner}/${ctx.world.name}, not ${repository}`,
    );
  const depth = Number(ctx.inputs['fetch-depth'] || '1');
  if (!Number.isInteger(depth) || depth < 0)
    throw new StepFailure(`fetch-depth must be a whole number, got "${ctx.inputs['fetch-depth']}"`);
  const dir = ctx.inputs['path'] ? `${ctx.workspace}/${ctx.inputs['path']}` : ctx.workspace;
  mkdirSync(dir, { recursive: true });
  // actions/checkout without a `ref` input checks out the run's commit (GITHUB_SHA) on the run's
  // ref, not whatever the ref points at when the step runs; with one, that ref's tip.
  const asked = ctx.inputs['ref'];
  const wanted = asked || ctx.ref;
  const pinned = asked ? undefined : ctx.sha || undefined;
  const remote = `file://${ctx.world.git.path}`;
  if (!existsSync(`${dir}/.git`)) await git(dir, ['init', '--quiet']);
  // The job's clone borrows the sandbox repository's objects (as `git clone --shared` does), so a
  // fetch finds every object already there and transfers none: packing the whole project, bundles
  // included, for every job cost seconds each. What the job sees — refs, history, files — is the same.
  mkdirSync(`${dir}/.git/objects/info`, { recursive: true });
  writeFileSync(`${dir}/.git/objects/info/alternates`, `${ctx.world.git.path}/objects\n`);
  try {
    await git(dir, ['remote', 'add', 'origin', remote]);
  } catch {
    await git(dir, ['remote', 'set-url', 'origin', remote]);
  }
  // A branch name, a full ref or a sha, as actions/checkout accepts them.
  const refspec = pinned
    ? `+${pinned}:${trackingRef(wanted)}`
    : /^[0-9a-f]{40}$/.test(wanted)
      ? wanted
      : wanted.startsWith('refs/')
        ? `+${wanted}:${trackingRef(wanted)}`
        : `+refs/heads/${wanted}:refs/remotes/origin/${wanted}`;
  if (depth === 0)
    await git(dir, [
      'fetch',
      '--quiet',
      '--prune',
      '--tags',
      'origin',
      '+refs/heads/*:refs/remotes/origin/*',
    ]);
  await git(dir, ['fetch', '--quiet', '--no-tags', 'origin', refspec]);
  await git(dir, ['checkout', '--quiet', '--force', 'FETCH_HEAD']);
  const head = await git(dir, ['rev-parse', 'HEAD']);
  if (depth > 0) {
    // fetch-depth N: the history ends N commits down, as a shallow fetch leaves it.
    const parents = new Map<string, string[]>();
    for (const line of (await git(dir, ['rev-list', '--parents', head])).split('\n')) {
      const [c, ...ps] = line.split(' ');
      if (c) parents.set(c, ps);
    }
    const boundary = shallowBoundary(parents, head, depth);
    if (boundary.length > 0) writeFileSync(`${dir}/.git/shallow`, `${boundary.join('\n')}\n`);
  }
  const branch = wanted.startsWith('refs/heads/')
    ? wanted.slice('refs/heads/'.length)
    : !/^[0-9a-f]{40}$/.test(wanted) && !wanted.startsWith('refs/')
      ? wanted
      : undefined;
  if (branch) await git(dir, ['checkout', '--quiet', '-B', branch]);
  ctx.log(`Checked out ${wanted} at ${head}`);
  if ((ctx.inputs['persist-credentials'] || 'true') === 'true') {
    const token = ctx.inputs['token'] || ctx.githubToken;
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    await git(dir, ['config', '--local', 'http.extraheader', `AUTHORIZATION: basic ${basic}`]);
    ctx.post('Post actions/checkout', () => {
      try {
        execFileSync('git', ['config', '--local', '--unset-all', 'http.extraheader'], {
          cwd: dir,
          stdio: 'ignore',
        });
      } catch {
        // already removed
      }
    });
  }
};

/** Where checkout keeps a fetched ref: branches as origin's, pull refs under refs/remotes/pull/. */
function trackingRef(ref: string): string {
  if (ref.startsWith('refs/heads/')) return `refs/remotes/origin/${ref.slice('refs/heads/'.length)}`;
  if (ref.startsWith('refs/pull/')) return `refs/remotes/pull/${ref.slice('refs/pull/'.length)}`;
  return ref;
}

const setupNode: StandIn = (ctx) => {
  supportedInputs('actions/setup-node', ctx, ['node-version', 'cache', 'check-latest']);
  const asked = ctx.inputs['node-version'] ?? '';
  const major = Number(process.versions.node.split('.')[0]);
  const wanted = Number(/^v?(\d+)/.exec(asked)?.[1] ?? major);
  if (!Number.isInteger(wanted) || wanted < 20)
    throw new StepFailure(
      `the sandbox serves Node ${process.versions.node} only; node-version "${asked}" is older than 20`,
    );
  if (ctx.inputs['cache'] && ctx.inputs['cache'] !== 'npm')
    throw new StepFailure(
      `the sandbox's actions/setup-node supports cache: npm only, got "${ctx.inputs['cache']}"`,
    );
  // The runner's node is the machine's: node24 actions run on it (the README says so).
  if (wanted !== major)
    ctx.log(
      `::warning title=setup-node::node-version ${asked} asked; the sandbox runs the machine's Node ${process.versions.node}`,
    );
  ctx.setOutput('node-version', `v${process.versions.node}`);
  ctx.log(`Using Node ${process.versions.node}`);
};

const createGitHubAppToken: StandIn = (ctx) => {
  const permissionInputs = Object.keys(ctx.inputs).filter((k) => k.startsWith('permission-'));
  supportedInputs('actions/create-github-app-token', ctx, [
    'client-id',
    'app-id',
    'private-key',
    'owner',
    'repositories',
    'skip-token-revoke',
    ...permissionInputs,
  ]);
  const app = ctx.world.state.settings.app;
  const clientId = ctx.inputs['client-id'] || ctx.inputs['app-id'] || '';
  if (clientId !== app.clientId && clientId !== String(app.id))
    throw new StepFailure(
      `no GitHub App with client id "${clientId}" is installed on ${ctx.world.owner}/${ctx.world.name}`,
    );
  // The App's key, wherever the repository keeps it: a repository secret or, as the README says,
  // a secret of the environments limited to main.
  const settings = ctx.world.state.settings;
  const key = [...settings.secrets, ...settings.environments.flatMap((e) => e.secrets)].find(
    (s) => s.name === 'FLAGOPS_APP_PRIVATE_KEY',
  )?.value;
  if (!ctx.inputs['private-key'] || ctx.inputs['private-key'] !== key)
    throw new StepFailure(
      'the private-key input is not the App’s private key (is the secret FLAGOPS_APP_PRIVATE_KEY passed?)',
    );
  const permissions: TokenPermissions = {};
  for (const input of permissionInputs) {
    const access = ctx.inputs[input];
    if (access !== 'read' && access !== 'write')
      throw new StepFailure(`${input} must be read or write, got "${access}"`);
    permissions[input.slice('permission-'.length).replaceAll('-', '_')] = access;
  }
  let token: string;
  try {
    token = appInstallationToken(ctx.world, permissions, ctx.appTokenLifetimeMs).token;
  } catch (err) {
    throw new StepFailure((err as Error).message);
  }
  ctx.mask(token);
  ctx.setOutput('token', token);
  ctx.setOutput('app-slug', app.slug);
  ctx.setOutput('installation-id', String(app.installationId));
  if (ctx.inputs['skip-token-revoke'] !== 'true')
    ctx.post('Post actions/create-github-app-token', () => {
      ctx.world.state.tokens = ctx.world.state.tokens.filter((t) => t.token !== token);
    });
};

const STAND_INS: Record<string, StandIn> = {
  'actions/checkout': checkout,
  'actions/setup-node': setupNode,
  'aws-actions/configure-aws-credentials': configureAwsCredentials,
  'actions/create-github-app-token': createGitHubAppToken,
};

/** The stand-in for `owner/repo@ref`, or a failure naming what is missing. */
export function standIn(uses: string): StandIn {
  const ownerRepo = uses.split('@')[0]!.split('/').slice(0, 2).join('/').toLowerCase();
  const found = STAND_INS[ownerRepo];
  if (!found) throw new StepFailure(`the sandbox has no stand-in for ${ownerRepo}`);
  return found;
}
