/**
 * Attack 8: text from data becomes markup or workflow commands. A guard description or flag name
 * with `<!--` hid the Approvals section, `@org/team` pinged a team, and an alarm's StateReason
 * `x\n::warning …` / `::add-mask::ons` became a workflow command in the bake log.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { log } from '../../src/actions/kit.ts';
import { actionReporter } from '../../src/actions/target-inputs.ts';
import { buildPlan, renderMarkdown } from '../../src/plan/index.ts';
import { breachEvidence, originalPullComment, revertBody } from '../../src/revert/text.ts';
import { APP, OUTSIDE_FREEZE, onsApp, onsRepo } from '../policy/builders.ts';

const HOSTILE = '<!-- @ons/platform-leads x\n::add-mask::ons';

function hostilePlan() {
  const app = onsApp();
  const guard = app.guards['influxdb-error-rate'];
  if (guard) guard.description = HOSTILE;
  const head = onsRepo({ percentage: 25 }, undefined, { app });
  return buildPlan(onsRepo({ percentage: 10 }), head, { now: OUTSIDE_FREEZE, baseLabel: 'main' });
}

/** Outside code spans: no raw `<`, no live mention. */
function outsideCode(md: string): string {
  return md.replace(/(`+)[^`]*?\1/g, '');
}

describe('attack 8: data in the plan comment stays text', () => {
  it('a guard description with <!-- and @team neither hides the Approvals section nor pings', () => {
    const md = renderMarkdown(hostilePlan());
    expect(md).toContain('### Approvals');
    expect(md).not.toContain('<!--');
    expect(outsideCode(md)).not.toMatch(/@(?!&#8203;)[\w-]/);
    // The description is still shown, readable.
    expect(md).toContain('&lt;!-- @&#8203;ons/platform-leads x ::add-mask::ons');
  });

  it('the revert pull request body and the comment on the original pull request stay text', () => {
    const breach = {
      kind: 'alarm' as const,
      alarm: 'ons-alarm',
      reason: HOSTILE,
      at: 0,
    };
    const evidence = {
      target: { application: APP, environment: 'production', profile: 'feature-flags' },
      breaches: [breach as never],
      reason: HOSTILE,
    };
    const body = revertBody(evidence, { file: 'f.yaml', changes: ['percentage: 50 → 25 <b>'] });
    const comment = originalPullComment(evidence, { number: 3, url: 'https://x/3' });
    for (const md of [body, comment, breachEvidence(breach as never).join('\n')]) {
      expect(outsideCode(md)).not.toContain('<');
      expect(outsideCode(md)).not.toMatch(/@(?!&#8203;)[\w-]/);
    }
  });
});

describe('attack 8: data in the bake log is never a workflow command', () => {
  const written: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    written.length = 0;
  });

  it('an alarm StateReason with a newline and ::add-mask:: stays on one inert line', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    actionReporter.emit({
      kind: 'info',
      target: 'ons-data-platform-app/production/feature-flags',
      at: 0,
      message: 'alarm ons-alarm in ALARM: x\n::warning title=pwned::you were pwned',
    } as never);
    log.info('::add-mask::ons');
    const lines = written.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.trimStart().startsWith('::')).toBe(false);
    expect(lines[0]).toContain('x%0A::warning');
    expect(lines[1]).toBe('%3A:add-mask::ons');
  });
});
