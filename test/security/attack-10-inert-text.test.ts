/**
 * Attack 10: hostile text from the repository (a guard's description in app.yaml) or from AWS (an
 * alarm's StateReason) must stay text wherever flagops prints it: the plan comment, the revert pull
 * request's body, the change-control check's job summary, the deploy step's summary and the step log.
 *
 * Each output is rendered as GitHub-flavoured Markdown (marked, GFM on, as the sandbox's pages render
 * it) and the HTML is searched for anything live: a link (written or autolinked), an image, an HTML
 * comment or tag, a mention or an issue reference that GitHub would link.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Marked } from 'marked';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { changeControlSummary } from '../../src/actions/change-control.ts';
import { log, writeSummary } from '../../src/actions/kit.ts';
import { reportRelease } from '../../src/actions/release-report.ts';
import type { GateResult } from '../../src/approvals/gate.ts';
import { pullRequestBody } from '../../src/edit/change.ts';
import type { Breach } from '../../src/guards/verdict.ts';
import type { ReleaseResult } from '../../src/pipeline/release.ts';
import { buildPlan, renderMarkdown } from '../../src/plan/index.ts';
import { revertBody } from '../../src/revert/text.ts';
import { APP, OUTSIDE_FREEZE, onsApp, onsRepo } from '../policy/builders.ts';

/** Every way text could come alive in a comment, on one line and across lines. */
const HOSTILE = [
  '[details](https://evil.example/phish)',
  '![pixel](https://evil.example/track.png)',
  '<img src=https://evil.example/x.png>',
  '<!-- hidden -->',
  '<a href="https://evil.example">click</a>',
  'see www.evil.example or https://evil.example/raw',
  '@alice and @ons/platform-leads',
  'fixes #1 and GH-2',
].join(' ');
const MULTILINE = `ok\n::warning title=pwned::you were pwned\n# heading\n- [x](https://evil.example)\n${HOSTILE}`;

const gfm = new Marked({ gfm: true, breaks: true, async: false });

/** What is live in `markdown` as GitHub would render it; empty when everything is text. */
function liveMarkup(markdown: string): string[] {
  const html = gfm.parse(markdown) as string;
  const text = html.replace(/<pre>[\s\S]*?<\/pre>|<code>[\s\S]*?<\/code>/g, '');
  const found: string[] = [];
  for (const [what, pattern] of [
    ['a link', /<a\s/i],
    ['an image', /<img\s/i],
    ['an HTML comment', /<!--/],
    ['a heading from data', /<h1>/],
    ['a mention', /@(?!&#8203;|\u200b)[\w-]/],
    ['an issue reference', /(^|[^&\w])#(?!&#8203;|\u200b)\d|\bGH-(?!&#8203;|\u200b)\d/i],
  ] as const) {
    if (pattern.test(text)) found.push(what);
  }
  return found;
}

describe('the oracle sees live markup', () => {
  it('flags the hostile text when it is not escaped', () => {
    expect(liveMarkup(HOSTILE)).toEqual([
      'a link',
      'an image',
      'an HTML comment',
      'a mention',
      'an issue reference',
    ]);
  });
});

describe('attack 10: hostile text is inert', () => {
  it('in the plan comment: a guard description from app.yaml', () => {
    const app = onsApp();
    const guard = app.guards['influxdb-error-rate'];
    if (guard) guard.description = MULTILINE;
    const head = onsRepo({ percentage: 25 }, undefined, { app });
    const plan = buildPlan(onsRepo({ percentage: 10 }), head, { now: OUTSIDE_FREEZE, baseLabel: 'main' });
    const md = renderMarkdown(plan);
    expect(liveMarkup(md)).toEqual([]);
    // Still there, readable: the reader sees what the description says.
    expect(md).toContain('\\[details\\](https:&#8203;//evil.example/phish)');
    expect(md).toContain('### Approvals');
  });

  it('in the revert pull request body: an alarm StateReason', () => {
    const breach: Breach = { kind: 'alarm', alarm: 'error-rate', reason: MULTILINE, at: 0 };
    const body = revertBody(
      {
        target: { application: APP, environment: 'production', profile: 'feature-flags' },
        breaches: [breach],
      },
      { file: 'flags/app/production/feature-flags.yaml', changes: ['percentage: 50 → 25'] },
    );
    expect(liveMarkup(body)).toEqual([]);
    expect(body).toContain('evil.example/phish');
  });

  it("in an operator edit's pull request body: notes quoting repository text", () => {
    const body = pullRequestBody(
      {
        file: 'flags/x`y/production.yaml',
        invocation: 'flagops set-percentage --reason `x`',
        notes: [HOSTILE],
      },
      ['percentage: 10 → 25'],
    );
    expect(liveMarkup(body)).toEqual([]);
  });

  describe('in job summaries', () => {
    // @actions/core remembers the summary file it first wrote, so one file, emptied per test.
    const dir = mkdtempSync(join(tmpdir(), 'flagops-attack10-'));
    const file = join(dir, 'summary.md');
    const saved = process.env.GITHUB_STEP_SUMMARY;
    afterEach(() => {
      if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = saved;
      vi.restoreAllMocks();
    });

    function summaryFile(): string {
      writeFileSync(file, '');
      process.env.GITHUB_STEP_SUMMARY = file;
      return file;
    }

    it("the change-control check's summary: policy errors and reviewers quoting the pull request", async () => {
      const file = summaryFile();
      const result = {
        satisfied: false,
        description: HOSTILE,
        needs: { revert: false, outside: [HOSTILE] },
        policy: { errors: [MULTILINE] },
        verdict: {
          rules: [
            {
              rule: { environment: HOSTILE, required: 2 },
              approvedBy: [HOSTILE],
              changesRequestedBy: [],
              ignored: [{ user: 'mallory', why: HOSTILE }],
            },
          ],
        },
      } as unknown as GateResult;
      await writeSummary(changeControlSummary(7, result));
      const md = readFileSync(file, 'utf8');
      expect(md).toContain('Change control for #7');
      expect(liveMarkup(md.replace('Change control for #7', ''))).toEqual([]);
    });

    it("the deploy step's summary: an alarm StateReason and a message", async () => {
      const file = summaryFile();
      const breach: Breach = { kind: 'alarm', alarm: 'error-rate', reason: MULTILINE, at: 0 };
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const result: ReleaseResult = {
        target: `${APP}/production/feature-flags`,
        status: 'rolled-back',
        changed: true,
        breaches: [breach],
        message: MULTILINE,
        exitCode: 1,
        timeline: [],
      } as ReleaseResult;
      await reportRelease(result);
      const md = readFileSync(file, 'utf8');
      expect(liveMarkup(md)).toEqual([]);
      expect(md).toContain('evil.example');
    });

    it('cleans up', () => {
      rmSync(dir, { recursive: true, force: true });
    });
  });

  it('in the step log: a line of data can never start a workflow command', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    log.info(`alarm error-rate in ALARM: ${MULTILINE}`);
    log.info('  ::add-mask::secret');
    log.error(`alarm error-rate is in ALARM: ${MULTILINE}`);
    vi.restoreAllMocks();
    const lines = written.join('').split(/\r?\n/).filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[0]).not.toMatch(/^\s*::/);
    expect(lines[1]).not.toMatch(/^\s*::/);
    // The error annotation is a command of flagops' own; its data stays on its line.
    expect(lines[2]?.startsWith('::error::')).toBe(true);
    expect(lines[2]).toContain('%0A::warning');
  });
});
