/**
 * openRevert: after a rollback, a branch that restores the target's values file to what AppConfig
 * now serves, and ONE pull request for it (re-running updates it — README promise 3), labelled
 * `flagops:revert` + `flagops:automatic`, with the evidence, review requests to the original
 * author and approvers, and a comment on the original pull request.
 *
 * The branch and the pull request are proposed like an operator's edit (`propose/clone.ts`), pushed
 * to `FLAGOPS_GIT_REMOTE`, else the checkout's `origin`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { latestOpinions } from '../approvals/count.ts';
import type { Aws } from '../aws/index.ts';
import { Failure } from '../core/failure.ts';
import { REVERT_LABELS } from '../core/names.ts';
import { targetId } from '../core/target.ts';
import { describeValueChanges } from '../edit/describe.ts';
import { OverlaySource } from '../edit/overlay-source.ts';
import { commitFromGit } from '../git/commits.ts';
import { git, gitSucceeds } from '../git/run.ts';
import type { GitHubApi, PullRequest } from '../github/api.ts';
import { upsertStickyComment } from '../github/sticky-comment.ts';
import { decompileFeatureFlags, matchesDeployed } from '../model/compile.ts';
import { loadRepository } from '../model/load.ts';
import { WorkingTreeSource } from '../model/source.ts';
import type { Application, Repository, Target } from '../model/types.ts';
import { findTarget } from '../pipeline/content.ts';
import { resolveTarget } from '../pipeline/resolve.ts';
import { runningDeployment } from '../pipeline/versions.ts';
import { inClone, upsertPullRequest } from '../propose/clone.ts';
import { labelCommit, RestoreError, restoreFeatureFlags } from './restore.ts';
import { originalPullComment, type RevertEvidence, revertBody, revertBranch, revertTitle } from './text.ts';

export class RevertError extends Failure {}

export interface OpenRevertInput {
  evidence: RevertEvidence;
  aws: Aws;
  github: GitHubApi;
  /** The login the GitHub token acts as (its comments are the sticky ones). */
  login: string;
  /** Repository to clone from and push to. */
  remote: string;
  /** Branch the revert targets (default `main`). */
  baseBranch?: string;
  /** Environment for git (identity, credentials helpers). */
  env?: NodeJS.ProcessEnv;
}

export interface OpenRevertResult {
  action: 'created' | 'updated' | 'unchanged' | 'not-needed';
  branch: string;
  pullRequest?: PullRequest;
  /** How the file was restored (see restore.ts for why the deployed document comes first). */
  restoredFrom?: 'deployed-document' | 'labelled-commit';
  changes: string[];
  originalPull?: number;
  /** Why nothing was opened, for `not-needed`. */
  message?: string;
}

export async function openRevert(input: OpenRevertInput): Promise<OpenRevertResult> {
  const { evidence, aws, github } = input;
  const env = input.env ?? process.env;
  const baseBranch = input.baseBranch ?? 'main';
  const ref = evidence.target;
  const id = targetId(ref);

  // What runs now, and which version was rolled back.
  const t = await resolveTarget(aws, ref);
  const deployments = await aws.appconfig.listDeployments(t.application.id, t.environment.id);
  const running = runningDeployment(deployments, t.profile.name);
  if (!running)
    throw new RevertError(
      `${id} serves no configuration after the rollback, so there is no content to restore the file to; fix forward with a pull request`,
    );
  const hosted = await aws.appconfig.getHostedVersion(
    t.application.id,
    t.profile.id,
    Number(running.version),
  );
  const deployedBytes = Buffer.from(hosted.content);
  let badLabel = evidence.badVersion?.label;
  if (badLabel === undefined && evidence.deploymentNumber !== undefined) {
    badLabel = (
      await aws.appconfig.getDeployment(t.application.id, t.environment.id, evidence.deploymentNumber)
    ).versionLabel;
  }
  const badCommit = labelCommit(badLabel);
  const branch = revertBranch(ref, badCommit);

  return inClone(input.remote, env, 'revert', async (clone) => {
    const work = clone.dir;
    clone.checkout(branch, baseBranch);
    const repo = loadRepository(new WorkingTreeSource(work));
    const { app, target } = findTarget(repo, ref);
    const before = readFileSync(join(work, target.file), 'utf8');
    const restored = restoreFile(work, app, target, before, deployedBytes, running.versionLabel, env);
    const changes = describeValueChanges(target, findTarget(restored.repo, ref).target);
    const open = await github.pulls.findOpenByHead(branch);
    if (restored.text === before && !open) {
      return {
        action: 'not-needed',
        branch,
        changes: [],
        message: `${target.file} on ${baseBranch} already says what ${id} serves (version ${running.version}); no revert needed`,
      };
    }

    const originalPull = await findOriginalPull(work, github, badCommit, env);
    const body = revertBody(evidence, {
      file: target.file,
      ...(badCommit ? { badCommit } : {}),
      ...(originalPull ? { originalPull: originalPull.pull } : {}),
      changes,
    });
    const title = revertTitle(evidence);

    // Push only when the branch does not already carry exactly this file (a re-run).
    const remoteHas = open !== undefined && clone.fileOn(branch, target.file) === restored.text.trimEnd();
    if (!remoteHas) {
      clone.commitFile(
        target.file,
        restored.text,
        `${title}\n\nRestores ${target.file} to ${running.versionLabel ?? `version ${running.version}`}, which ${id} serves after the rollback.`,
        { allowEmpty: true },
      );
      clone.push(branch, { force: true });
    }

    const upserted = await upsertPullRequest(github.pulls, open, {
      head: branch,
      base: baseBranch,
      title,
      body,
    });
    const { pullRequest } = upserted;
    const action: OpenRevertResult['action'] = upserted.created
      ? 'created'
      : upserted.changed || !remoteHas
        ? 'updated'
        : 'unchanged';
    if (upserted.created) {
      const reviewers = [...new Set([originalPull?.pull.author, ...(originalPull?.approvers ?? [])])].filter(
        (l): l is string => !!l && l.toLowerCase() !== input.login.toLowerCase() && !l.endsWith('[bot]'),
      );
      await github.pulls.requestReviewers(pullRequest.number, reviewers);
    }
    const missing = REVERT_LABELS.filter((l) => !pullRequest.labels.includes(l));
    if (missing.length > 0) await github.labels.add(pullRequest.number, missing);
    if (originalPull) {
      await upsertStickyComment(github.comments, {
        issue: originalPull.pull.number,
        purpose: `revert:${id}`,
        author: input.login,
        text: originalPullComment(evidence, pullRequest),
      });
    }
    return {
      action,
      branch,
      pullRequest: { ...pullRequest, labels: [...new Set([...pullRequest.labels, ...REVERT_LABELS])] },
      restoredFrom: restored.from,
      changes,
      ...(originalPull ? { originalPull: originalPull.pull.number } : {}),
    };
  });
}

interface Restored {
  text: string;
  repo: Repository;
  from: 'deployed-document' | 'labelled-commit';
}

function restoreFile(
  work: string,
  app: Application,
  target: Target,
  before: string,
  deployed: Buffer,
  runningLabel: string | undefined,
  env: NodeJS.ProcessEnv,
): Restored {
  const attempt = (text: string): Repository | undefined => {
    const next = loadRepository(new OverlaySource(new WorkingTreeSource(work), { [target.file]: text }));
    const t = next.targets.find((x) => x.file === target.file);
    const a = next.applications[app.name];
    return t && a && matchesDeployed(a, t, deployed) ? next : undefined;
  };
  let problem = '';
  if (target.profileType === 'AWS.AppConfig.FeatureFlags' && target.flags) {
    const decoded = decompileFeatureFlags(deployed);
    if (!decoded.ok) problem = decoded.error;
    else {
      try {
        const text = restoreFeatureFlags(before, target.flags, decoded.flags);
        const next = attempt(text);
        if (next) return { text, repo: next, from: 'deployed-document' };
        problem = 'the edited file does not compile to the deployed content';
      } catch (error) {
        if (!(error instanceof RestoreError)) throw error;
        problem = error.message;
      }
    }
  } else problem = 'freeform profiles are restored from the labelled commit';

  const commit = labelCommit(runningLabel);
  if (commit && gitSucceeds(work, ['cat-file', '-e', `${commit}:${target.file}`], env)) {
    const text = `${git(work, ['show', `${commit}:${target.file}`], env)}\n`;
    const next = attempt(text);
    if (next) return { text, repo: next, from: 'labelled-commit' };
  }
  throw new RevertError(
    `cannot restore ${target.file} to the deployed content (${problem}${commit ? `; commit ${commit} from the label does not give it either` : ''}); restore the file by hand in a pull request`,
  );
}

async function findOriginalPull(
  work: string,
  github: GitHubApi,
  commit: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<{ pull: PullRequest; approvers: string[] } | undefined> {
  if (!commit || !gitSucceeds(work, ['cat-file', '-e', `${commit}^{commit}`], env)) return undefined;
  const info = commitFromGit(work, commit);
  if (info.pullRequest === undefined) return undefined;
  try {
    const pull = await github.pulls.get(info.pullRequest);
    const approvers = [...latestOpinions(await github.pulls.listReviews(pull.number)).values()]
      .filter((r) => r.state === 'APPROVED' && !r.isBot && r.user !== pull.author)
      .map((r) => r.user);
    return { pull, approvers };
  } catch {
    return undefined; // A commit message naming a pull request that does not exist: no links.
  }
}
