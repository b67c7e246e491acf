/**
 * "Does this environment run this content?": the one definition that deploy, status and drift share
 * (README promise 1). A flagops label carries the content's hash, so a labelled version is judged by
 * its label alone; a version someone created by hand (no flagops label) is judged by its stored
 * bytes, without AppConfig's metadata, so an identical hand-made version counts as in sync and the
 * next deploy does not create a second one (README promise 3).
 */
import { createHash } from 'node:crypto';
import type { DeploymentInfo } from '../aws/appconfig.ts';
import { normaliseDeployedContent } from '../model/compile.ts';
import type { ProfileType } from '../model/types.ts';
import type { PipelineContext } from './context.ts';
import type { ResolvedTarget } from './resolve.ts';
import { labelContentHash } from './versions.ts';

/** The content a target should run: its compiled document's hash and the profile's type. */
export interface WantedContent {
  sha256: string;
  profileType: ProfileType;
}

/** Whether a label is flagops' label for this content (`flagops.<commit>.<hash 16>`). */
export function labelNamesContent(label: string | undefined, sha256: string): boolean {
  return labelContentHash(label) === sha256.slice(0, 16);
}

/** Whether the deployment's version is the wanted content: by its flagops label, else by its bytes. */
export async function runsContent(
  ctx: PipelineContext,
  t: ResolvedTarget,
  deployment: Pick<DeploymentInfo, 'version' | 'versionLabel'>,
  wanted: WantedContent,
): Promise<boolean> {
  if (labelContentHash(deployment.versionLabel) !== undefined)
    return labelNamesContent(deployment.versionLabel, wanted.sha256);
  const versionNumber = Number(deployment.version);
  if (!Number.isInteger(versionNumber)) return false;
  const stored = await ctx.aws.appconfig.getHostedVersion(t.application.id, t.profile.id, versionNumber);
  const normalised = normaliseDeployedContent(Buffer.from(stored.content), wanted.profileType);
  return normalised !== undefined && sha256(normalised) === wanted.sha256;
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
