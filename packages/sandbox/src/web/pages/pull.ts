/**
 * One pull request as its GitHub page reads: the description, then comments and reviews in the order
 * they happened, the checks with their links, the merge box naming what blocks a merge, the commits
 * and the changed lines.
 */
import type { SandboxRequest } from '../../core.ts';
import { type Call, urlsFor } from '../../github/context.ts';
import type { CommitInfo } from '../../github/git.ts';
import { enforceProtection } from '../../github/routes/protection.ts';
import type { PullRecord, ReviewRecord } from '../../github/state.ts';
import type { Checks } from '../checks.ts';
import { renderFiles } from '../diff.ts';
import { cachedGit } from '../git-cache.ts';
import { badge, esc, isSafeUrl, label, link, mark, page, type Tone, when } from '../html.ts';
import { renderMarkdown } from '../markdown.ts';
import { checksOf, headOf, labelColor, pullTone, type Site } from '../site.ts';

export function pullPage(site: Site, pull: PullRecord): string {
  const { world } = site;
  const head = headOf(site, pull);
  const range = diffRange(site, pull, head);
  const files = range.from ? cachedGit.diff(world.git, range.from, head) : [];
  const commits = range.from ? cachedGit.between(world.git, range.from, head) : [];
  const checks = checksOf(site, head);
  const tone = pullTone(pull);
  const md = (text: string) => renderMarkdown(text, { repoWeb: site.repoWeb });

  const sentence =
    tone === 'merged'
      ? `${esc(pull.mergedBy ?? 'someone')} merged ${commits.length} commit${commits.length === 1 ? '' : 's'} into <code>${esc(pull.base)}</code> from <code>${esc(pull.head)}</code> ${when(pull.mergedAt)}`
      : `${esc(pull.user)} ${tone === 'open' ? 'wants to merge' : 'proposed'} ${commits.length} commit${commits.length === 1 ? '' : 's'} into <code>${esc(pull.base)}</code> from <code>${esc(pull.head)}</code>`;
  const labels = pull.labels.map((l) => label(l, labelColor(site, l))).join('');
  const reviewers =
    pull.requestedReviewers.length > 0
      ? `<div class="meta">Review requested from ${pull.requestedReviewers.map(esc).join(', ')}</div>`
      : '';

  const body = `<h1><span class="title">${esc(pull.title)}</span> <span class="num">#${pull.number}</span></h1>
<div class="meta">${badge(tone, tone === 'open' ? 'Open' : tone === 'merged' ? 'Merged' : 'Closed')} ${sentence}</div>
${labels ? `<div class="meta labels">${labels}</div>` : ''}${reviewers}
<section id="conversation">
${post(`<strong>${esc(pull.user)}</strong> opened this pull request ${when(pull.createdAt)}`, pull.body ? md(pull.body) : '<p class="meta">No description provided.</p>', 'description')}
${timeline(site, pull, md)}
</section>
${reviewSummary(site, pull)}
${checksBox(checks)}
${mergeBox(site, pull, head, checks)}
<h2 id="commits">Commits <span class="meta">${commits.length}</span></h2>
${commitList(site, commits)}
<h2 id="files">Files changed <span class="meta">${files.length}</span></h2>
${renderFiles(files)}`;
  return page({
    title: `${pull.title} #${pull.number}`,
    web: site.web,
    owner: world.owner,
    repo: world.name,
    tab: 'pulls',
    body,
    diagrams: /```mermaid|~~~mermaid/.test(
      [
        pull.body ?? '',
        ...world.state.comments.filter((c) => c.issue === pull.number).map((c) => c.body),
      ].join('\n'),
    ),
  });
}

/** Where the pull request's changes start: the merge base, or the merge's first parent once merged. */
function diffRange(site: Site, pull: PullRecord, head: string): { from: string | undefined } {
  const { git } = site.world;
  if (pull.mergeCommitSha !== null) return { from: cachedGit.commit(git, pull.mergeCommitSha).parents[0] };
  const base = site.tips.get(pull.base);
  return { from: base ? cachedGit.mergeBase(git, base, head) : undefined };
}

function post(head: string, html: string, id: string, extraClass = ''): string {
  return `<div class="box comment${extraClass}" id="${esc(id)}"><div class="head">${head}</div><div class="body markdown-body">${html}</div></div>`;
}

const REVIEW_WORDS: Record<ReviewRecord['state'], string> = {
  APPROVED: 'approved these changes',
  CHANGES_REQUESTED: 'requested changes',
  COMMENTED: 'reviewed',
  DISMISSED: 'reviewed (dismissed)',
  PENDING: 'started a review',
};

const REVIEW_TONES: Record<ReviewRecord['state'], Tone> = {
  APPROVED: 'success',
  CHANGES_REQUESTED: 'failure',
  COMMENTED: 'neutral',
  DISMISSED: 'neutral',
  PENDING: 'pending',
};

function timeline(site: Site, pull: PullRecord, md: (text: string) => string): string {
  const { state } = site.world;
  const items: Array<{ at: number; id: number; html: string }> = [];
  for (const c of state.comments.filter((x) => x.issue === pull.number)) {
    const edited =
      c.updatedAt !== c.createdAt ? ` <span class="meta">(edited ${when(c.updatedAt)})</span>` : '';
    items.push({
      at: c.createdAt,
      id: c.id,
      html: post(
        `<strong>${esc(c.user)}</strong> commented ${when(c.createdAt)}${edited}`,
        md(c.body),
        `issuecomment-${c.id}`,
      ),
    });
  }
  for (const r of state.reviews.filter((x) => x.pull === pull.number && x.state !== 'PENDING')) {
    const head = `${mark(REVIEW_TONES[r.state], r.state.toLowerCase())} <strong>${esc(r.user)}</strong> ${REVIEW_WORDS[r.state]} ${when(r.submittedAt)} <span class="meta mono">on ${esc(r.commitId.slice(0, 7))}</span>`;
    items.push({
      at: r.submittedAt ?? 0,
      id: r.id,
      html: r.body
        ? post(head, md(r.body), `pullrequestreview-${r.id}`, ` review ${r.state.toLowerCase()}`)
        : `<div class="event review ${r.state.toLowerCase()}" id="pullrequestreview-${r.id}">${head}</div>`,
    });
  }
  if (pull.mergedAt !== null) {
    const sha = pull.mergeCommitSha ?? '';
    items.push({
      at: pull.mergedAt,
      id: Number.MAX_SAFE_INTEGER,
      html: `<div class="event">${mark('merged', 'merged')} <strong>${esc(pull.mergedBy ?? '')}</strong> merged commit <a class="mono" href="${site.repoWeb}/commit/${esc(sha)}">${esc(sha.slice(0, 7))}</a> into <code>${esc(pull.base)}</code> ${when(pull.mergedAt)}</div>`,
    });
  } else if (pull.closedAt !== null && pull.state === 'closed') {
    items.push({
      at: pull.closedAt,
      id: Number.MAX_SAFE_INTEGER,
      html: `<div class="event">${mark('closed', 'closed')} closed this ${when(pull.closedAt)}</div>`,
    });
  }
  return items
    .sort((a, b) => a.at - b.at || a.id - b.id)
    .map((i) => i.html)
    .join('\n');
}

/** Each reviewer's latest opinion (approve / request changes), as GitHub's sidebar lists them. */
function latestOpinions(site: Site, pull: PullRecord): ReviewRecord[] {
  const latest = new Map<string, ReviewRecord>();
  for (const r of site.world.state.reviews) {
    if (r.pull !== pull.number) continue;
    if (r.state !== 'APPROVED' && r.state !== 'CHANGES_REQUESTED' && r.state !== 'DISMISSED') continue;
    const seen = latest.get(r.user);
    if (!seen || r.id > seen.id) latest.set(r.user, r);
  }
  return [...latest.values()].filter((r) => r.state !== 'DISMISSED');
}

function reviewSummary(site: Site, pull: PullRecord): string {
  const opinions = latestOpinions(site, pull);
  const approved = opinions.filter((r) => r.state === 'APPROVED');
  const rows = opinions
    .map(
      (r) =>
        `<li>${mark(REVIEW_TONES[r.state], r.state.toLowerCase())} <strong>${esc(r.user)}</strong> ${r.state === 'APPROVED' ? 'approved' : 'requested changes'} <span class="meta mono">on ${esc(r.commitId.slice(0, 7))}</span></li>`,
    )
    .join('');
  return `<div class="box" id="reviews"><div class="head"><strong>Reviews</strong> · ${approved.length} approval${approved.length === 1 ? '' : 's'}</div>
<ul class="rows">${rows || '<li class="meta">No reviews yet.</li>'}</ul></div>`;
}

function checksBox(checks: Checks): string {
  const title =
    checks.lines.length === 0
      ? 'No checks reported'
      : checks.tone === 'success'
        ? 'All checks have passed'
        : checks.tone === 'failure'
          ? 'Some checks were not successful'
          : "Some checks haven't completed yet";
  const rows = checks.lines
    .map(
      (l) =>
        `<tr class="check ${l.tone}" data-name="${esc(l.name)}"><td>${mark(l.tone, l.state)}</td><td><strong>${esc(l.name)}</strong></td><td>${esc(l.state)}</td><td>${esc(l.description)}</td><td>${isSafeUrl(l.url) ? link(l.url, 'Details') : ''}</td></tr>`,
    )
    .join('');
  return `<div class="box" id="checks"><div class="head">${mark(checks.tone, checks.summary)} <strong>${title}</strong> <span class="meta">${esc(checks.summary)}</span></div>
${rows ? `<table class="checks">${rows}</table>` : ''}</div>`;
}

/** Why this pull request cannot be merged right now, in the words GitHub's merge box uses. */
export function mergeBlockers(site: Site, pull: PullRecord, head: string, checks: Checks): string[] {
  if (pull.state !== 'open') return [];
  const blockers: string[] = [];
  const protection = protectionRefusal(site, pull, head);
  if (protection) blockers.push(`Branch protection on ${pull.base}: ${protection}`);
  const base = site.tips.get(pull.base);
  if (!base) blockers.push(`The base branch ${pull.base} does not exist.`);
  else if (!cachedGit.mergesCleanly(site.world.git, base, head))
    blockers.push(`This branch has conflicts with ${pull.base} that must be resolved.`);
  if (pull.draft) blockers.push('This pull request is still a draft.');
  for (const r of latestOpinions(site, pull).filter((x) => x.state === 'CHANGES_REQUESTED'))
    blockers.push(`${r.user} requested changes.`);
  for (const l of checks.lines) {
    if (l.tone === 'failure') blockers.push(`${l.name} failed${l.description ? `: ${l.description}` : ''}.`);
    if (l.tone === 'pending')
      blockers.push(`${l.name} has not completed${l.description ? `: ${l.description}` : ''}.`);
  }
  return blockers;
}

/**
 * What the base branch's protection would answer to a merge by someone with write access, asked
 * of the same check the merge endpoint enforces, so the page and the API never disagree.
 */
function protectionRefusal(site: Site, pull: PullRecord, head: string): string | undefined {
  const base = site.tips.get(pull.base);
  if (!base) return undefined;
  const req: SandboxRequest = {
    method: 'GET',
    path: '',
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    baseUrl: '',
  };
  const call: Call = {
    world: site.world,
    req,
    params: {},
    actor: { login: '', type: 'User', tokenKind: 'user' },
    urls: urlsFor(req, site.world),
  };
  try {
    enforceProtection(call, pull, head, base);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function mergeBox(site: Site, pull: PullRecord, head: string, checks: Checks): string {
  let tone: Tone;
  let text: string;
  let detail = '';
  if (pull.mergedAt !== null) {
    tone = 'merged';
    const sha = pull.mergeCommitSha ?? '';
    text = 'Pull request successfully merged and closed';
    detail = `<p>Merged as <a class="mono" href="${site.repoWeb}/commit/${esc(sha)}">${esc(sha.slice(0, 7))}</a> ${when(pull.mergedAt)}.</p>`;
  } else if (pull.state === 'closed') {
    tone = 'closed';
    text = 'Closed without merging';
  } else {
    const blockers = mergeBlockers(site, pull, head, checks);
    tone = blockers.length === 0 ? 'success' : 'failure';
    text = blockers.length === 0 ? 'This branch can be merged' : 'Merging is blocked';
    if (blockers.length > 0)
      detail = `<ul class="blockers">${blockers.map((b) => `<li>${esc(b)}</li>`).join('')}</ul>`;
  }
  return `<div class="box merge ${tone}" id="merge"><div class="head">${mark(tone, text)} <strong>${esc(text)}</strong></div><div class="body">${detail || '<p class="meta">Nothing blocks a merge.</p>'}</div></div>`;
}

function commitList(site: Site, commits: CommitInfo[]): string {
  if (commits.length === 0) return '<p class="meta">No commits.</p>';
  const rows = commits.map((c) => {
    const checks = checksOf(site, c.sha);
    const m = checks.lines.length > 0 ? ` ${mark(checks.tone, checks.summary)}` : '';
    return `<li><a href="${site.repoWeb}/commit/${c.sha}">${esc(c.message.split('\n')[0])}</a>${m}<div class="sub"><span class="mono">${c.sha.slice(0, 7)}</span> · ${esc(c.author.name)} · ${when(c.author.date)}</div></li>`;
  });
  return `<div class="box"><ul class="rows">${rows.join('')}</ul></div>`;
}
