/** One check run (`html_url` `/runs/<id>`): its conclusion, output title, summary and text. */
import type { CheckRunRecord } from '../../github/state.ts';
import { checkRunState, checkRunTone } from '../checks.ts';
import { badge, esc, isSafeUrl, link, page, when } from '../html.ts';
import { renderMarkdown } from '../markdown.ts';
import type { Site } from '../site.ts';

export function checkRunPage(site: Site, run: CheckRunRecord): string {
  const md = (text: string) => renderMarkdown(text, { repoWeb: site.repoWeb });
  const pulls = site.world.state.pulls.filter((p) => p.headSha === run.headSha);
  const section = (title: string, text: string | null) =>
    text
      ? `<div class="box"><div class="head"><strong>${title}</strong></div><div class="body markdown-body">${md(text)}</div></div>`
      : '';
  const body = `<h1>${esc(run.name)}</h1>
<div class="meta">${badge(checkRunTone(run), checkRunState(run))} by ${esc(run.app.name)} on <a class="mono" href="${site.repoWeb}/commit/${esc(run.headSha)}">${esc(run.headSha.slice(0, 7))}</a>${pulls.length ? ` in ${pulls.map((p) => `<a href="${site.repoWeb}/pull/${p.number}">#${p.number}</a>`).join(', ')}` : ''} · started ${when(run.startedAt)}${run.completedAt !== null ? ` · completed ${when(run.completedAt)}` : ''}</div>
${isSafeUrl(run.detailsUrl) ? `<p>${link(run.detailsUrl, 'Details')}</p>` : ''}
${run.title ? `<h2>${esc(run.title)}</h2>` : ''}
${section('Summary', run.summary)}
${section('Details', run.text)}`;
  return page({
    title: run.name,
    web: site.web,
    owner: site.world.owner,
    repo: site.world.name,
    tab: 'actions',
    body,
    diagrams: /```mermaid/.test(`${run.summary ?? ''}\n${run.text ?? ''}`),
  });
}
