/**
 * What runs now for each changed target, so the plan can also compare against the deployed
 * content (not only the base branch). Read-only: ListDeployments and GetHostedConfigurationVersion.
 */
import type { Aws } from '../aws/index.ts';
import type { TargetRef } from '../core/target.ts';
import { decompileFeatureFlags } from '../model/compile.ts';
import type { FlagValue } from '../model/types.ts';
import { resolveTarget } from '../pipeline/resolve.ts';
import { runningDeployment } from '../pipeline/versions.ts';

export type DeployedView =
  | {
      status: 'deployed';
      version: number;
      label?: string;
      /** The hosted bytes, as AppConfig returns them. */
      content: Buffer;
      flags?: Record<string, FlagValue>;
    }
  | { status: 'not-deployed' }
  | { status: 'unreadable'; message: string };

export async function readDeployed(aws: Aws, ref: TargetRef): Promise<DeployedView> {
  try {
    const t = await resolveTarget(aws, ref);
    const running = runningDeployment(
      await aws.appconfig.listDeployments(t.application.id, t.environment.id),
      t.profile.name,
    );
    if (!running) return { status: 'not-deployed' };
    const hosted = await aws.appconfig.getHostedVersion(
      t.application.id,
      t.profile.id,
      Number(running.version),
    );
    const content = Buffer.from(hosted.content);
    const decoded = decompileFeatureFlags(content);
    return {
      status: 'deployed',
      version: Number(running.version),
      content,
      ...(running.versionLabel ? { label: running.versionLabel } : {}),
      ...(decoded.ok ? { flags: decoded.flags } : {}),
    };
  } catch (error) {
    return {
      status: 'unreadable',
      message: error instanceof Error ? error.message.split('\n')[0]! : String(error),
    };
  }
}

/** The value a plan row names (`flag` + `enabled` or attribute) in deployed flags. */
export function deployedValue(
  flags: Record<string, FlagValue> | undefined,
  flag: string,
  attribute: string,
): unknown {
  const f = flags?.[flag];
  if (!f) return undefined;
  return attribute === 'enabled' ? f.enabled : f.attributes[attribute];
}
