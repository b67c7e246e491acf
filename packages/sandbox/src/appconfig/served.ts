/**
 * What an environment's clients receive for one profile. The last COMPLETE deployment's version
 * is the baseline; while a deployment is DEPLOYING or BAKING its version reaches
 * PercentageComplete % of clients and the baseline the rest. Rolled-back and reverted deployments
 * are not COMPLETE, so the baseline falls back to the version before them by itself.
 *
 * The in-flight version is listed first so that a client choosing by a stable hash in [0, 1)
 * ("below the first share → first version") keeps the new version as the percentage grows.
 * Before the first deployment completes, shares add up to less than 1: the remaining clients have
 * no configuration yet.
 */
import type { ServedConfiguration } from '../core.ts';
import type { ConfigurationProfile, Deployment, Environment } from './state.ts';
import type { AppConfigStore } from './store.ts';

export type ServedVersion = ReturnType<ServedConfiguration['served']>[number];

export function servedVersions(
  store: AppConfigStore,
  env: Environment,
  profile: ConfigurationProfile,
): ServedVersion[] {
  const history = store.deploymentsOf(env).filter((d) => d.ConfigurationProfileId === profile.Id);
  const baseline = history.filter((d) => d.State === 'COMPLETE').at(-1);
  const rolling = history.find((d) => d.State === 'DEPLOYING' || d.State === 'BAKING');
  const toServed = (d: Deployment, share: number): ServedVersion | undefined => {
    const version = store.versionsOf(profile).find((v) => String(v.VersionNumber) === d.ConfigurationVersion);
    if (!version) return undefined;
    return {
      versionNumber: version.VersionNumber,
      ...(version.VersionLabel !== undefined ? { versionLabel: version.VersionLabel } : {}),
      content: version.Content,
      contentType: version.ContentType,
      share,
    };
  };
  const out: Array<ServedVersion | undefined> = [];
  if (rolling && rolling.PercentageComplete > 0) {
    const share = rolling.PercentageComplete / 100;
    out.push(toServed(rolling, share));
    if (baseline && share < 1) out.push(toServed(baseline, 1 - share));
  } else if (baseline) {
    out.push(toServed(baseline, 1));
  }
  return out.filter((v): v is ServedVersion => v !== undefined && v.share > 0);
}
