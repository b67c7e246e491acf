/**
 * status(target): what the repository says, what the environment runs, what is in flight, how the
 * guards look right now, whether the target is held, and where its release stands as `decide` says
 * (./release-status.ts: read from the release record, acting on nothing).
 */
import { IN_FLIGHT } from '../aws/appconfig.ts';
import type { TargetRef } from '../core/target.ts';
import type { WatchVerdict } from '../guards/verdict.ts';
import { decompileFeatureFlags } from '../model/compile.ts';
import type { FlagValue } from '../model/types.ts';
import { type ContentProvider, compileSnapshot } from './content.ts';
import type { PipelineContext } from './context.ts';
import type { VersionRef } from './deploy.ts';
import type { HoldCheck, HoldStatus } from './holds.ts';
import { runsContent } from './in-sync.ts';
import { type ReleaseReader, type ReleaseStatus, readReleaseStatus } from './release-status.ts';
import { resolveTarget } from './resolve.ts';
import { runningDeployment } from './versions.ts';
import { watchedFor, watchOnce } from './watch.ts';

export interface TargetStatus {
  target: string;
  repo: { commit: string; sha256: string; flags?: Record<string, FlagValue>; data?: unknown };
  deployed?: VersionRef & {
    deploymentNumber: number;
    completedAt?: number;
    flags?: Record<string, FlagValue>;
    data?: unknown;
  };
  inSync: boolean;
  inFlight?: { deploymentNumber: number; profile?: string; state: string; percent: number; version: string };
  guards?: WatchVerdict;
  hold: HoldStatus;
  /** The release record and `decide`'s word on it; `recorded: false` says why there is none. */
  release: ReleaseStatus;
}

/** Guards are judged over this recent window. */
const GUARD_WINDOW_MS = 15 * 60_000;

export async function readStatus(
  ctx: PipelineContext,
  ref: TargetRef,
  content: ContentProvider,
  holds: HoldCheck,
  /** Where release records are read (GitHub); without it the status says they were not read. */
  releases?: ReleaseReader,
): Promise<TargetStatus> {
  const compiled = compileSnapshot(await content(), ref);
  const t = await resolveTarget(ctx.aws, ref);
  const deployments = await ctx.aws.appconfig.listDeployments(t.application.id, t.environment.id);
  const running = runningDeployment(deployments, t.profile.name);
  const inFlight = deployments.find((d) => IN_FLIGHT.has(d.state));
  let deployed: TargetStatus['deployed'];
  let inSync = false;
  if (running) {
    const version = await ctx.aws.appconfig.getHostedVersion(
      t.application.id,
      t.profile.id,
      Number(running.version),
    );
    const bytes = Buffer.from(version.content);
    const decoded =
      compiled.target.profileType === 'AWS.AppConfig.FeatureFlags' ? decompileFeatureFlags(bytes) : undefined;
    deployed = {
      deploymentNumber: running.number,
      number: Number(running.version),
      ...(running.versionLabel ? { label: running.versionLabel } : {}),
      ...(running.completedAt !== undefined ? { completedAt: running.completedAt } : {}),
      ...(decoded?.ok ? { flags: decoded.flags } : {}),
      ...(decoded === undefined ? { data: safeJson(bytes) } : {}),
    };
    inSync = await runsContent(ctx, t, running, {
      sha256: compiled.document.sha256,
      profileType: compiled.target.profileType,
    });
  }
  const envDef = compiled.app.environments.find((e) => e.name === ref.environment);
  const watched = envDef ? watchedFor(compiled.app, envDef, compiled.target) : undefined;
  const guards =
    watched && (watched.guards.length > 0 || watched.alarms.length > 0)
      ? await watchOnce(ctx, watched, { from: ctx.clock.now() - GUARD_WINDOW_MS })
      : undefined;
  return {
    target: t.id,
    repo: {
      commit: compiled.commit.sha,
      sha256: compiled.document.sha256,
      ...(compiled.target.flags ? { flags: compiled.target.flags } : {}),
      ...(compiled.target.data !== undefined ? { data: compiled.target.data } : {}),
    },
    ...(deployed ? { deployed } : {}),
    inSync,
    ...(inFlight
      ? {
          inFlight: {
            deploymentNumber: inFlight.number,
            ...(inFlight.profileName ? { profile: inFlight.profileName } : {}),
            state: inFlight.state,
            percent: inFlight.percentageComplete,
            version: inFlight.version,
          },
        }
      : {}),
    ...(guards ? { guards } : {}),
    hold: await holds.check(ref),
    release: await readReleaseStatus(releases, ref, {
      deployments,
      profileName: t.profile.name,
      ...(envDef ? { bakeMinutes: envDef.bakeMinutes } : {}),
      now: ctx.clock.now(),
    }),
  };
}

function safeJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return bytes.toString('utf8');
  }
}
