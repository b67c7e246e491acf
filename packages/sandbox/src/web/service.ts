/**
 * The sandbox's GitHub web pages: read-only HTML at the `html_url`s its API returns
 * (`/github-web/<owner>/<repo>/pull/<n>`, `/commit/<sha>`, …), rendered on the server from the same
 * records the API serves. Pages work without JavaScript; only mermaid diagrams need it.
 */
import type { Reply, ResolvedOperation, SandboxRequest, Service } from '../core.ts';
import { ServiceError } from '../core.ts';
import type { GitHubWorld } from '../github/context.ts';
import { DIAGRAMS, mermaidBundle, STYLE } from './assets.ts';
import { cachedGit } from './git-cache.ts';
import { esc } from './html.ts';
import { actionsPage } from './pages/actions.ts';
import { checkRunPage } from './pages/check-run.ts';
import { commitPage } from './pages/commit.ts';
import { homePage } from './pages/home.ts';
import { pullPage } from './pages/pull.ts';
import { pullsPage } from './pages/pulls.ts';
import { jobPage, runPage } from './pages/runs.ts';
import { makeSite, type Site } from './site.ts';

const PREFIX = '/github-web';

/**
 * Scripts only from this server (mermaid and its starter), no plugins, frames or form posts: even
 * if something slipped past the sanitiser it could not run. Inline styles stay allowed because
 * mermaid writes a `<style>` into each SVG it draws.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface GitHubWebOptions {
  /** The GitHub service's world (read on every request: load and reset replace its state). */
  world: () => GitHubWorld;
}

type PageRoute = {
  pattern: RegExp;
  render: (site: Site, m: string[], req: SandboxRequest) => string | undefined;
};

const ROUTES: PageRoute[] = [
  { pattern: /^$/, render: (site) => homePage(site) },
  { pattern: /^\/pulls$/, render: (site, _m, req) => pullsPage(site, req.query) },
  { pattern: /^\/actions$/, render: (site) => actionsPage(site) },
  {
    pattern: /^\/pull\/(\d+)(?:\/(?:files|checks|commits))?$/,
    render: (site, m) => {
      const pull = site.world.state.pulls.find((p) => p.number === Number(m[1]));
      return pull && pullPage(site, pull);
    },
  },
  {
    pattern: /^\/actions\/runs\/(\d+)$/,
    render: (site, m) => {
      const run = (site.world.state.workflowRuns ?? []).find((r) => r.id === Number(m[1]));
      return run && runPage(site, run);
    },
  },
  {
    pattern: /^\/actions\/runs\/(\d+)\/job\/(\d+)$/,
    render: (site, m) => {
      const run = (site.world.state.workflowRuns ?? []).find((r) => r.id === Number(m[1]));
      const job = (site.world.state.workflowJobs ?? []).find(
        (j) => j.id === Number(m[2]) && j.runId === run?.id,
      );
      return run && job && jobPage(site, run, job);
    },
  },
  {
    pattern: /^\/runs\/(\d+)$/,
    render: (site, m) => {
      const run = (site.world.state.checkRuns ?? []).find((r) => r.id === Number(m[1]));
      return run && checkRunPage(site, run);
    },
  },
  {
    pattern: /^\/commit\/([0-9a-f]{4,40})$/,
    render: (site, m) => {
      const sha = site.world.git.resolveCommit(m[1] ?? '');
      return sha && commitPage(site, cachedGit.commit(site.world.git, sha));
    },
  },
];

export function createGitHubWeb(options: GitHubWebOptions): Service {
  function resolve(req: SandboxRequest): ResolvedOperation | undefined {
    if (req.path !== PREFIX && !req.path.startsWith(`${PREFIX}/`)) return undefined;
    return { operation: 'web.page', handle: () => handle(req) };
  }

  function handle(req: SandboxRequest): Reply {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return html(405, notFoundPage('These pages are read-only.'));
    const path = req.path.slice(PREFIX.length);
    const asset = assetReply(path);
    if (asset) return asset;
    const world = options.world();
    const repoPrefix = `/${world.owner}/${world.name}`;
    if (
      path.toLowerCase() !== repoPrefix.toLowerCase() &&
      !path.toLowerCase().startsWith(`${repoPrefix.toLowerCase()}/`)
    )
      return html(404, notFoundPage(`No page at ${path}.`));
    const rest = path.slice(repoPrefix.length).replace(/\/$/, '');
    const site = makeSite(world);
    for (const route of ROUTES) {
      const m = route.pattern.exec(rest);
      if (!m) continue;
      const out = route.render(site, [...m], req);
      return out === undefined ? html(404, notFoundPage(`Nothing at ${path}.`)) : html(200, out);
    }
    return html(404, notFoundPage(`No page at ${path}.`));
  }

  return {
    name: 'github-web',
    resolve,
    encodeError: (err: ServiceError) => html(err.status, notFoundPage(err.message)),
    throttleError: () => new ServiceError(429, 'TooManyRequests', 'slow down'),
  };
}

function html(status: number, body: string): Reply {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
    body,
  };
}

function assetReply(path: string): Reply | undefined {
  const asset = (type: string, body: string | Buffer): Reply => ({
    status: 200,
    headers: { 'content-type': type, 'cache-control': 'max-age=3600', 'x-content-type-options': 'nosniff' },
    body,
  });
  if (path === '/_assets/style.css') return asset('text/css; charset=utf-8', STYLE);
  if (path === '/_assets/diagrams.js') return asset('text/javascript; charset=utf-8', DIAGRAMS);
  if (path === '/_assets/mermaid.min.js') return asset('text/javascript; charset=utf-8', mermaidBundle());
  return undefined;
}

function notFoundPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title><link rel="stylesheet" href="${PREFIX}/_assets/style.css"></head><body><main class="wrap"><h1>Not found</h1><p>${esc(message)}</p></main></body></html>`;
}
