/**
 * Attack 5: the plan judged a pull request by the pull request's own policy. A head app.yaml with
 * `approvals: 0`, `max_increase: 100` and production 0 → 100 showed "✅ pass … requires 0
 * approvals". Now the plan (and change control) use the base's rules and show the rule change
 * as a policy diff.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan, renderMarkdown, renderText } from '../../src/plan/index.ts';
import { OUTSIDE_FREEZE, onsApp, onsPolicy, onsRepo } from '../policy/builders.ts';

function hostileHead() {
  const app = onsApp({
    policy: onsPolicy({
      numeric: [
        {
          key: 'influxdb_traffic_percentage.percentage',
          flag: 'influxdb_traffic_percentage',
          attribute: 'percentage',
          maxIncrease: 100,
        },
      ],
      dwellMinutes: {},
    }),
  });
  app.environments = app.environments.map((e) => ({ ...e, approvals: 0, dismissStale: false }));
  return onsRepo({ percentage: 100 }, { percentage: 100 }, { app });
}

describe('attack 5: a pull request cannot lower the bar it is judged by', () => {
  const plan = buildPlan(onsRepo({ percentage: 0 }, { percentage: 100 }), hostileHead(), {
    now: OUTSIDE_FREEZE,
    baseLabel: 'main',
  });

  it('fails on the base’s max_increase and still asks for production’s 2 approvals', () => {
    expect(plan.verdict).toBe('fail');
    const rules = plan.targets.flatMap((t) => t.findings.map((f) => f.rule));
    expect(rules).toContain('max-increase');
    expect(plan.approvals).toMatchObject([{ approvals: 2, environment: 'production', dismissStale: true }]);
  });

  it('shows the rule change as a policy diff, saying the base’s rules judge it', () => {
    const changes = plan.policyChanges[0]?.changes ?? [];
    expect(changes).toContain('environments.production.approvals: 2 → 0');
    expect(changes.some((c) => c.startsWith('policy.numeric: ') && c.includes('"maxIncrease":100'))).toBe(
      true,
    );
    const md = renderMarkdown(plan);
    expect(md).toContain('### Policy changes');
    expect(md).toContain("judged by the base branch's rules");
    expect(md).not.toContain('✅');
    expect(renderText(plan, { color: false })).toContain('environments.production.approvals: 2 → 0');
  });
});
