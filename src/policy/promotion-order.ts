/**
 * `promotion_order: true` — an environment may not run ahead of the one listed before it. For each
 * profile, a flag enabled in an environment must be enabled in the previous one, and each numeric
 * policy attribute (e.g. the traffic percentage) may not be higher than there.
 */
import type { Application, Target } from '../model/types.ts';
import { targetId } from '../model/types.ts';
import { isEnabled } from './exposure.ts';
import type { PolicyFinding } from './finding.ts';
import { positionOf } from './finding.ts';

export function checkPromotionOrder(app: Application, targets: readonly Target[]): PolicyFinding[] {
  if (!app.policy.promotionOrder) return [];
  const findings: PolicyFinding[] = [];
  const find = (environment: string, profile: string): Target | undefined =>
    targets.find((t) => t.application === app.name && t.environment === environment && t.profile === profile);
  const ordered = [...app.environments].sort((a, b) => a.order - b.order);
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1]!.name;
    const current = ordered[i]!.name;
    for (const target of targets) {
      if (target.application !== app.name || target.environment !== current || !target.flags) continue;
      // Without the earlier environment's values there is nothing to be ahead of.
      const before = find(previous, target.profile);
      if (!before?.flags) continue;
      findings.push(...compareEnvironments(app, before, target));
    }
  }
  return findings;
}

function compareEnvironments(app: Application, previous: Target, current: Target): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  const ids = [targetId(current), targetId(previous)];
  for (const [flag, value] of Object.entries(current.flags ?? {})) {
    if (!value.enabled) continue;
    if (!isEnabled(previous, flag)) {
      findings.push({
        rule: 'promotion-order',
        severity: 'error',
        targets: ids,
        flag,
        message:
          `${current.environment}: ${flag} is enabled, but ${previous.environment} (earlier in the promotion order) ` +
          `does not have it enabled; ${current.environment} may not run ahead of ${previous.environment}. ` +
          `Enable it in ${previous.file} first, or keep it disabled in ${current.environment}.`,
        position: positionOf(current, flag, 'enabled'),
      });
      // The numbers of a flag the earlier environment does not run are not comparable.
      continue;
    }
    for (const rule of app.policy.numeric) {
      if (rule.flag !== flag) continue;
      const mine = value.attributes[rule.attribute];
      const theirs = previous.flags?.[flag]?.attributes[rule.attribute];
      if (typeof mine !== 'number' || typeof theirs !== 'number' || mine <= theirs) continue;
      findings.push({
        rule: 'promotion-order',
        severity: 'error',
        targets: ids,
        flag,
        attribute: rule.attribute,
        message:
          `${current.environment}: ${rule.key} is ${mine}, but ${previous.environment} (earlier in the promotion order) ` +
          `has ${theirs}; ${current.environment} may not run ahead of ${previous.environment}. ` +
          `Raise ${previous.environment} to ${mine} first, or keep ${current.environment} at ${theirs} or less.`,
        position: positionOf(current, flag, rule.attribute),
      });
    }
  }
  return findings;
}
