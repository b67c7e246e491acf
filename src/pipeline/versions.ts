/**
 * Naming and recognising the versions flagops creates, and working out what an environment runs.
 * Pure.
 */
import type { DeploymentInfo } from '../aws/appconfig.ts';
import type { CommitInfo } from '../core/commit.ts';

export type { CommitInfo } from '../core/commit.ts';

const LABEL = /^flagops\.([A-Za-z0-9-]{1,20})\.([0-9a-f]{16})$/;

/**
 * `flagops.<commit 12>.<sha256 16>`: names the commit and the content, always contains a non-digit
 * and stays well under AppConfig's 64 characters.
 */
export function versionLabel(commit: string, sha256: string): string {
  const c = commit.replace(/[^A-Za-z0-9-]/g, '').slice(0, 12) || 'local';
  return `flagops.${c}.${sha256.slice(0, 16)}`;
}

/** The content hash prefix a flagops label carries, or undefined for other labels. */
export function labelContentHash(label: string | undefined): string | undefined {
  return label === undefined ? undefined : LABEL.exec(label)?.[2];
}

export function versionDescription(target: string, commit: CommitInfo): string {
  const pr = commit.pullRequest !== undefined ? ` from pull request #${commit.pullRequest}` : '';
  const by = commit.author ? ` by ${commit.author}` : '';
  return `flagops: ${target} at commit ${commit.sha}${pr}${by}`.slice(0, 1024);
}

/**
 * The deployment whose version a profile's clients run now: the newest COMPLETE one. Rolled-back
 * and reverted deployments do not count (the environment went back to what ran before them), nor
 * do deployments still in flight.
 */
export function runningDeployment(
  deployments: DeploymentInfo[],
  profileName: string,
): DeploymentInfo | undefined {
  return [...deployments]
    .sort((a, b) => b.number - a.number)
    .find((d) => d.profileName === profileName && d.state === 'COMPLETE');
}
