import { describe, expect, it } from 'vitest';
import type { Target } from '../../src/model/types.ts';
import type { Plan } from '../../src/plan/index.ts';
import { buildPlan, renderJson, renderMarkdown, renderText } from '../../src/plan/index.ts';
import { OUTSIDE_FREEZE, onsRepo, settingsTarget } from '../policy/builders.ts';

const options = { now: OUTSIDE_FREEZE, baseLabel: 'origin/main' };
const failing = (): Plan =>
  buildPlan(
    onsRepo({ percentage: 10 }, { percentage: 100 }),
    onsRepo({ percentage: 75 }, { percentage: 100 }),
    options,
  );
const passing = (): Plan => buildPlan(onsRepo({ percentage: 10 }), onsRepo({ percentage: 25 }), options);

describe('renderMarkdown', () => {
  it('puts the verdict first', () => {
    expect(renderMarkdown(failing()).split('\n')[0]).toBe('## ❌ flagops plan: **fail**');
    expect(renderMarkdown(passing()).split('\n')[0]).toBe('## ✅ flagops plan: **pass**');
  });

  it('has a Flag | Attribute | Before | After table, the finding, rollout and approvals', () => {
    const md = renderMarkdown(failing());
    expect(md).toContain('| Flag | Attribute | Before | After |');
    expect(md).toContain('| `influxdb_traffic_percentage` | `percentage` | `10` | `75` ⬆️ |');
    expect(md).toContain(
      '❌ **max-increase** — production: influxdb_traffic_percentage.percentage rises 10 → 75',
    );
    expect(md).toContain('**Rollout:** strategy canary-10-percent');
    expect(md).toContain(
      '`influxdb-error-rate`: breach when `100 * errors / requests > 5 %` for 2 consecutive periods',
    );
    expect(md).toContain(
      '**On breach:** roll back production to influxdb_traffic_percentage.percentage = 10, open a revert PR',
    );
    expect(md).toContain('- `ons-data-platform-app`: **2 approvals** — production requires 2 approvals.');
    expect(md.indexOf('### Approvals')).toBeGreaterThan(md.indexOf('**On breach:**'));
  });

  it('escapes pipes so a value cannot break the table', () => {
    const base = onsRepo({}, undefined, { extraTargets: [settingsTarget('production', { note: 'a' })] });
    const head = onsRepo({}, undefined, { extraTargets: [settingsTarget('production', { note: 'a|b' })] });
    const md = renderMarkdown(buildPlan(base, head, options));
    expect(md).toContain('| `note` | `"a"` | `"a\\|b"` |');
  });

  it('keeps backticks inside inline code and pipes literal outside tables', () => {
    const plan = buildPlan(onsRepo({ percentage: 10 }), onsRepo({ percentage: 25 }), {
      ...options,
      baseLabel: 'a`b|c',
    });
    expect(renderMarkdown(plan)).toContain('compared with `` a`b|c `` ·');
  });

  it('stays under the limit and says how many targets it left out', () => {
    const many = (value: number): Target[] =>
      Array.from({ length: 400 }, (_, i) =>
        settingsTarget(`env-${String(i).padStart(3, '0')}`, { padding: 'x'.repeat(200), value }),
      );
    const base = onsRepo({}, undefined, { extraTargets: many(1) });
    const head = onsRepo({}, undefined, { extraTargets: many(2) });
    const plan = buildPlan(base, head, options);
    expect(plan.targets).toHaveLength(400);
    const md = renderMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(md).toMatch(/\*\*\d+ more changed targets not shown\*\*/);
    const shown = (md.match(/^### `/gm) ?? []).length;
    const left = Number(/\*\*(\d+) more changed targets/.exec(md)?.[1]);
    expect(shown + left).toBe(400);
  });
});

describe('renderText', () => {
  it('prints the verdict, old → new and findings without colour unless asked', () => {
    const text = renderText(failing(), { color: false });
    expect(text.split('\n')[0]).toMatch(/^flagops plan: FAIL — 1 error/);
    expect(text).toContain('↑ influxdb_traffic_percentage.percentage: 10 → 75');
    expect(text).toContain('error [max-increase]');
    expect(text).toContain('(flags/ons-data-platform-app/production/feature-flags.yaml:6:15)');
    expect(text).not.toContain('\u001b[');
  });

  it('colours with ANSI codes when asked', () => {
    const text = renderText(failing(), { color: true });
    expect(text).toContain('\u001b[31mFAIL\u001b[0m');
  });
});

describe('renderJson', () => {
  it('has a stable, versioned shape', () => {
    const json = JSON.parse(renderJson(passing()));
    expect(Object.keys(json)).toEqual([
      'version',
      'baseLabel',
      'checkedAt',
      'verdict',
      'summary',
      'targets',
      'approvals',
      'otherFindings',
      'diagnostics',
    ]);
    expect(json.version).toBe(1);
    expect(json.verdict).toBe('pass');
    const [target] = json.targets;
    expect(Object.keys(target)).toEqual([
      'id',
      'application',
      'environment',
      'profile',
      'profileType',
      'file',
      'status',
      'changes',
      'findings',
      'rollout',
      'onBreach',
    ]);
    expect(target.changes).toEqual([
      {
        kind: 'attribute',
        flag: 'influxdb_traffic_percentage',
        attribute: 'percentage',
        path: null,
        before: 10,
        after: 25,
        present: { before: true, after: true },
        direction: 'up',
      },
    ]);
    expect(Object.keys(target.findings[0])).toEqual([
      'rule',
      'severity',
      'targets',
      'flag',
      'attribute',
      'message',
      'position',
    ]);
  });

  it('gives equal bytes for equal plans', () => {
    expect(renderJson(failing())).toBe(renderJson(failing()));
  });
});
