/**
 * Drift is reported in one GitHub issue labelled `flagops:drift`, whatever the number of runs: the
 * open one is updated when its text changes (and left alone when not), a new one is opened only
 * when none is open, and it is closed with a comment once every target is back in sync or held.
 */

import { DRIFT_LABEL } from '../core/names.ts';
import { mdCode, mdText } from '../escape/markdown.ts';
import type { RepoRef } from '../github/api.ts';
import { fitBody } from '../github/limits.ts';
import type { Octokit } from '../github/octokit.ts';
import type { TargetDrift } from './detect.ts';

export const DRIFT_TITLE = 'flagops: AppConfig serves something other than main';

export interface TrackedIssue {
  number: number;
  body: string;
  url: string;
}

export interface IssueTracker {
  findOpen(label: string): Promise<TrackedIssue | undefined>;
  create(input: { title: string; body: string; labels: string[] }): Promise<TrackedIssue>;
  update(number: number, change: { body?: string; state?: 'open' | 'closed' }): Promise<TrackedIssue>;
  comment(number: number, body: string): Promise<void>;
}

export function gitHubIssues(octokit: Octokit, repo: RepoRef): IssueTracker {
  const base = { owner: repo.owner, repo: repo.repo };
  const tracked = (i: { number: number; body?: string | null; html_url: string }): TrackedIssue => ({
    number: i.number,
    body: i.body ?? '',
    url: i.html_url,
  });
  return {
    async findOpen(label) {
      const open = await octokit.paginate(octokit.rest.issues.listForRepo, {
        ...base,
        state: 'open',
        labels: label,
        per_page: 100,
      });
      // Pull requests are issues too; ours is a plain issue, the oldest one if several exist.
      const mine = open
        .filter(
          (i) => !i.pull_request && i.labels.some((l) => (typeof l === 'string' ? l : l.name) === label),
        )
        .sort((a, b) => a.number - b.number)[0];
      return mine ? tracked(mine) : undefined;
    },
    async create(input) {
      const { data } = await octokit.rest.issues.create({ ...base, ...input, body: fitBody(input.body) });
      return tracked(data);
    },
    async update(number, change) {
      const { data } = await octokit.rest.issues.update({
        ...base,
        issue_number: number,
        ...change,
        ...(change.body !== undefined ? { body: fitBody(change.body) } : {}),
      });
      return tracked(data);
    },
    async comment(number, body) {
      await octokit.rest.issues.createComment({ ...base, issue_number: number, body: fitBody(body) });
    },
  };
}

/** The issue's body: only what identifies the drift, so an unchanged drift leaves it unchanged. */
export function driftIssueBody(drifts: readonly TargetDrift[]): string {
  const drifted = drifts.filter((d) => d.status === 'drifted');
  const rows = drifted.map(
    (d) =>
      `| ${mdCode(d.target)} | ${d.deployed ? `version ${d.deployed.version}${d.deployed.label ? ` ${mdCode(d.deployed.label)}` : ''}` : 'nothing'} | ${d.deployed ? mdText(d.deployed.by) : '—'} | ${mdCode(d.main.sha256.slice(0, 16))} at ${mdCode(d.main.commit.slice(0, 12))} |`,
  );
  return [
    `AppConfig serves something other than what \`main\` compiles to, for ${drifted.length} target${drifted.length === 1 ? '' : 's'}, and no revert pull request explains it.`,
    '',
    '| target | AppConfig serves | deployed by | main compiles to |',
    '|---|---|---|---|',
    ...rows,
    '',
    ...drifted.map((d) => `- ${mdCode(d.target)}: ${mdText(d.reason)}`),
    '',
    "To fix: make `main` say what should run (a pull request; its merge deploys it), or re-run the deploy workflow for `main` to put main's content back. This issue is updated by `flagops drift` and closed when every target is in sync.",
  ].join('\n');
}

export type DriftIssueAction = 'created' | 'updated' | 'unchanged' | 'closed' | 'none';

export async function reportDriftIssue(
  tracker: IssueTracker,
  drifts: readonly TargetDrift[],
): Promise<{ action: DriftIssueAction; issue?: TrackedIssue }> {
  const open = await tracker.findOpen(DRIFT_LABEL);
  const drifted = drifts.some((d) => d.status === 'drifted');
  if (!drifted) {
    if (!open) return { action: 'none' };
    await tracker.comment(
      open.number,
      'Every target is in sync with `main` again (or held by a revert pull request); closing.',
    );
    return { action: 'closed', issue: await tracker.update(open.number, { state: 'closed' }) };
  }
  const body = driftIssueBody(drifts);
  if (!open)
    return {
      action: 'created',
      issue: await tracker.create({ title: DRIFT_TITLE, body, labels: [DRIFT_LABEL] }),
    };
  if (open.body === body) return { action: 'unchanged', issue: open };
  return { action: 'updated', issue: await tracker.update(open.number, { body }) };
}
