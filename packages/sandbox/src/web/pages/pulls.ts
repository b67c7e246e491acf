/** The repository's pull requests, open or closed, with labels and each head's checks at a glance. */
import { esc, label, mark, page, when } from '../html.ts';
import { checksOf, headOf, labelColor, pullTone, type Site } from '../site.ts';

export function pullsPage(site: Site, query: URLSearchParams): string {
  const q = query.get('q') ?? '';
  const closed = query.get('state') === 'closed' || /\bis:(closed|merged)\b/.test(q);
  const all = site.world.state.pulls;
  const open = all.filter((p) => p.state === 'open');
  const shown = (closed ? all.filter((p) => p.state === 'closed') : open).sort((a, b) => b.number - a.number);
  const filter = (isClosed: boolean, text: string) =>
    `<a href="${site.repoWeb}/pulls${isClosed ? '?state=closed' : ''}"${isClosed === closed ? ' aria-current="page"' : ''}>${text}</a>`;
  const rows = shown.map((pull) => {
    const tone = pullTone(pull);
    const checks = checksOf(site, headOf(site, pull));
    const labels = pull.labels.map((l) => label(l, labelColor(site, l))).join('');
    const checkMark =
      checks.lines.length > 0
        ? ` <a href="${site.repoWeb}/pull/${pull.number}#checks">${mark(checks.tone, checks.summary)}</a>`
        : '';
    const moment =
      tone === 'merged'
        ? `merged ${when(pull.mergedAt)}`
        : tone === 'closed'
          ? `closed ${when(pull.closedAt)}`
          : `opened ${when(pull.createdAt)}`;
    return `<li class="pull" data-number="${pull.number}">${mark(tone, tone)} <a class="title" href="${site.repoWeb}/pull/${pull.number}">${esc(pull.title)}</a>${checkMark} ${labels}
<div class="sub">#${pull.number} ${moment} by ${esc(pull.user)} · ${esc(pull.head)} → ${esc(pull.base)}</div></li>`;
  });
  const body = `<div class="box"><div class="head filters">${filter(false, `${open.length} Open`)}${filter(true, `${all.length - open.length} Closed`)}</div>
<ul class="rows">${rows.join('\n') || '<li class="meta">No pull requests here.</li>'}</ul></div>`;
  return page({
    title: 'Pull requests',
    web: site.web,
    owner: site.world.owner,
    repo: site.world.name,
    tab: 'pulls',
    body,
  });
}
