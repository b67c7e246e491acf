/** The repository's front page: its branches and the latest commits on the default branch. */
import { cachedGit } from '../git-cache.ts';
import { esc, mark, page, when } from '../html.ts';
import { checksOf, type Site } from '../site.ts';

export function homePage(site: Site): string {
  const { world } = site;
  const main = site.tips.get('main');
  const commits = main ? cachedGit.history(world.git, main, 30) : [];
  const rows = commits.map((c) => {
    const checks = checksOf(site, c.sha);
    const m = checks.lines.length > 0 ? ` ${mark(checks.tone, checks.summary)}` : '';
    return `<li><a href="${site.repoWeb}/commit/${c.sha}">${esc(c.message.split('\n')[0])}</a>${m}<div class="sub"><span class="mono">${c.sha.slice(0, 7)}</span> · ${esc(c.author.name)} · ${when(c.committer.date)}</div></li>`;
  });
  const branches = [...site.tips.entries()]
    .map(
      ([name, sha]) =>
        `<li><code>${esc(name)}</code> <a class="mono" href="${site.repoWeb}/commit/${sha}">${sha.slice(0, 7)}</a></li>`,
    )
    .join('');
  const body = `<h2>Commits on <code>main</code></h2>
<div class="box"><ul class="rows">${rows.join('') || '<li class="meta">No commits.</li>'}</ul></div>
<h2>Branches</h2>
<div class="box"><ul class="rows">${branches}</ul></div>`;
  return page({ title: 'Code', web: site.web, owner: world.owner, repo: world.name, tab: 'code', body });
}
