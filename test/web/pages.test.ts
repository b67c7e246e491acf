/**
 * The sandbox's web pages over HTTP, without a browser: every html_url the API returns resolves to
 * a page, pages show what the records say, and user text lands escaped or sanitised.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, type Harness, REPO, startHarness } from '../github/harness.ts';

const FILE = `${APP_DIR}/production/feature-flags.yaml`;
let h: Harness;
let pr: { number: number; html_url: string; head: string };
let commentUrl: string;

async function get(url: string): Promise<{ status: number; type: string; csp: string; text: string }> {
  const res = await fetch(url);
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    csp: res.headers.get('content-security-policy') ?? '',
    text: await res.text(),
  };
}

beforeAll(async () => {
  h = await startHarness();
  const text = readFileSync(join(h.seedDir, FILE), 'utf8').replace('percentage: 0', 'percentage: 25');
  const pushed = h.pushBranch('to-25', { [FILE]: text });
  const { data } = await h.octokit('alice').rest.pulls.create({
    ...REPO,
    head: 'to-25',
    base: 'main',
    title: 'production: <b>25 %</b>',
    body: '| a | b |\n|---|---|\n| 1 | 2 |\n\nSee #7',
  });
  pr = { number: data.number, html_url: data.html_url, head: pushed.sha };
  const comment = await h.octokit('mallory').rest.issues.createComment({
    ...REPO,
    issue_number: pr.number,
    body: 'hi <img src=x onerror="alert(1)"><script>alert(2)</script>',
  });
  commentUrl = comment.data.html_url;
  await h.octokit('bob').rest.pulls.createReview({ ...REPO, pull_number: pr.number, event: 'APPROVE' });
  await h.octokit('flagops[bot]').rest.repos.createCommitStatus({
    ...REPO,
    sha: pr.head,
    state: 'failure',
    context: 'flagops/change-control',
    description: 'production needs 2 approvals, has 1',
    target_url: 'javascript:alert(1)',
  });
  await h.octokit('flagops[bot]').rest.repos.createCommitStatus({
    ...REPO,
    sha: pr.head,
    state: 'success',
    context: 'flagops/plan',
    description: 'policy passes',
    target_url: `${h.sandbox.url}/github-web/ons/flags/actions/runs/1`,
  });
});

afterAll(async () => {
  await h?.close();
});

describe('pull request page', () => {
  it("answers at the API's html_url with escaped title, rendered body, sanitised comment", async () => {
    expect(pr.html_url).toBe(`${h.sandbox.url}/github-web/ons/flags/pull/${pr.number}`);
    const page = await get(pr.html_url);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.csp).toContain("script-src 'self'");
    expect(page.text).toContain('production: &lt;b&gt;25 %&lt;/b&gt;');
    expect(page.text).toContain('<td>1</td>');
    expect(page.text).toContain('<a href="/github-web/ons/flags/pull/7">#7</a>');
    expect(page.text).toContain(`id="issuecomment-${commentUrl.split('-').pop()}"`);
    expect(page.text).toContain('hi <img src="x" />');
    expect(page.text).not.toContain('onerror');
    expect(page.text).not.toContain('alert(2)');
    // No script at all on a page without diagrams.
    expect(page.text).not.toContain('<script');
  });

  it('shows the approval, the checks with safe links, and what blocks the merge', async () => {
    const page = (await get(pr.html_url)).text;
    expect(page).toMatch(/<strong>bob<\/strong> approved these changes/);
    expect(page).toContain('1 approval<');
    expect(page).toContain('data-name="flagops/change-control"');
    expect(page).toContain('production needs 2 approvals, has 1');
    expect(page).not.toContain('javascript:');
    expect(page).toContain('href="http://127.0.0.1');
    expect(page).toContain('Merging is blocked');
    expect(page).toContain('flagops/change-control failed: production needs 2 approvals, has 1.');
    expect(page).toContain('1 of 2 checks passed, 1 failing');
  });

  it('shows the changed lines with their line numbers', async () => {
    const page = (await get(pr.html_url)).text;
    expect(page).toMatch(/<tr class="del"><td class="n">\d+<\/td><td class="n"><\/td><td>-\s+percentage: 0/);
    expect(page).toMatch(
      /<tr class="add"><td class="n"><\/td><td class="n">\d+<\/td><td>\+\s+percentage: 25/,
    );
  });
});

describe('other pages', () => {
  it('lists open and closed pull requests with labels and checks', async () => {
    await h.octokit('flagops[bot]').rest.issues.addLabels({
      ...REPO,
      issue_number: pr.number,
      labels: ['flagops:revert'],
    });
    const open = (await get(`${h.sandbox.url}/github-web/ons/flags/pulls`)).text;
    expect(open).toContain(`data-number="${pr.number}"`);
    expect(open).toContain('flagops:revert</span>');
    expect(open).toContain('title="1 of 2 checks passed, 1 failing"');
    const closed = (await get(`${h.sandbox.url}/github-web/ons/flags/pulls?state=closed`)).text;
    expect(closed).not.toContain(`data-number="${pr.number}"`);
  });

  it("shows a commit at the API's html_url, with its statuses and diff", async () => {
    const { data } = await h.octokit('alice').rest.repos.getCommit({ ...REPO, ref: pr.head });
    const page = await get(data.html_url);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<span class="mono">${pr.head}</span>`);
    expect(page.text).toContain('flagops/plan');
    expect(page.text).toMatch(/<td>\+\s+percentage: 25/);
  });

  it('serves the stylesheet and mermaid from its npm package; unknown pages are 404 HTML', async () => {
    const css = await get(`${h.sandbox.url}/github-web/_assets/style.css`);
    expect(css.type).toContain('text/css');
    const mermaid = await get(`${h.sandbox.url}/github-web/_assets/mermaid.min.js`);
    expect(mermaid.status).toBe(200);
    expect(mermaid.text.length).toBeGreaterThan(1_000_000);
    const missing = await get(`${h.sandbox.url}/github-web/ons/flags/pull/999`);
    expect(missing.status).toBe(404);
    expect(missing.type).toContain('text/html');
    const post = await fetch(pr.html_url, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});
