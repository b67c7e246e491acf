/**
 * The repository and its git data: branches, refs, commits, file contents and comparisons — all read
 * from (and written to) the bare repository itself.
 */
import { ServiceError } from '../../core.ts';
import type { Call } from '../context.ts';
import { refMoved } from '../push-hook.ts';
import { renderAuthenticatedUser, renderCommit, renderFile, renderRef, renderRepository } from '../render.ts';
import type { Route } from '../router.ts';
import { bodyOf, json, noContent, notFound, page, requiredString, validationFailed } from '../wire.ts';

export const repositoryRoutes: Route[] = [
  { method: 'GET', path: '/user', operation: 'users.getAuthenticated', handle: getAuthenticatedUser },
  {
    method: 'GET',
    path: '/repos/:owner/:repo',
    operation: 'repos.get',
    handle: (call) => json(renderRepository(call)),
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/branches',
    operation: 'repos.listBranches',
    handle: listBranches,
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/branches/:branch*',
    operation: 'repos.getBranch',
    handle: getBranch,
  },
  { method: 'GET', path: '/repos/:owner/:repo/git/ref/:ref*', operation: 'git.getRef', handle: getRef },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/matching-refs/:ref*',
    operation: 'git.listMatchingRefs',
    handle: listMatchingRefs,
  },
  { method: 'POST', path: '/repos/:owner/:repo/git/refs', operation: 'git.createRef', handle: createRef },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/git/refs/:ref*',
    operation: 'git.updateRef',
    handle: updateRef,
  },
  {
    method: 'DELETE',
    path: '/repos/:owner/:repo/git/refs/:ref*',
    operation: 'git.deleteRef',
    handle: deleteRef,
  },
  { method: 'GET', path: '/repos/:owner/:repo/commits', operation: 'repos.listCommits', handle: listCommits },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/contents/:path*',
    operation: 'repos.getContent',
    handle: getContent,
  },
  { method: 'GET', path: '/repos/:owner/:repo/contents', operation: 'repos.getContent', handle: getContent },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/compare/:basehead*',
    operation: 'repos.compareCommitsWithBasehead',
    handle: compare,
  },
];

/** Registered last: `/commits/{ref}` would otherwise shadow `/commits/{ref}/status`. */
export const commitRoute: Route = {
  method: 'GET',
  path: '/repos/:owner/:repo/commits/:ref*',
  operation: 'repos.getCommit',
  handle: getCommit,
};

function getAuthenticatedUser(call: Call) {
  return json(renderAuthenticatedUser(call.urls, call.actor.login));
}

/** A commit for a branch, ref or sha, or 404/422 the way GitHub words it for that endpoint. */
export function resolveOr404(call: Call, rev: string, message = 'Not Found'): string {
  const sha = call.world.git.resolveCommit(rev);
  if (!sha) throw notFound(message);
  return sha;
}

function renderBranch(call: Call, name: string, sha: string) {
  const { urls } = call;
  return {
    name,
    commit: { sha, url: `${urls.repoApi}/commits/${sha}` },
    protected: false,
  };
}

function listBranches(call: Call) {
  const branches = call.world.git.refs('refs/heads/').map((r) => ({ name: r.ref.slice(11), sha: r.sha }));
  return page(call.req, branches, (b) => renderBranch(call, b.name, b.sha));
}

function getBranch(call: Call) {
  const name = call.params['branch'] ?? '';
  const sha = call.world.git.branchSha(name);
  if (!sha) throw notFound('Branch not found');
  const { urls } = call;
  return json({
    ...renderBranch(call, name, sha),
    commit: renderCommit(urls, call.world.git.commit(sha)),
    _links: { self: `${urls.repoApi}/branches/${name}`, html: `${urls.repoWeb}/tree/${name}` },
    protection: {
      enabled: false,
      required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
    },
    protection_url: `${urls.repoApi}/branches/${name}/protection`,
  });
}

/**
 * A protected branch moves only by merging a pull request: the REST API cannot update, force or
 * delete it, as a push cannot (GitHub answers 422 "Protected branch update failed").
 */
function refuseOnProtectedBranch(call: Call, ref: string): void {
  const branch = ref.replace(/^refs\/heads\//, '');
  if (branch === ref) return;
  if (!call.world.state.settings.protection.some((p) => p.branch === branch)) return;
  throw new ServiceError(422, 'ProtectedBranch', `Protected branch update failed for ${ref}.`);
}

function fullRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/${ref}`;
}

function getRef(call: Call) {
  const ref = fullRef(call.params['ref'] ?? '');
  const found = call.world.git.refs(ref).find((r) => r.ref === ref);
  if (!found) throw notFound();
  return json(renderRef(call.urls, found.ref, found.sha, found.type));
}

function listMatchingRefs(call: Call) {
  const prefix = fullRef(call.params['ref'] ?? '');
  return json(call.world.git.refs(prefix).map((r) => renderRef(call.urls, r.ref, r.sha, r.type)));
}

function createRef(call: Call) {
  const body = bodyOf(call.req);
  const ref = requiredString(body, 'ref', 'Reference');
  const sha = requiredString(body, 'sha', 'Reference');
  const git = call.world.git;
  if (!ref.startsWith('refs/') || ref.split('/').length < 3)
    throw validationFailed({
      resource: 'Reference',
      code: 'invalid',
      field: 'ref',
      message: `${ref} is not a valid ref name; use a fully qualified name such as refs/heads/my-branch`,
    });
  if (git.objectType(sha) === undefined)
    throw validationFailed({
      resource: 'Reference',
      code: 'custom',
      field: 'sha',
      message: 'Object does not exist',
    });
  if (git.refTarget(ref) !== undefined || !git.updateRef(ref, sha, ''))
    throw validationFailed({
      resource: 'Reference',
      code: 'custom',
      field: 'ref',
      message: 'Reference already exists',
    });
  call.world.changed();
  call.world.emit({
    name: 'push',
    ref,
    before: '0000000000000000000000000000000000000000',
    after: sha,
    actor: call.actor,
  });
  return json(renderRef(call.urls, ref, sha, git.objectType(sha)), 201);
}

function updateRef(call: Call) {
  const ref = fullRef(call.params['ref'] ?? '');
  const body = bodyOf(call.req);
  const sha = requiredString(body, 'sha', 'Reference');
  const git = call.world.git;
  const current = git.refTarget(ref);
  if (current === undefined)
    throw validationFailed({
      resource: 'Reference',
      code: 'custom',
      field: 'ref',
      message: 'Reference does not exist',
    });
  if (git.objectType(sha) === undefined)
    throw validationFailed({
      resource: 'Reference',
      code: 'custom',
      field: 'sha',
      message: 'Object does not exist',
    });
  refuseOnProtectedBranch(call, ref);
  if (body['force'] !== true && !git.isAncestor(current, sha))
    throw validationFailed({
      resource: 'Reference',
      code: 'custom',
      field: 'sha',
      message: 'Update is not a fast forward',
    });
  if (!git.updateRef(ref, sha, current))
    throw validationFailed({
      resource: 'Reference',
      code: 'custom',
      field: 'ref',
      message: 'Reference cannot be updated',
    });
  call.world.changed();
  refMoved(call.world, { ref, before: current, after: sha }, call.actor);
  return json(renderRef(call.urls, ref, sha, git.objectType(sha)));
}

function deleteRef(call: Call) {
  const ref = fullRef(call.params['ref'] ?? '');
  const git = call.world.git;
  if (git.refTarget(ref) === undefined)
    throw validationFailed({
      resource: 'Reference',
      code: 'custom',
      field: 'ref',
      message: 'Reference does not exist',
    });
  refuseOnProtectedBranch(call, ref);
  git.deleteRef(ref);
  call.world.changed();
  return noContent();
}

function listCommits(call: Call) {
  const start = call.req.query.get('sha') ?? 'main';
  const sha = resolveOr404(call, start);
  const commits = call.world.git.commits(['--max-count=1000', sha]);
  return page(call.req, commits, (c) => renderCommit(call.urls, c));
}

function getCommit(call: Call) {
  const git = call.world.git;
  const sha = git.resolveCommit(call.params['ref'] ?? '');
  if (!sha)
    throw validationFailed({
      resource: 'Commit',
      code: 'invalid',
      field: 'ref',
      message: `No commit found for SHA: ${call.params['ref']}`,
    });
  const commit = git.commit(sha);
  const parent = commit.parents[0];
  const files = parent ? git.diff(parent, sha) : [];
  return json({
    ...renderCommit(call.urls, commit),
    stats: {
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      total: files.reduce((n, f) => n + f.additions + f.deletions, 0),
    },
    files: files.map((f) => renderFile(call.urls, sha, f)),
  });
}

function getContent(call: Call) {
  const path = (call.params['path'] ?? '').replace(/^\/+|\/+$/g, '');
  const ref = call.req.query.get('ref') ?? 'main';
  const sha = resolveOr404(call, ref, `No commit found for the ref ${ref}`);
  const found = call.world.git.readPath(sha, path);
  if (!found) throw notFound();
  const { urls } = call;
  const describe = (entryPath: string, type: string, entrySha: string, size: number) => {
    const name = entryPath.split('/').pop() ?? entryPath;
    const self = `${urls.repoApi}/contents/${entryPath}?ref=${ref}`;
    const html = `${urls.repoWeb}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${entryPath}`;
    const gitUrl = `${urls.repoApi}/git/${type === 'dir' ? 'trees' : 'blobs'}/${entrySha}`;
    return {
      type,
      name,
      path: entryPath,
      sha: entrySha,
      size,
      url: self,
      html_url: html,
      git_url: gitUrl,
      download_url: type === 'file' ? `${urls.repoWeb}/raw/${ref}/${entryPath}` : null,
      _links: { self, git: gitUrl, html },
    };
  };
  if (found.kind === 'file') {
    return json({
      ...describe(path, 'file', found.sha, found.content.length),
      // GitHub wraps base64 at 60 characters; decoders ignore the newlines.
      content: (found.content.toString('base64').match(/.{1,60}/g) ?? []).join('\n'),
      encoding: 'base64',
    });
  }
  return json(
    found.entries.map((e) => describe(path === '' ? e.name : `${path}/${e.name}`, e.type, e.sha, e.size)),
  );
}

function compare(call: Call) {
  const basehead = call.params['basehead'] ?? '';
  const [baseRev, headRev, ...rest] = basehead.split('...');
  if (!baseRev || !headRev || rest.length > 0)
    throw notFound(`Not Found: compare needs BASE...HEAD, got ${basehead}`);
  const git = call.world.git;
  const base = resolveOr404(call, baseRev);
  const head = resolveOr404(call, headRev);
  const mergeBase = git.mergeBase(base, head);
  const aheadBy = git.countCommits(`${base}..${head}`);
  const behindBy = git.countCommits(`${head}..${base}`);
  const status =
    aheadBy === 0 && behindBy === 0
      ? 'identical'
      : behindBy === 0
        ? 'ahead'
        : aheadBy === 0
          ? 'behind'
          : 'diverged';
  const commits = git.commits(['--reverse', '--max-count=250', `${base}..${head}`]);
  const files = mergeBase ? git.diff(mergeBase, head) : [];
  const { urls, world } = call;
  return json({
    url: `${urls.repoApi}/compare/${basehead}`,
    html_url: `${urls.repoWeb}/compare/${basehead}`,
    permalink_url: `${urls.repoWeb}/compare/${world.owner}:${base.slice(0, 7)}...${world.owner}:${head.slice(0, 7)}`,
    diff_url: `${urls.repoWeb}/compare/${basehead}.diff`,
    patch_url: `${urls.repoWeb}/compare/${basehead}.patch`,
    base_commit: renderCommit(urls, git.commit(base)),
    merge_base_commit: mergeBase ? renderCommit(urls, git.commit(mergeBase)) : null,
    status,
    ahead_by: aheadBy,
    behind_by: behindBy,
    total_commits: aheadBy,
    commits: commits.map((c) => renderCommit(urls, c)),
    files: files.map((f) => renderFile(urls, head, f)),
  });
}
