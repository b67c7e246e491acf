/**
 * The Actions tab: the workflow runs the sandbox's runner recorded, then the check runs reported on
 * this repository's commits (by jobs and by apps), newest first, each linking to its page.
 */
import { checkRunState, checkRunTone } from '../checks.ts';
import { esc, mark, page, when } from '../html.ts';
import type { Site } from '../site.ts';
import { runRows } from './runs.ts';

export function actionsPage(site: Site): string {
  const { state } = site.world;
  const runs = [...(state.checkRuns ?? [])].sort((a, b) => b.id - a.id).slice(0, 200);
  const rows = runs.map((run) => {
    const pulls = state.pulls.filter((p) => p.headSha === run.headSha);
    const inPulls = pulls
      .map((p) => `<a href="${site.repoWeb}/pull/${p.number}">#${p.number}</a>`)
      .join(', ');
    return `<li class="run" data-id="${run.id}">${mark(checkRunTone(run), checkRunState(run))} <a class="title" href="${site.repoWeb}/runs/${run.id}">${esc(run.name)}</a>${run.title ? ` <span class="meta">${esc(run.title)}</span>` : ''}
<div class="sub">${esc(checkRunState(run))} · ${esc(run.app.name)} · <a class="mono" href="${site.repoWeb}/commit/${esc(run.headSha)}">${esc(run.headSha.slice(0, 7))}</a>${inPulls ? ` in ${inPulls}` : ''} · ${when(run.completedAt ?? run.startedAt)}</div></li>`;
  });
  const workflowRuns = [...(state.workflowRuns ?? [])].sort((a, b) => b.id - a.id).slice(0, 200);
  const body = `<h2>Workflow runs</h2>
<div class="box"><ul class="rows">${runRows(site, workflowRuns) || '<li class="meta">No workflow runs yet.</li>'}</ul></div>
<h2>Check runs</h2>
<div class="box"><ul class="rows">${rows.join('\n') || '<li class="meta">No check runs reported yet.</li>'}</ul></div>`;
  return page({
    title: 'Actions',
    web: site.web,
    owner: site.world.owner,
    repo: site.world.name,
    tab: 'actions',
    body,
  });
}
