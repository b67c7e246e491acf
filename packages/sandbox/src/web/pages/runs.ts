/**
 * Workflow runs as GitHub's Actions pages show them: a run (`/actions/runs/<id>`) with its jobs and
 * their summaries, and a job (`/actions/runs/<id>/job/<job>`) with its steps, annotations, the job
 * summary and the log. Logs and annotations are text, escaped; summaries are sanitised Markdown.
 */
import type { Conclusion, JobRecord, RunRecord, RunStatus } from '../../actions/records.ts';
import { badge, esc, mark, page, type Tone, when } from '../html.ts';
import { renderMarkdown } from '../markdown.ts';
import type { Site } from '../site.ts';

export function runTone(status: RunStatus | 'completed', conclusion: Conclusion | null): Tone {
  if (status !== 'completed') return 'pending';
  if (conclusion === 'success') return 'success';
  if (conclusion === 'failure' || conclusion === 'timed_out') return 'failure';
  return 'neutral';
}

function runWords(status: RunStatus, conclusion: Conclusion | null): string {
  return status === 'completed' ? (conclusion ?? 'completed') : status.replace('_', ' ');
}

function duration(start: number | null, end: number | null): string {
  if (start === null || end === null) return '';
  const s = Math.max(0, Math.round((end - start) / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`;
}

export function runRows(site: Site, runs: RunRecord[]): string {
  return runs
    .map(
      (run) =>
        `<li class="workflow-run" data-id="${run.id}">${mark(runTone(run.status, run.conclusion), runWords(run.status, run.conclusion))} <a class="title" href="${site.repoWeb}/actions/runs/${run.id}">${esc(run.displayTitle)}</a>
<div class="sub">${esc(run.name)} #${run.runNumber} · ${esc(run.event)}${run.headBranch ? ` on <code>${esc(run.headBranch)}</code>` : ''} · <a class="mono" href="${site.repoWeb}/commit/${esc(run.headSha)}">${esc(run.headSha.slice(0, 7))}</a>${pullLinks(site, run)} · ${when(run.createdAt)}</div></li>`,
    )
    .join('\n');
}

function pullLinks(site: Site, run: RunRecord): string {
  return run.pullRequests.length
    ? ` in ${run.pullRequests.map((n) => `<a href="${site.repoWeb}/pull/${n}">#${n}</a>`).join(', ')}`
    : '';
}

function jobsOf(site: Site, run: RunRecord): JobRecord[] {
  return (site.world.state.workflowJobs ?? []).filter((j) => j.runId === run.id).sort((a, b) => a.id - b.id);
}

export function runPage(site: Site, run: RunRecord): string {
  const jobs = jobsOf(site, run);
  const md = (text: string) => renderMarkdown(text, { repoWeb: site.repoWeb });
  const jobRows = jobs
    .map(
      (j) =>
        `<li class="job" data-id="${j.id}">${mark(runTone(j.status, j.conclusion), runWords(j.status, j.conclusion))} <a href="${site.repoWeb}/actions/runs/${run.id}/job/${j.id}">${esc(j.name)}</a> <span class="meta">${esc(runWords(j.status, j.conclusion))} ${duration(j.startedAt, j.completedAt)}</span></li>`,
    )
    .join('');
  const summaries = jobs
    .filter((j) => j.summary.trim() !== '')
    .map(
      (j) =>
        `<div class="box job-summary"><div class="head"><strong>${esc(j.name)}</strong> summary</div><div class="body markdown-body">${md(j.summary)}</div></div>`,
    )
    .join('\n');
  const body = `<h1>${esc(run.displayTitle)} <span class="num">#${run.runNumber}</span></h1>
<div class="meta">${badge(runTone(run.status, run.conclusion), runWords(run.status, run.conclusion))} ${esc(run.name)} (<code>${esc(run.path)}</code>) on ${esc(run.event)} by ${esc(run.actor)} · <a class="mono" href="${site.repoWeb}/commit/${esc(run.headSha)}">${esc(run.headSha.slice(0, 7))}</a>${pullLinks(site, run)} · ${when(run.createdAt)}</div>
<div class="box" id="jobs"><div class="head"><strong>Jobs</strong> ${jobs.length}</div><ul class="rows">${jobRows || '<li class="meta">No jobs.</li>'}</ul></div>
${summaries}`;
  return page({
    title: run.displayTitle,
    web: site.web,
    owner: site.world.owner,
    repo: site.world.name,
    tab: 'actions',
    body,
    diagrams: jobs.some((j) => j.summary.includes('```mermaid')),
  });
}

export function jobPage(site: Site, run: RunRecord, job: JobRecord): string {
  const steps = job.steps
    .map(
      (s) =>
        `<li class="step">${mark(runTone(s.status, s.conclusion), runWords(s.status, s.conclusion))} ${esc(s.name)} <span class="meta">${esc(runWords(s.status, s.conclusion))} ${duration(s.startedAt, s.completedAt)}</span></li>`,
    )
    .join('');
  const annotations = job.annotations
    .map(
      (a) =>
        `<li>${mark(a.level === 'error' ? 'failure' : a.level === 'warning' ? 'pending' : 'neutral', a.level)} ${a.title ? `<strong>${esc(a.title)}</strong>: ` : ''}${esc(a.message)}</li>`,
    )
    .join('');
  const body = `<p class="meta"><a href="${site.repoWeb}/actions/runs/${run.id}">${esc(run.displayTitle)} #${run.runNumber}</a></p>
<h1>${esc(job.name)}</h1>
<div class="meta">${badge(runTone(job.status, job.conclusion), runWords(job.status, job.conclusion))} ${duration(job.startedAt, job.completedAt)} · <a class="mono" href="${site.repoWeb}/commit/${esc(job.headSha)}">${esc(job.headSha.slice(0, 7))}</a></div>
<div class="box" id="steps"><div class="head"><strong>Steps</strong></div><div class="body"><ul class="steps">${steps || '<li class="meta">No steps.</li>'}</ul></div></div>
${annotations ? `<div class="box" id="annotations"><div class="head"><strong>Annotations</strong></div><div class="body"><ul class="steps">${annotations}</ul></div></div>` : ''}
${job.summary.trim() ? `<div class="box" id="summary"><div class="head"><strong>Job summary</strong></div><div class="body markdown-body">${renderMarkdown(job.summary, { repoWeb: site.repoWeb })}</div></div>` : ''}
<h2>Log</h2>
<pre class="log" id="log">${esc(job.log.join('\n'))}</pre>`;
  return page({
    title: job.name,
    web: site.web,
    owner: site.world.owner,
    repo: site.world.name,
    tab: 'actions',
    body,
    diagrams: job.summary.includes('```mermaid'),
  });
}
