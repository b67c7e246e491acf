/**
 * Evidence when no step handed any over: AppConfig's own monitors rolled the newest deployment of
 * the profile back (ROLLED_BACK), or someone reverted it (REVERTED). That is a breach too: git must
 * say what AppConfig serves, so it gets a revert pull request like any other.
 */
import type { Aws } from '../aws/index.ts';
import type { TargetRef } from '../core/target.ts';
import { appConfigRollbackBreach } from '../pipeline/appconfig-rollback.ts';
import { resolveTarget } from '../pipeline/resolve.ts';
import type { RevertEvidence } from './text.ts';

export async function evidenceFromAppConfig(
  aws: Aws,
  target: TargetRef,
  runUrl?: string,
): Promise<RevertEvidence | undefined> {
  const t = await resolveTarget(aws, target);
  const newest = (await aws.appconfig.listDeployments(t.application.id, t.environment.id))
    .filter((d) => d.profileName === t.profile.name)
    .sort((a, b) => b.number - a.number)[0];
  if (!newest || (newest.state !== 'ROLLED_BACK' && newest.state !== 'REVERTED')) return undefined;
  const d = await aws.appconfig.getDeployment(t.application.id, t.environment.id, newest.number);
  return {
    target,
    breaches: [appConfigRollbackBreach(d, d.completedAt ?? d.startedAt ?? 0)],
    deploymentNumber: d.number,
    badVersion: { number: Number(d.version), ...(d.versionLabel ? { label: d.versionLabel } : {}) },
    rollbackAction: d.state === 'REVERTED' ? 'reverted' : 'rolled back by AppConfig',
    ...(d.startedAt !== undefined ? { deployedAt: d.startedAt } : {}),
    ...(runUrl ? { runUrl } : {}),
  };
}
