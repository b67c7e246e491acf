/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The sandbox's pages in a real browser (headless Chromium): the plan comment's chart is drawn as an
 * SVG whose points sit where the values say, approvals and the verdict are on the page, a hostile
 * comment stays inert, and the revert pull request shows its evidence as a table. Screenshots of the
 * key pages are saved under test-artifacts/screenshots/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../packages/sandbox/src/index.ts';
import { type Browser, launchChromium } from './chromium.ts';
import { buildStory, type Story } from './story.ts';

const SHOTS = join(PROJECT_ROOT, 'test-artifacts', 'screenshots');
let story: Story;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const pull = (n: number) => `${story.sandbox.url}/github-web/ons/flags/pull/${n}`;

beforeAll(async () => {
  story = await buildStory();
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await story?.close();
});

async function open(url: string): Promise<void> {
  await page.goto(url);
  // Pages with diagrams say when mermaid has finished; others have no script at all.
  if ((await page.locator('pre.mermaid').count()) > 0)
    await page.waitForFunction(() => document.documentElement.dataset['diagrams'] !== undefined);
}

describe('the rolled-back pull request', () => {
  beforeAll(async () => {
    await open(pull(story.rolledBack));
  });

  it('draws the plan comment chart as an SVG whose points sit at their labels and values', async () => {
    expect(await page.evaluate(() => document.documentElement.dataset['diagrams'])).toBe('drawn');
    const chart = page.locator('.comment', { hasText: 'flagops plan' }).locator('pre.mermaid svg');
    await expect.poll(() => chart.count()).toBe(1);
    const geometry = await chart.evaluate((svg) => {
      const translate = (el: Element) => {
        const m = /translate\(([-\d.]+),\s*([-\d.]+)\)/.exec(el.getAttribute('transform') ?? '');
        return { x: Number(m?.[1]), y: Number(m?.[2]) };
      };
      const xLabels = [...svg.querySelectorAll('.bottom-axis .label text')].map((t) => ({
        text: t.textContent ?? '',
        ...translate(t),
      }));
      const yLabels = [...svg.querySelectorAll('.left-axis .label text')].map((t) => ({
        value: Number(t.textContent),
        ...translate(t),
      }));
      const d = svg.querySelector('.plot [class^="line-plot"] path')?.getAttribute('d') ?? '';
      const points = [...d.matchAll(/[ML]\s*([-\d.]+)[ ,]([-\d.]+)/g)].map((m) => ({
        x: Number(m[1]),
        y: Number(m[2]),
      }));
      return { xLabels, yLabels, points };
    });
    const values = story.chartValues;
    expect(values).toEqual([0, 25, 50]);
    expect(geometry.points).toHaveLength(values.length);
    expect(geometry.xLabels.map((l) => l.text).at(-1)).toBe(`#${story.rolledBack}`);
    // The y axis runs 0 → 100 %: a value's height is interpolated between those two tick labels.
    const y0 = geometry.yLabels.find((l) => l.value === 0)!.y;
    const y100 = geometry.yLabels.find((l) => l.value === 100)!.y;
    expect(y100).toBeLessThan(y0);
    for (const [i, point] of geometry.points.entries()) {
      expect(point.x).toBeCloseTo(geometry.xLabels[i]!.x, 0);
      expect(point.y).toBeCloseTo(y0 + ((y100 - y0) * values[i]!) / 100, 0);
    }
    await page.screenshot({ path: join(SHOTS, 'pull-rolled-back.png'), fullPage: true });
  });

  it('shows the approvals, the change-control verdict and the passing plan', async () => {
    const reviews = page.locator('#reviews');
    await expect.poll(() => reviews.textContent()).toContain('2 approvals');
    for (const reviewer of ['bob', 'carol'])
      expect(await reviews.getByText(reviewer, { exact: true }).isVisible()).toBe(true);
    const gate = page.locator('#checks tr[data-name="flagops/change-control"]');
    expect(await gate.isVisible()).toBe(true);
    expect(await gate.textContent()).toMatch(/success[\s\S]*approved: production 2\/2/);
    expect(await page.locator('.comment h2', { hasText: 'flagops plan: pass' }).isVisible()).toBe(true);
    expect(await page.locator('#merge').textContent()).toContain('successfully merged');
    const planCheck = page.locator('#checks tr[data-name="validate and plan"]');
    expect(await planCheck.textContent()).toMatch(/success[\s\S]*plan: pass/);
  });

  it("links the plan job's check run to its page, which shows the job summary", async () => {
    await page.locator('#checks tr[data-name="validate and plan"] a', { hasText: 'Details' }).click();
    await page.waitForURL(/\/runs\/\d+$/);
    expect(await page.locator('h1').textContent()).toBe('validate and plan');
    expect(await page.locator('h2', { hasText: 'plan: pass' }).first().isVisible()).toBe(true);
    expect(await page.getByText(`flagops plan for #${story.rolledBack}`).isVisible()).toBe(true);
    await open(pull(story.rolledBack));
  });

  it('renders the hostile comment inert: no script ran, no handler, style or javascript: link survived', async () => {
    const comment = page.locator(`#issuecomment-${story.hostileCommentId}`);
    expect(await comment.isVisible()).toBe(true);
    expect(await comment.textContent()).toContain('Looks fine to me');
    expect(await comment.textContent()).not.toContain('unclosed comment');
    const found = await comment.evaluate((el) => ({
      scripts: el.querySelectorAll('script').length,
      handlers: [...el.querySelectorAll('*')].flatMap((n) =>
        [...n.attributes].filter((a) => a.name.startsWith('on') || a.name === 'style').map((a) => a.name),
      ),
      hrefs: [...el.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      covered: [...el.querySelectorAll('p')].some((p) => getComputedStyle(p).position === 'fixed'),
    }));
    expect(found).toEqual({ scripts: 0, handlers: [], hrefs: [null], covered: false });
    await comment.getByText('click me').click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
  });
});

describe('the automatic revert pull request', () => {
  it('shows its evidence as a table and links back to the rolled-back pull request', async () => {
    await open(pull(story.revert));
    const description = page.locator('#description');
    const guards = story.breached.breaches.flatMap((b) => (b.kind === 'guard' ? [b] : []));
    expect(guards.length).toBeGreaterThan(0);
    // One table per breached guard, inside its list item: periods against the threshold.
    expect(await description.locator('li table').count()).toBe(guards.length);
    for (const guard of guards) {
      const evidence = description
        .locator('li', { hasText: `guard ${guard.guard} breached` })
        .locator('table');
      expect(await evidence.isVisible()).toBe(true);
      expect(await evidence.locator('th').allTextContents()).toEqual([
        'Period (UTC)',
        'Value',
        'Threshold',
        'Samples',
        'Outcome',
      ]);
      const rows = evidence.locator('tbody tr');
      expect(await rows.count()).toBe(guard.periods.length);
      expect(await rows.last().textContent()).toContain(
        `${guard.breachWhen.op} ${guard.breachWhen.threshold}`,
      );
      expect(await rows.last().textContent()).toContain(guard.periods.at(-1)!.outcome);
    }
    const original = description.locator(`a[href$="/pull/${story.rolledBack}"]`);
    expect(await original.isVisible()).toBe(true);
    expect(await page.locator('.labels').textContent()).toContain('flagops:revert');
    // Nobody has reviewed it yet: main's protection and change control both say so.
    const merge = await page.locator('#merge').textContent();
    expect(merge).toContain('Merging is blocked');
    expect(merge).toContain('Branch protection on main: At least 1 approving review is required');
    expect(merge).toMatch(/flagops\/change-control failed: production needs \d+ approvals?, has 0\./);
    await page.screenshot({ path: join(SHOTS, 'pull-revert.png'), fullPage: true });
    await original.click();
    await page.waitForURL(pull(story.rolledBack));
  });

  it('is listed among the open pull requests with its labels and checks', async () => {
    await open(`${story.sandbox.url}/github-web/ons/flags/pulls`);
    const row = page.locator(`li.pull[data-number="${story.revert}"]`);
    expect(await row.isVisible()).toBe(true);
    expect(await row.textContent()).toContain('flagops:automatic');
    await page.screenshot({ path: join(SHOTS, 'pulls.png'), fullPage: true });
    await page.getByRole('link', { name: 'Actions' }).click();
    const plans = page.locator('li.run', { hasText: 'validate and plan' });
    expect(await plans.count()).toBe(3);
    expect(await plans.first().textContent()).toContain(`#${story.rolledBack}`);
  });
});

describe('the README picture', () => {
  it('puts the rolled-back pull request beside its revert, from the pages themselves', async () => {
    const parts = async (url: string, selectors: string[]) => {
      await open(url);
      const shots: string[] = [];
      for (const selector of selectors)
        shots.push((await page.locator(selector).first().screenshot()).toString('base64'));
      return shots;
    };
    const left = await parts(pull(story.rolledBack), [
      'main > h1',
      'main > .meta',
      '.comment:has(pre.mermaid) pre.mermaid',
      `.comment:has-text("was rolled back after this change deployed")`,
    ]);
    const right = await parts(pull(story.revert), ['main > h1', 'main > .meta', '#description']);
    const column = (shots: string[], caption: string) =>
      `<div class="col"><p>${caption}</p>${shots.map((b) => `<img src="data:image/png;base64,${b}">`).join('')}</div>`;
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.setContent(
      `<style>body{margin:0;font:15px sans-serif;background:#f6f8fa}.row{display:flex;gap:16px;padding:16px;align-items:flex-start}
.col{flex:1;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px}.col p{margin:0 0 8px;color:#59636e}
img{display:block;max-width:100%;margin-bottom:6px}</style>
<div class="row">${column(left, `#${story.rolledBack}: the change that was rolled back`)}${column(right, `#${story.revert}: its automatic revert, with the evidence`)}</div>`,
    );
    const picture = await page.locator('.row').screenshot({ path: join(SHOTS, 'readme.png') });
    expect(picture.length).toBeGreaterThan(10_000);
  });
});
