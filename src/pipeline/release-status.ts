/**
 * Where a target's release stands, for `flagops status`: a shell around `decide` that reads the
 * release record (migrating an old one on read), observes only what status already read (AppConfig's
 * deployments), decides, and acts on nothing. It passes no look at the guards (status shows those
 * on their own), so what it reports is the record's state and what a watch would do next.
 */
import type { DeploymentInfo } from '../aws/appconfig.ts';
import type { TargetRef } from '../core/target.ts';
import { type Action, decide, type Observation } from '../release/decide.ts';
import type { ReleaseRecord, Verdict } from '../release/record.ts';
import { releaseOf, type StoredRevision } from '../rollout/release-store.ts';
import { runningDeployment } from './versions.ts';

/** Where release records are read from (the GitHub bake store); absent without GitHub. */
export interface ReleaseReader {
  latest(target: TargetRef): Promise<StoredRevision | undefined>;
}

export type ReleaseStatus =
  | { recorded: false; why: string }
  | {
      recorded: true;
      deploymentNumber: number;
      revision: number;
      verdict: Verdict;
      bakeUntil: number;
      soak?: { until: number; through: number };
      rollback?: { action: string; at: number; by: string };
      revertPullRequest?: number;
      /** `decide`'s one line: where the release stands. */
      reason: string;
      /** The kinds of `decide`'s actions: what a watch would do now. */
      next: Array<Action['kind']>;
      wakeAt?: number;
    };

export const NO_GITHUB = 'not read: GITHUB_TOKEN and GITHUB_REPOSITORY are not set';

export async function readReleaseStatus(
  reader: ReleaseReader | undefined,
  ref: TargetRef,
  observed: { deployments: DeploymentInfo[]; profileName: string; bakeMinutes?: number; now: number },
): Promise<ReleaseStatus> {
  if (!reader) return { recorded: false, why: NO_GITHUB };
  const stored = await reader.latest(ref);
  if (!stored) return { recorded: false, why: 'no release record yet' };
  const record = releaseOf(stored);
  const observation = observationOf(record, observed);
  const d = decide(record, observation, observed.now);
  return summary(d.record, d.reason, d.actions, d.wakeAt);
}

/** What status observed, as `decide` reads it: the record's deployment, whether it still serves. */
export function observationOf(
  record: ReleaseRecord,
  o: { deployments: DeploymentInfo[]; profileName: string; bakeMinutes?: number },
): Observation {
  const mine = o.deployments.find((d) => d.number === record.deploymentNumber);
  const running = runningDeployment(o.deployments, o.profileName);
  const earlier = runningDeployment(
    o.deployments.filter((d) => d.number < record.deploymentNumber),
    o.profileName,
  );
  const version = Number(earlier?.version);
  return {
    ...(mine
      ? {
          deployment: {
            state: mine.state,
            ...(mine.startedAt !== undefined ? { startedAt: mine.startedAt } : {}),
            ...(mine.completedAt !== undefined ? { completedAt: mine.completedAt } : {}),
            serving: running?.number === mine.number,
          },
        }
      : {}),
    ...(o.bakeMinutes !== undefined ? { bakeMinutes: o.bakeMinutes } : {}),
    ...(earlier && Number.isInteger(version)
      ? { before: { source: 'appconfig' as const, hostedVersion: version } }
      : {}),
  };
}

function summary(r: ReleaseRecord, reason: string, actions: Action[], wakeAt?: number): ReleaseStatus {
  return {
    recorded: true,
    deploymentNumber: r.deploymentNumber,
    revision: r.revision,
    verdict: r.verdict,
    bakeUntil: r.bake.to,
    ...(r.soak ? { soak: { until: r.soak.until, through: r.soak.through } } : {}),
    ...(r.rollback ? { rollback: { action: r.rollback.action, at: r.rollback.at, by: r.rollback.by } } : {}),
    ...(r.revert ? { revertPullRequest: r.revert.pullRequest } : {}),
    reason,
    next: actions.map((a) => a.kind),
    ...(wakeAt !== undefined ? { wakeAt } : {}),
  };
}
