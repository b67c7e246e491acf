/**
 * AppConfig rolled a deployment back by itself (its alarm monitor: ROLLED_BACK) or someone reverted
 * it (REVERTED). Either way the change did not stay, so flagops reports it as a breach like one of
 * its own: the bake sees it while watching, a release without a bake sees it when the deployment
 * settles, and the revert action reads it from AppConfig when no step handed evidence over.
 */
import type { DeploymentInfo } from '../aws/appconfig.ts';
import type { Breach } from '../guards/verdict.ts';

/** The breach a rolled-back or reverted deployment stands for; `fallbackAt` when AppConfig gives no time. */
export function appConfigRollbackBreach(d: DeploymentInfo, fallbackAt: number): Breach {
  const started = d.events.find((e) => e.type === 'ROLLBACK_STARTED' || e.type === 'REVERT_COMPLETED');
  return {
    kind: 'appconfig-rollback',
    deploymentNumber: d.number,
    triggeredBy: started?.triggeredBy ?? 'APPCONFIG',
    description: started?.description || `deployment ended ${d.state}`,
    at: started?.at ?? fallbackAt,
  };
}
