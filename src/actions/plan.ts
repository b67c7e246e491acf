/**
 * The `plan` action on `pull_request`: validate with annotations on the exact lines, plan against
 * the base, compare with what is deployed when AWS credentials are present (fork pull requests have
 * none — the comment says so), chart the percentage history, and keep ONE sticky comment up to date.
 * A failing plan fails the step after the comment is posted, so the author sees why.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { verificationFromEnv } from '../acceptance/record.ts';
import type { Aws } from '../aws/index.ts';
import { changedGuards } from '../backtest/changes.ts';
import { deploymentHistory } from '../backtest/deployed-history.ts';
import { DEFAULT_DAYS, runBacktest } from '../backtest/run.ts';
import { messageOf } from '../core/failure.ts';
import { fetchPullHead } from '../git/fetch-pull.ts';
import { gitHubFromEnv } from '../github/from-env.ts';
import { tokenLogin } from '../github/identity.ts';
import { upsertStickyComment } from '../github/sticky-comment.ts';
import {
  formatGithubAnnotation,
  GitRevisionSource,
  loadRepository,
  type RepoSource,
  WorkingTreeSource,
} from '../model/index.ts';
import { buildPlan } from '../plan/index.ts';
import type { BacktestSection } from '../plan-comment/backtest.ts';
import { composePlanComment } from '../plan-comment/compose.ts';
import { type DeployedView, readDeployed } from '../plan-comment/deployed.ts';
import { type HistorySeries, percentageHistory } from '../plan-comment/history.ts';
import { policyNow } from '../policy/now.ts';
import { validateRepository } from '../policy/validate.ts';
import { dwellFromEnv } from '../rollout/bake-record.ts';
import { runtimeFromEnvironment } from '../runtime/env.ts';
import { hasAwsCredentials } from '../runtime/gate-inputs.ts';
import {
  ActionError,
  booleanInput,
  log,
  numberInput,
  runAction,
  setOutputs,
  stringInput,
  writeSummary,
} from './kit.ts';

interface PullRequestEvent {
  pull_request?: { number?: number; base?: { sha?: string }; head?: { repo?: { full_name?: string } } };
}

function readEvent(env: NodeJS.ProcessEnv): PullRequestEvent {
  try {
    return env['GITHUB_EVENT_PATH']
      ? (JSON.parse(readFileSync(env['GITHUB_EVENT_PATH'], 'utf8')) as PullRequestEvent)
      : {};
  } catch {
    return {};
  }
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await runAction(async () => {
    const event = readEvent(env);
    const pr = numberInput('pull-request', event.pull_request?.number ?? 0, { min: 1, integer: true });
    const baseRef = stringInput('base') ?? event.pull_request?.base?.sha;
    if (!baseRef)
      throw new ActionError(
        'no base revision: run on pull_request, or set the "base" input to a commit or branch',
      );
    const token = stringInput('token', { required: true });
    const root = resolve(
      stringInput('working-directory', { default: env['GITHUB_WORKSPACE'] ?? '.' }) ?? '.',
    );
    const now = policyNow(env);

    // `head`: the pull request's commit, read from git as data (the workflow checks out the base,
    // whose code this is); without it, the working tree (a local or legacy checkout of the head).
    const headRef = stringInput('head');
    // On workflow_run (backtest.yml) nothing fetched the head yet: fetch it as git objects only.
    if (booleanInput('fetch-head', false)) {
      if (!headRef) throw new ActionError('"fetch-head" needs the "head" input: the commit to plan');
      fetchPullHead(root, pr, headRef, token, env);
    }
    let headSource: RepoSource;
    try {
      headSource = headRef ? new GitRevisionSource(root, headRef) : new WorkingTreeSource(root);
    } catch {
      throw new ActionError(`git cannot read the head ${headRef} in ${root}; fetch it before this step`);
    }
    const head = loadRepository(headSource);
    let base: ReturnType<typeof loadRepository>;
    try {
      base = loadRepository(new GitRevisionSource(root, baseRef));
    } catch {
      throw new ActionError(`git cannot read the base ${baseRef} in ${root}; check out with fetch-depth: 0`);
    }
    // backtest.yml re-plans only what it adds to: the backtest of a guard change.
    if (booleanInput('only-guard-changes', false) && changedGuards(base, head).length === 0) {
      log.info('no guard is added, removed or altered: nothing to backtest; the plan comment stays');
      setOutputs({ 'comment-action': 'skipped' });
      return;
    }
    const verification = await verificationFromEnv({ ...env, GITHUB_TOKEN: token }, head);
    // The dwell rule's evidence: the bake records of the steps the base runs.
    const dwell = await dwellFromEnv({ ...env, GITHUB_TOKEN: token }, base);
    const evidence = { ...(verification ? { verification } : {}), ...(dwell ? { dwell } : {}) };
    const diagnostics = validateRepository(head, base, now, evidence);
    for (const d of diagnostics) process.stdout.write(`${formatGithubAnnotation(d)}\n`);

    const plan = buildPlan(base, head, {
      now,
      baseLabel: baseRef.slice(0, 12),
      ...evidence,
    });
    const fork =
      event.pull_request?.head?.repo?.full_name !== undefined &&
      event.pull_request.head.repo.full_name !== env['GITHUB_REPOSITORY'];
    let deployed: Map<string, DeployedView> | undefined;
    let deployedUnavailable: string | undefined;
    if (hasAwsCredentials(env)) {
      const { aws } = await runtimeFromEnvironment(env);
      deployed = await readAll(aws, plan.targets);
    } else {
      deployedUnavailable = fork
        ? 'this pull request comes from a fork, and fork pull requests get no AWS credentials'
        : 'no AWS credentials in this run (set vars.FLAGOPS_PLAN_ROLE_ARN for a read-only plan role)';
    }
    const history = new Map<string, HistorySeries[]>();
    for (const t of plan.targets) {
      const headText = headSource.read(t.file)?.toString('utf8');
      history.set(
        t.id,
        percentageHistory(
          root,
          baseRef,
          t.file,
          headText !== undefined ? { headText, headLabel: `#${pr}` } : {},
        ),
      );
    }
    const backtest = await backtestFor(base, head, env, fork);
    const text = composePlanComment({
      plan,
      ...(backtest ? { backtest } : {}),
      ...(deployed ? { deployed } : {}),
      ...(deployedUnavailable ? { deployedUnavailable } : {}),
      history,
    });

    let comment: Awaited<ReturnType<typeof upsertStickyComment>> | undefined;
    try {
      const { octokit, api } = gitHubFromEnv({ ...env, GITHUB_TOKEN: token });
      const login = stringInput('bot-login') ?? (await tokenLogin(octokit));
      comment = await upsertStickyComment(api.comments, { issue: pr, purpose: 'plan', author: login, text });
    } catch (error) {
      // A fork's pull_request token is read-only (403): the job summary carries the plan instead.
      if (!(fork && (error as { status?: number }).status === 403)) throw error;
      log.warning('fork pull request: the token cannot comment, so the plan is in the job summary');
    }
    log.info(
      `plan comment ${comment ? `${comment.action} (id ${comment.comment.id})` : 'not posted'}; verdict ${plan.verdict}`,
    );
    setOutputs({
      verdict: plan.verdict,
      'comment-id': comment?.comment.id,
      'comment-action': comment?.action ?? 'summary-only',
    });
    await writeSummary([{ heading: `flagops plan for #${pr}`, lines: [text] }]);
    if (plan.verdict === 'fail')
      throw new ActionError(
        `the plan fails with ${plan.summary.errors} error(s): see the annotations and the plan comment, fix the values and push again`,
      );
  });
}

async function readAll(
  aws: Aws,
  targets: { id: string; application: string; environment: string; profile: string }[],
) {
  const out = new Map<string, DeployedView>();
  for (const t of targets) out.set(t.id, await readDeployed(aws, t));
  return out;
}

/**
 * The guards this change adds, removes or alters, replayed on CloudWatch data — only where the run
 * has AWS credentials. pull-request.yml gives its job none: it runs the pull request's own workflow
 * file, so any role it could assume any same-repository pull request could use (README, threat
 * model; test/security/attacks-1-6-workflows.test.ts). A read that fails is reported in the comment
 * and never fails the plan.
 */
async function backtestFor(
  base: ReturnType<typeof loadRepository>,
  head: ReturnType<typeof loadRepository>,
  env: NodeJS.ProcessEnv,
  fork: boolean,
): Promise<BacktestSection | undefined> {
  if (changedGuards(base, head).length === 0) return undefined;
  if (!hasAwsCredentials(env))
    return {
      unavailable: fork
        ? 'this pull request comes from a fork, and fork pull requests get no AWS credentials'
        : 'no AWS credentials in this run — a pull request’s own workflow holds none (README, threat model); run `flagops backtest` with CloudWatch read access to see it',
    };
  try {
    const { aws, clock } = await runtimeFromEnvironment(env);
    const report = await runBacktest({
      base,
      head,
      days: DEFAULT_DAYS,
      now: clock.now(),
      pages: (request) => aws.cloudwatch.getMetricDataPages(request),
      deployments: deploymentHistory(aws),
    });
    log.info(`backtest: ${report.guards.length} guard(s), ${report.reads.calls} GetMetricData call(s)`);
    return { report };
  } catch (error) {
    log.warning(`backtest skipped: ${messageOf(error)}`);
    return { unavailable: `CloudWatch could not be read (${messageOf(error)})` };
  }
}
