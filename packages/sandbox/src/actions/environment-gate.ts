/**
 * Environment protection rules that hold a job before it starts, as GitHub applies them
 * (https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/reviewing-deployments,
 * https://docs.github.com/en/actions/reference/workflows-and-actions/deployments-and-environments#deployment-protection-rules):
 * a job that references an environment with required reviewers has the status `waiting` until one
 * of them approves through `POST …/runs/{id}/pending_deployments`; a rejection fails the job (and
 * so the run). A wait timer holds it N minutes of the sandbox's simulated clock. The job starts
 * once every rule has passed; a cancelled run ends its waiting jobs `cancelled`.
 */
import type { GitHubWorld } from '../github/context.ts';
import type { EnvironmentRecord } from '../github/settings.ts';
import { sameLogin } from '../github/wire.ts';
import type { JobRecord, PendingDeploymentRecord, RunRecord } from './records.ts';

export type HoldOutcome = 'approved' | 'rejected' | 'cancelled';

/** How often a held job looks at its rules again (real ms): reviews arrive by request, time by tick. */
const POLL_MS = 50;

export function holdsJobs(env: EnvironmentRecord): boolean {
  return (env.reviewers?.length ?? 0) > 0 || (env.waitTimer ?? 0) > 0;
}

/** Holds `job` until the environment's rules pass, a reviewer rejects it, or the run is cancelled. */
export async function holdAtEnvironment(a: {
  world: GitHubWorld;
  run: RunRecord;
  job: JobRecord;
  env: EnvironmentRecord;
  signal: AbortSignal;
}): Promise<{ outcome: HoldOutcome; pending: PendingDeploymentRecord }> {
  const { world, run, job, env, signal } = a;
  const pending: PendingDeploymentRecord = {
    runId: run.id,
    jobId: job.id,
    environmentId: env.id,
    environment: env.name,
    since: world.now(),
    waitTimer: env.waitTimer ?? 0,
    state: 'waiting',
    reviewedBy: null,
    comment: null,
  };
  world.state.pendingDeployments.push(pending);
  job.status = 'waiting';
  run.status = 'waiting';
  world.changed();
  const needsReview = (env.reviewers?.length ?? 0) > 0;
  const outcome = await new Promise<HoldOutcome>((resolve) => {
    const decide = (): HoldOutcome | undefined => {
      if (signal.aborted) return 'cancelled';
      if (pending.state === 'rejected') return 'rejected';
      const reviewed = !needsReview || pending.state === 'approved';
      const timerDone = world.now() >= pending.since + pending.waitTimer * 60_000;
      return reviewed && timerDone ? 'approved' : undefined;
    };
    const poll = setInterval(() => {
      const decided = decide();
      if (!decided) return;
      clearInterval(poll);
      resolve(decided);
    }, POLL_MS);
  });
  if (outcome === 'cancelled') pending.state = 'cancelled';
  else if (outcome === 'approved') pending.state = 'approved';
  job.status = 'queued';
  if (!world.state.pendingDeployments.some((p) => p.runId === run.id && isHeld(p)))
    run.status = 'in_progress';
  world.changed();
  return { outcome, pending };
}

/** Still holding its job (an approved one may still wait out its timer, but no longer for review). */
export function isHeld(p: PendingDeploymentRecord): boolean {
  return p.state === 'waiting';
}

/**
 * Whether `login` may approve or reject a job held by `env`: one of its required reviewers (a
 * person named, or a member of a team named), not the run's actor when self-review is prevented.
 */
export function mayReview(
  world: GitHubWorld,
  env: EnvironmentRecord,
  run: RunRecord,
  login: string,
): boolean {
  if (env.preventSelfReview && sameLogin(run.actor, login)) return false;
  return isNamed(world, env, login);
}

function isNamed(world: GitHubWorld, env: EnvironmentRecord, login: string): boolean {
  return (env.reviewers ?? []).some((r) =>
    r.type === 'User'
      ? sameLogin(r.name, login)
      : world.state.settings.teams.some(
          (t) => t.slug === r.name && t.members.some((m) => sameLogin(m, login)),
        ),
  );
}
