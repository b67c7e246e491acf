/** State rules: what must hold in one repository on its own, whatever changed to get there. */
import type { Repository } from '../model/types.ts';
import type { PolicyFinding } from './finding.ts';
import { checkPrerequisites } from './prerequisites.ts';
import { checkPromotionOrder } from './promotion-order.ts';

export function checkState(repo: Repository): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const app of Object.values(repo.applications)) {
    const targets = repo.targets.filter((t) => t.application === app.name);
    for (const target of targets) findings.push(...checkPrerequisites(app, target));
    findings.push(...checkPromotionOrder(app, targets));
  }
  return findings;
}
