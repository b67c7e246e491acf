/** One commit: its message, author, parents, the checks reported on it and what it changed. */
import type { CommitInfo } from '../../github/git.ts';
import type { Checks } from '../checks.ts';
import { renderFiles } from '../diff.ts';
import { cachedGit } from '../git-cache.ts';
import { esc, isSafeUrl, link, mark, page, when } from '../html.ts';
import { checksOf, type Site } from '../site.ts';

/** git's empty tree: what a root commit is compared with. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export function commitPage(site: Site, commit: CommitInfo): string {
  const { world } = site;
  const [subject = '', ...rest] = commit.message.split('\n');
  const description = rest.join('\n').trim();
  const files = cachedGit.diff(world.git, commit.parents[0] ?? EMPTY_TREE, commit.sha);
  const checks = checksOf(site, commit.sha);
  const parents = commit.parents
    .map((p) => `<a class="mono" href="${site.repoWeb}/commit/${p}">${p.slice(0, 7)}</a>`)
    .join(' + ');
  const pulls = world.state.pulls.filter((p) => p.mergeCommitSha === commit.sha || p.headSha === commit.sha);
  const body = `<h1 class="commit-title">${esc(subject)}</h1>
${description ? `<pre class="box body">${esc(description)}</pre>` : ''}
<div class="meta"><strong>${esc(commit.author.name)}</strong> committed ${when(commit.committer.date)} · commit <span class="mono">${commit.sha}</span>${parents ? ` · ${commit.parents.length > 1 ? 'parents' : 'parent'} ${parents}` : ''}</div>
${pulls.length ? `<div class="meta">In ${pulls.map((p) => `<a href="${site.repoWeb}/pull/${p.number}">#${p.number}</a>`).join(', ')}</div>` : ''}
${checkTable(checks)}
<h2>Files changed <span class="meta">${files.length}</span></h2>
${renderFiles(files)}`;
  return page({
    title: `${subject} · ${commit.sha.slice(0, 7)}`,
    web: site.web,
    owner: world.owner,
    repo: world.name,
    tab: 'code',
    body,
  });
}

function checkTable(checks: Checks): string {
  if (checks.lines.length === 0) return '';
  const rows = checks.lines
    .map(
      (l) =>
        `<tr class="check ${l.tone}"><td>${mark(l.tone, l.state)}</td><td><strong>${esc(l.name)}</strong></td><td>${esc(l.description)}</td><td>${isSafeUrl(l.url) ? link(l.url, 'Details') : ''}</td></tr>`,
    )
    .join('');
  return `<div class="box" id="checks"><div class="head">${mark(checks.tone, checks.summary)} ${esc(checks.summary)}</div><table class="checks">${rows}</table></div>`;
}
