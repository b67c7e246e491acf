/**
 * What AppConfig ran in one environment over the replayed range, read for the backtest's
 * `applies_when` minutes: ListDeployments (the newest 100, as the environment lists them) and each
 * deployed version's content once (GetHostedConfigurationVersion). Read-only; the plan role and the
 * read role may call both (aws/iam-roles.json).
 */
import type { Aws } from '../aws/index.ts';
import type { TargetRef } from '../core/target.ts';
import { decompileFeatureFlags } from '../model/compile.ts';
import type { FlagValue } from '../model/types.ts';
import { resolveTarget } from '../pipeline/resolve.ts';
import { type ServedSpan, servedSpans } from './applicability.ts';

export interface DeploymentHistory {
  spans(target: TargetRef, range: { from: number; to: number }): Promise<ServedSpan[]>;
}

export function deploymentHistory(aws: Aws): DeploymentHistory {
  const contents = new Map<string, Promise<Record<string, FlagValue> | undefined>>();
  return {
    async spans(target, range) {
      const t = await resolveTarget(aws, target);
      const deployments = await aws.appconfig.listDeployments(t.application.id, t.environment.id);
      const versions = [
        ...new Set(deployments.filter((d) => d.profileName === target.profile).map((d) => d.version)),
      ];
      const flags = new Map<string, Record<string, FlagValue> | undefined>();
      for (const version of versions) {
        const key = `${t.application.id}/${t.profile.id}/${version}`;
        let read = contents.get(key);
        if (!read) {
          read = aws.appconfig
            .getHostedVersion(t.application.id, t.profile.id, Number(version))
            .then((hosted) => {
              const decoded = decompileFeatureFlags(Buffer.from(hosted.content));
              return decoded.ok ? decoded.flags : undefined;
            });
          contents.set(key, read);
        }
        flags.set(version, await read);
      }
      return servedSpans(deployments, target.profile, range, (v) => flags.get(v));
    },
  };
}
