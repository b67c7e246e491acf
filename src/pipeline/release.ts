/**
 * The whole life of one merged change for one target: deploy → bake → (on a breach) roll back.
 * The CLI, the actions and the demo all call `runRelease`; it returns a result and the timeline.
 */

import type { Aws } from '../aws/index.ts';
import { exitCodeOf, messageOf } from '../core/failure.ts';
import { type TargetRef, targetId } from '../core/target.ts';
import { syncDashboards } from '../dashboard/sync.ts';
import type { Breach, WatchVerdict } from '../guards/verdict.ts';
import type { Application } from '../model/types.ts';
import type { ReleaseRecord } from '../release/record.ts';
import { appConfigRollbackBreach } from './appconfig-rollback.ts';
import { type BakeResult, bake } from './bake.ts';
import type { Clock } from './clock.ts';
import { type ContentProvider, compileSnapshot, fixedContent, type Snapshot } from './content.ts';
import { makeContext, type PipelineContext, PipelineError, type PipelineSettings, say } from './context.ts';
import { type DeployOptions, deploy, toRef, type VersionRef } from './deploy.ts';
import { type ReleaseEvent, type Reporter, recordingReporter } from './events.ts';
import { type HoldCheck, noHolds } from './holds.ts';
import { resolveTarget } from './resolve.ts';
import { type RollbackResult, rollback } from './rollback.ts';
import { runningDeployment } from './versions.ts';
import { waitForDeployment } from './wait.ts';
import { preflight, watchedFor } from './watch.ts';

export type ReleaseStatus =
  | 'unchanged'
  | 'held'
  | 'deployed'
  | 'healthy'
  | 'no-data'
  | 'unverified'
  | 'rolled-back'
  | 'timed-out'
  | 'failed';

export interface ReleaseResult {
  target: string;
  status: ReleaseStatus;
  /** A new deployment was started (or an interrupted one followed). */
  changed: boolean;
  deploymentNumber?: number;
  /** Epoch ms when that deployment started (AppConfig's StartedAt). */
  deployedAt?: number;
  version?: VersionRef;
  previousVersion?: VersionRef;
  breaches: Breach[];
  verdict?: WatchVerdict;
  rollback?: RollbackResult;
  /** What went wrong, for `failed`, `held` and `timed-out`. */
  message?: string;
  /**
   * README "The CLI": 0 success, 1 breach (rolled back) or invalid input, 3 AWS, 4 the bake ended
   * without enough evidence (`unverified` or `no-data`: nothing rolled back, no dwell).
   */
  exitCode: 0 | 1 | 2 | 3 | 4;
  /** The bake's range, when it baked to its end (what the bake record stores). */
  bake?: { from: number; to: number };
  /** When AppConfig completed the deployment (epoch ms), when known. */
  completedAt?: number;
  /** The release record as `decide` left it at the bake's end (stored with the bake record). */
  release?: ReleaseRecord;
  /** `decide` found the next step due at the bake's end: wake the advancer. */
  wakeAdvancer?: boolean;
  timeline: ReleaseEvent[];
}

export interface ReleaseInput {
  target: TargetRef;
  aws: Aws;
  clock: Clock;
  reporter?: Reporter;
  holds?: HoldCheck;
  /** Where the content comes from: re-read right before deploying (README promise 4)… */
  content?: ContentProvider;
  /** …or one fixed snapshot. */
  repo?: Snapshot['repo'];
  commit?: Snapshot['commit'];
  /** Watch guards and alarms and bake; false: only wait for the deployment to finish. */
  bake: boolean;
  settings?: Partial<PipelineSettings>;
  onStep?: DeployOptions['onStep'];
  /** The AWS region the dashboards' graphs read from; without it dashboards are left alone. */
  region?: string;
}

export async function runRelease(input: ReleaseInput): Promise<ReleaseResult> {
  const { ctx, finish, fail } = startRun(input);
  const content =
    input.content ??
    (input.repo && input.commit ? fixedContent({ repo: input.repo, commit: input.commit }) : undefined);
  if (!content) throw new PipelineError('runRelease needs `content` or both `repo` and `commit`', 2);

  try {
    if (input.bake) await preflightRelease(ctx, content, input.target);
    const deployed = await deploy(ctx, input.target, {
      content,
      holds: input.holds ?? noHolds,
      ...(input.onStep ? { onStep: input.onStep } : {}),
    });
    if (deployed.status === 'held')
      return finish({ status: 'held', changed: false, message: deployed.reason, exitCode: 1 });
    if (deployed.status === 'unchanged')
      return finish({ status: 'unchanged', changed: false, version: deployed.running, exitCode: 0 });

    const { resolved, deployment } = deployed;
    const envDef = deployed.content.app.environments.find((e) => e.name === input.target.environment);
    if (envDef?.dashboard !== undefined && input.region !== undefined)
      await markDeployment(ctx, input.target, deployed.content.app, input.region);
    const base = {
      changed: true,
      deploymentNumber: deployment.number,
      deployedAt: deployment.startedAt ?? ctx.clock.now(),
      version: deployed.version,
      ...(deployed.previous ? { previousVersion: deployed.previous } : {}),
    };

    let outcome: BakeResult | undefined;
    if (input.bake && envDef) {
      outcome = await bake(ctx, resolved, deployment, {
        watched: watchedFor(deployed.content.app, envDef, deployed.content.target),
        bakeMinutes: envDef.bakeMinutes,
      });
    } else {
      const waited = await waitForDeployment(ctx, resolved, deployment, { timeoutMs: 25 * 60 * 60_000 });
      if (!waited.settled)
        return finish({
          ...base,
          status: 'timed-out',
          message: 'the deployment did not finish in 25 h',
          exitCode: 3,
        });
      if (waited.deployment.state === 'COMPLETE') return finish({ ...base, status: 'deployed', exitCode: 0 });
      outcome = {
        status: 'breached',
        breaches: [appConfigRollbackBreach(waited.deployment, ctx.clock.now())],
        deployment: waited.deployment,
        rolledBackByAppConfig: true,
        polls: 0,
      };
    }

    if (outcome.status !== 'breached') return finish({ ...base, ...settledBake(outcome) });
    const undone = await rollback(ctx, resolved, {
      evidence: outcome.breaches,
      deploymentNumber: deployment.number,
    });
    return finish({
      ...base,
      status: 'rolled-back',
      breaches: outcome.breaches,
      ...(outcome.verdict ? { verdict: outcome.verdict } : {}),
      rollback: undone,
      exitCode: 1,
    });
  } catch (error) {
    return fail(error);
  }
}

export interface BakeInput {
  target: TargetRef;
  aws: Aws;
  clock: Clock;
  reporter?: Reporter;
  content: ContentProvider;
  /** Bake this deployment; default: the profile's newest deployment in the environment. */
  deploymentNumber?: number;
  /** Override the environment's bake minutes (a soak window longer than one job). */
  bakeMinutes?: number;
  /** Roll back on a breach (default true). */
  rollback?: boolean;
  settings?: Partial<PipelineSettings>;
}

/**
 * Bake a deployment that already exists (the bake action, the scheduled watch): the same watch and
 * the same rollback as `runRelease`, without deploying.
 */
export async function runBake(input: BakeInput): Promise<ReleaseResult> {
  const { ctx, id, finish, fail } = startRun(input);
  try {
    const { app, target } = compileSnapshot(await input.content(), input.target);
    const envDef = app.environments.find((e) => e.name === input.target.environment);
    if (!envDef)
      throw new PipelineError(
        `environment ${input.target.environment} is not declared in ${app.dir}/app.yaml`,
        2,
      );
    const t = await resolveTarget(ctx.aws, input.target);
    const deployments = (await ctx.aws.appconfig.listDeployments(t.application.id, t.environment.id))
      .filter((d) => d.profileName === t.profile.name)
      .sort((a, b) => b.number - a.number);
    const chosen =
      input.deploymentNumber !== undefined
        ? deployments.find((d) => d.number === input.deploymentNumber)
        : deployments[0];
    if (!chosen) {
      throw new PipelineError(
        input.deploymentNumber !== undefined
          ? `deployment ${input.deploymentNumber} of ${id} does not exist`
          : `${id} has no deployment to bake; deploy first`,
        1,
      );
    }
    const deployment = await ctx.aws.appconfig.getDeployment(
      t.application.id,
      t.environment.id,
      chosen.number,
    );
    const before = runningDeployment(
      deployments.filter((d) => d.number < chosen.number),
      t.profile.name,
    );
    const base = {
      changed: false,
      deploymentNumber: deployment.number,
      ...(deployment.startedAt !== undefined ? { deployedAt: deployment.startedAt } : {}),
      version: toRef(deployment),
      ...(before ? { previousVersion: toRef(before) } : {}),
    };
    const watched = watchedFor(app, envDef, target);
    await preflight(ctx, watched, `${id} (environment ${envDef.name} in ${app.dir}/app.yaml)`);
    const outcome = await bake(ctx, t, deployment, {
      watched,
      bakeMinutes: input.bakeMinutes ?? envDef.bakeMinutes,
    });
    if (outcome.status !== 'breached') return finish({ ...base, ...settledBake(outcome) });
    const undone =
      input.rollback === false
        ? undefined
        : await rollback(ctx, t, { evidence: outcome.breaches, deploymentNumber: deployment.number });
    return finish({
      ...base,
      status: undone ? 'rolled-back' : 'failed',
      breaches: outcome.breaches,
      ...(outcome.verdict ? { verdict: outcome.verdict } : {}),
      ...(undone ? { rollback: undone } : { message: 'breached; rollback disabled' }),
      exitCode: 1,
    });
  } catch (error) {
    return fail(error);
  }
}

/** A bake that did not breach: healthy (0), or without enough evidence (4, never a rollback). */
function settledBake(outcome: BakeResult): {
  status: 'healthy' | 'no-data' | 'unverified';
  exitCode: 0 | 4;
  verdict?: WatchVerdict;
  bake?: { from: number; to: number };
  completedAt?: number;
  message?: string;
  release?: ReleaseRecord;
  wakeAdvancer?: boolean;
} {
  const status = outcome.status === 'breached' ? 'unverified' : outcome.status;
  return {
    status,
    exitCode: status === 'healthy' ? 0 : 4,
    ...(outcome.verdict ? { verdict: outcome.verdict } : {}),
    ...(outcome.window ? { bake: outcome.window } : {}),
    ...(outcome.deployment.completedAt !== undefined ? { completedAt: outcome.deployment.completedAt } : {}),
    ...(status !== 'healthy' && outcome.message ? { message: outcome.message } : {}),
    ...(outcome.record ? { release: outcome.record } : {}),
    ...(outcome.wakeAdvancer ? { wakeAdvancer: true } : {}),
  };
}

/** Every alarm the target's environment watches must exist before anything deploys. */
async function preflightRelease(
  ctx: PipelineContext,
  content: ContentProvider,
  target: TargetRef,
): Promise<void> {
  const { app } = compileSnapshot(await content(), target);
  const envDef = app.environments.find((e) => e.name === target.environment);
  if (!envDef) return;
  await preflight(
    ctx,
    watchedFor(app, envDef),
    `${target.application}/${target.environment} (environment ${envDef.name} in ${app.dir}/app.yaml)`,
  );
}

type Finish = (
  r: Omit<ReleaseResult, 'target' | 'timeline' | 'breaches'> & { breaches?: Breach[] },
) => ReleaseResult;

/** What every run shares: a context whose reporter records the timeline, and the result builder. */
function startRun(input: Pick<ReleaseInput, 'aws' | 'clock' | 'reporter' | 'settings' | 'target'>): {
  ctx: PipelineContext;
  id: string;
  finish: Finish;
  /** A run that threw: warn with the message and end `failed` with the error's exit code. */
  fail: (error: unknown) => ReleaseResult;
} {
  const recorder = recordingReporter(input.reporter);
  const ctx = makeContext({
    aws: input.aws,
    clock: input.clock,
    reporter: recorder,
    ...(input.settings ? { settings: input.settings } : {}),
  });
  const id = targetId(input.target);
  const finish: Finish = (r) => ({ target: id, breaches: [], ...r, timeline: recorder.events });
  const fail = (error: unknown): ReleaseResult => {
    const message = messageOf(error);
    say(ctx, id, { kind: 'warning', message: `failed: ${message}` });
    return finish({ status: 'failed', changed: false, message, exitCode: exitCodeOf(error) });
  };
  return { ctx, id, finish, fail };
}

/**
 * The new deployment as a marker on the environment's dashboard, so whoever watches the bake sees
 * where it began (and drift finds the dashboard current rather than stale). A dashboard is a view,
 * not the release: failing to write it is a warning.
 */
async function markDeployment(
  ctx: PipelineContext,
  target: TargetRef,
  app: Application,
  region: string,
): Promise<void> {
  try {
    await syncDashboards(ctx.aws, [app], { mode: 'apply', region, environment: target.environment });
  } catch (error) {
    say(ctx, targetId(target), {
      kind: 'warning',
      message: `dashboard not updated with this deployment: ${messageOf(error)}`,
    });
  }
}
