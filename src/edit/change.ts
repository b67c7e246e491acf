/**
 * An operator edit from start to finish: apply it to the values file, judge the result with the
 * loader and policy *before* writing (a refused change leaves the file untouched), then either
 * write the working tree or put the change on a branch and open (or update) its pull request.
 *
 * Pull request branches are `flagops/change/<app>/<env>/<profile>`, one per target. While that
 * branch has an open pull request, another edit is refused with its number: phases stay phases
 * (docs/runbook.md#one-phase-at-a-time: a soak after switching something on must not vanish into
 * the next step's pull request). With `update: true` (`--update`) the edit stacks on it, or re-running updates it;
 * never a second pull request. Once merged or closed, the next edit starts again from the base.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mdCode, mdProse } from '../escape/markdown.ts';
import type { GitHubApi, PullRequest } from '../github/api.ts';
import { loadRepository } from '../model/index.ts';
import { GitRevisionSource, type RepoSource, WorkingTreeSource } from '../model/source.ts';
import type { Diagnostic, Repository, Target } from '../model/types.ts';
import { targetId } from '../model/types.ts';
import { inClone, upsertPullRequest } from '../propose/clone.ts';
import { describeValueChanges } from './describe.ts';
import { OverlaySource } from './overlay-source.ts';
import { EditError } from './yaml-edit.ts';

export interface EditSpec {
  application: string;
  environment: string;
  profile: string;
  /** Values file, relative to the repository root. */
  file: string;
  /** The text edit; throws EditError on bad input. */
  apply(source: string): string;
  /** The command, for commit messages and the pull request body, e.g. `flagops set-percentage …`. */
  invocation: string;
  /** Extra lines for the pull request body (a rollout plan, say). */
  notes?: string[];
}

/** Everything `validate` checks, injected so this module does not depend on the CLI. */
export type Validate = (head: Repository, base: Repository) => Diagnostic[];

export class ValidationFailed extends EditError {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(message);
  }
}

export interface PlannedEdit {
  before: string;
  after: string;
  /** What changes against the base, e.g. `new_provider_share.percentage 0 → 25`. */
  changes: string[];
}

/** Apply and judge an edit without writing anything. */
export function planEdit(
  start: RepoSource,
  base: Repository,
  spec: EditSpec,
  validate: Validate,
): PlannedEdit {
  const raw = start.read(spec.file);
  if (raw === undefined) throw new EditError(`${spec.file} does not exist; create it first`);
  const before = raw.toString('utf8');
  const after = spec.apply(before);
  const head = loadRepository(new OverlaySource(start, { [spec.file]: after }));
  const errors = validate(head, base).filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new ValidationFailed(
      `refused: ${spec.file} would not pass validation and policy; nothing was changed`,
      errors,
    );
  return { before, after, changes: describeValueChanges(findTarget(base, spec), findTarget(head, spec)!) };
}

function findTarget(repo: Repository, spec: EditSpec): Target | undefined {
  const id = targetId(spec);
  return repo.targets.find((t) => targetId(t) === id);
}

export interface LocalOutcome {
  file: string;
  changed: boolean;
  changes: string[];
}

/** Edit the working tree in place (policy judged against the working tree as it was). */
export function editWorkingTree(root: string, spec: EditSpec, validate: Validate): LocalOutcome {
  const source = new WorkingTreeSource(root);
  const plan = planEdit(source, loadRepository(source), spec, validate);
  if (plan.after !== plan.before) writeFileSync(join(root, spec.file), plan.after);
  return { file: spec.file, changed: plan.after !== plan.before, changes: plan.changes };
}

export interface PullRequestOptions {
  /** Repository to clone from and push to (`FLAGOPS_GIT_REMOTE`, else the checkout's `origin`). */
  remote: string;
  /** Branch the pull request targets; default: the remote's default branch. */
  baseBranch?: string;
  github: Pick<GitHubApi, 'pulls'>;
  validate: Validate;
  /** Environment for git (author identity and the like). */
  env?: NodeJS.ProcessEnv;
  /** Stack onto the target's open pull request instead of refusing (`--update`). */
  update?: boolean;
}

/** The target already has an open change: the operator decides whether to stack onto it. */
export class OpenChange extends EditError {
  constructor(readonly pullRequest: PullRequest) {
    super(
      `pull request #${pullRequest.number} (${pullRequest.url}) is still open for this target: "${pullRequest.title}". ` +
        'Merge it and let it bake first (one phase at a time: docs/runbook.md), or pass --update to add this change to it.',
    );
  }
}

export interface PullRequestOutcome {
  branch: string;
  /** Changes of the whole pull request against its base (stacked edits included). */
  changes: string[];
  pullRequest: PullRequest;
  action: 'created' | 'updated' | 'unchanged';
}

export function changeBranch(spec: Pick<EditSpec, 'application' | 'environment' | 'profile'>): string {
  return `flagops/change/${spec.application}/${spec.environment}/${spec.profile}`;
}

export async function editAsPullRequest(
  spec: EditSpec,
  options: PullRequestOptions,
): Promise<PullRequestOutcome> {
  return inClone(options.remote, options.env ?? process.env, 'edit', async (clone) => {
    const baseBranch = options.baseBranch ?? clone.defaultBranch();
    const branch = changeBranch(spec);
    const open = await options.github.pulls.findOpenByHead(branch);
    const stack = open !== undefined && clone.hasBranch(branch);
    clone.checkout(branch, stack ? branch : baseBranch);

    const base = loadRepository(new GitRevisionSource(clone.dir, `origin/${baseBranch}`));
    const plan = planEdit(new WorkingTreeSource(clone.dir), base, spec, options.validate);
    if (plan.after === plan.before && !open)
      throw new EditError(`${spec.file} on ${baseBranch} already says so: no pull request needed`);
    // Re-running the same edit is a no-op; a different one waits for the open change unless asked.
    if (plan.after !== plan.before && open && options.update !== true) throw new OpenChange(open);

    let action: PullRequestOutcome['action'] = open ? 'updated' : 'created';
    if (plan.after !== plan.before) {
      clone.commitFile(spec.file, plan.after, commitMessage(spec, plan.changes));
      // Without an open pull request the branch is ours to replace (a merged or closed leftover).
      clone.push(branch, { force: !stack });
    } else action = 'unchanged';

    const head = loadRepository(new WorkingTreeSource(clone.dir));
    const changes = describeValueChanges(findTarget(base, spec), findTarget(head, spec)!);
    const { pullRequest } = await upsertPullRequest(options.github.pulls, open, {
      head: branch,
      base: baseBranch,
      title: pullRequestTitle(spec, changes),
      body: pullRequestBody(spec, changes),
    });
    return { branch, changes, pullRequest, action };
  });
}

function summary(spec: EditSpec, changes: string[]): string {
  return `${spec.application}/${spec.environment}: ${changes.length > 0 ? changes.join(', ') : 'rollout plan'}`;
}

function commitMessage(spec: EditSpec, changes: string[]): string {
  return `${summary(spec, changes)}\n\n${spec.invocation}`;
}

function pullRequestTitle(spec: EditSpec, changes: string[]): string {
  const title = summary(spec, changes);
  return title.length <= 120 ? title : `${title.slice(0, 119)}…`;
}

/** The pull request body of an edit: the file, the changes, notes, the command that made it. */
export function pullRequestBody(
  spec: Pick<EditSpec, 'file' | 'invocation' | 'notes'>,
  changes: string[],
): string {
  return [
    `Changes ${mdCode(spec.file)}:`,
    '',
    ...(changes.length > 0 ? changes.map((c) => `- ${mdCode(c)}`) : ['- no value changes']),
    // Notes quote repository text (a rollout plan's flag) in backticks: prose, escaped.
    ...(spec.notes && spec.notes.length > 0 ? ['', ...spec.notes.map(mdProse)] : []),
    '',
    `Opened by ${mdCode(spec.invocation)}. Re-running a flagops edit for this target updates this pull request.`,
  ].join('\n');
}
